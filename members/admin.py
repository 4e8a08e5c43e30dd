"""The secretariat's admin for the members app.

Records with rules (arrangements, memberships, accreditations, delegations)
are added through their services, so the admin refuses what the API and the
pages refuse, with the same message; planned terms, swaps and chairs are
read-only here and changed from the rotation pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from consult.admin import ModelAdmin, ModelForm, ReadOnlyAdmin, TabularInline
from consult.errors import ApplicationError
from consult.logins import login_locks_lift
from consult.mfa import second_factor_action
from consult.quarters import Quarter
from members.models import (
    Accreditation,
    ChairTerm,
    Delegation,
    DelegationMembership,
    Party,
    PartyMembership,
    RotationSwap,
    RotationTerm,
    Seat,
    SeatArrangement,
)
from members.services.delegations import (
    accreditation_grant,
    accreditation_revoke,
    delegation_create,
    delegation_member_add,
    delegation_member_end,
    delegation_second_factor_require,
)
from members.services.seats import seat_arrangement_set
from members.services.terms import chair_plan, rotation_plan


class ServiceAddForm(ModelForm):
    """An add form whose ``clean()`` runs the service; its refusal becomes a form error.

    The admin wraps the request in a transaction, so what the service saved is
    committed with the admin's log entry or not at all.
    """

    request: HttpRequest

    def create(self, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            with transaction.atomic():
                self.instance = self.create(data)
        except ApplicationError as error:
            for field, field_messages in error.fields.items():
                if field in self.fields:
                    self.add_error(field, field_messages)
            self.add_error(None, error.message)
        return data

    def _post_clean(self) -> None:
        # The service validated and saved the instance; nothing is left to construct.
        return


class ServiceAddAdmin(ModelAdmin):
    """Adds go through ``add_form``; existing rows are read-only."""

    add_form: type[ServiceAddForm]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        if obj is None:
            kwargs["form"] = self.add_form
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Saved by the service in the form's clean().
        return

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Parties


class PartyMembershipInline(TabularInline):
    model = PartyMembership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["organisation"]
    verbose_name = "membership of an organisation"


@admin.register(Party)
class PartyAdmin(ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "name_ru", "kind"]
    list_filter = ["kind", "memberships__organisation"]
    search_fields = ["code", "name_en", "name_fr", "name_ru"]
    readonly_fields = ["public_id", "created_at"]
    inlines = [PartyMembershipInline]


@admin.register(PartyMembership)
class PartyMembershipAdmin(ModelAdmin):
    list_display = ["member", "organisation", "since_year", "until_year"]
    list_filter = ["organisation"]
    search_fields = ["member__code", "member__name_en"]
    autocomplete_fields = ["member", "organisation"]


# Seats and rotation


class SeatArrangementInline(TabularInline):
    model = SeatArrangement
    extra = 0
    fields = readonly_fields = (
        "effective_from",
        "mode",
        "holders_per_term",
        "rotation_order",
        "created_by",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(description="Plan rotation and chair for the next 8 quarters")
def plan_rotation_and_chair(
    modeladmin: ModelAdmin, request: HttpRequest, queryset: QuerySet[Seat]
) -> None:
    start = Quarter.current()
    rotation_plan(start=start, count=8)
    chair_plan(start=start, count=8)
    modeladmin.message_user(request, f"Rotation and chair planned from {start}.", messages.SUCCESS)


@admin.register(Seat)
class SeatAdmin(ModelAdmin):
    list_display = ["code", "name", "party", "is_observer", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["party"]
    readonly_fields = ["public_id", "created_at"]
    inlines = [SeatArrangementInline]
    actions = [plan_rotation_and_chair]


class SeatArrangementForm(ServiceAddForm):
    effective_from = forms.CharField(
        max_length=6, help_text="First quarter it applies to, e.g. 2027Q1 (not a past one)."
    )

    class Meta:
        model = SeatArrangement
        fields = ["seat", "mode", "holders_per_term", "rotation_order", "effective_from"]

    def create(self, data: dict[str, Any]) -> models.Model:
        return seat_arrangement_set(
            seat=data["seat"],
            mode=data["mode"],
            holders_per_term=data["holders_per_term"],
            rotation_order=data["rotation_order"],
            effective_from=data["effective_from"],
            created_by=self.request.user,
        )


@admin.register(SeatArrangement)
class SeatArrangementAdmin(ServiceAddAdmin):
    add_form = SeatArrangementForm
    list_display = ["seat", "effective_from", "mode", "holders_per_term", "rotation_order"]
    list_filter = ["seat", "mode"]


@admin.register(RotationTerm)
class RotationTermAdmin(ReadOnlyAdmin):
    list_display = ["quarter", "seat", "position", "holder", "source", "swap_link"]
    list_filter = ["seat", "source", "quarter"]
    search_fields = ["holder__code", "holder__name_en", "quarter"]
    list_select_related = ["seat", "holder"]

    @admin.display(description="Swap")
    def swap_link(self, term: RotationTerm) -> str:
        url = reverse("members:rotation_term_swap", kwargs={"public_id": term.public_id})
        return format_html('<a href="{}">swap…</a>', url)


@admin.register(RotationSwap)
class RotationSwapAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "seat", "quarter", "previous_holder", "new_holder", "swapped_by"]
    list_filter = ["seat"]
    list_select_related = ["seat", "previous_holder", "new_holder", "swapped_by"]


@admin.register(ChairTerm)
class ChairTermAdmin(ReadOnlyAdmin):
    list_display = ["quarter", "seat", "source"]
    list_select_related = ["seat"]


# Delegations


class DelegationForm(ServiceAddForm):
    class Meta:
        model = Delegation
        fields = ["party", "is_standing"]

    def create(self, data: dict[str, Any]) -> models.Model:
        return delegation_create(party=data["party"], is_standing=data["is_standing"])


class DelegationMembershipInline(TabularInline):
    model = DelegationMembership
    extra = 0
    fields = readonly_fields = ("user", "role", "valid_from", "valid_until")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(description="Require a second factor of the selected delegations' delegates")
def require_second_factor(
    modeladmin: ModelAdmin, request: HttpRequest, queryset: QuerySet[Delegation]
) -> None:
    for delegation in queryset:
        delegation_second_factor_require(delegation=delegation, required=True)


@admin.action(description="Stop requiring a second factor of the selected delegations")
def waive_second_factor(
    modeladmin: ModelAdmin, request: HttpRequest, queryset: QuerySet[Delegation]
) -> None:
    for delegation in queryset:
        delegation_second_factor_require(delegation=delegation, required=False)


@admin.register(Delegation)
class DelegationAdmin(ServiceAddAdmin):
    add_form = DelegationForm
    list_display = ["party", "is_standing", "requires_second_factor", "group"]
    list_filter = ["is_standing", "requires_second_factor"]
    actions = [require_second_factor, waive_second_factor]
    search_fields = ["party__code", "party__name_en"]
    list_select_related = ["party", "group"]
    inlines = [DelegationMembershipInline]


class DelegationMembershipForm(ServiceAddForm):
    class Meta:
        model = DelegationMembership
        fields = ["delegation", "user", "role", "valid_from", "valid_until"]

    def create(self, data: dict[str, Any]) -> models.Model:
        return delegation_member_add(
            delegation=data["delegation"],
            user=data["user"],
            role=data["role"],
            valid_from=data["valid_from"],
            valid_until=data.get("valid_until"),
        )


@admin.action(description="End the selected memberships now")
def end_memberships(
    modeladmin: ModelAdmin, request: HttpRequest, queryset: QuerySet[DelegationMembership]
) -> None:
    for membership in queryset:
        try:
            delegation_member_end(membership=membership)
        except ApplicationError as error:
            modeladmin.message_user(request, f"{membership}: {error.message}", messages.ERROR)


@admin.register(DelegationMembership)
class DelegationMembershipAdmin(ServiceAddAdmin):
    add_form = DelegationMembershipForm
    list_display = ["user", "delegation", "role", "valid_from", "valid_until"]
    list_filter = ["role", "delegation"]
    search_fields = ["user__username", "user__last_name", "delegation__party__code"]
    list_select_related = ["user", "delegation__party"]
    autocomplete_fields = ["user", "delegation"]
    actions = [end_memberships]


class AccreditationForm(ServiceAddForm):
    class Meta:
        model = Accreditation
        fields = ["delegation", "user", "reference", "valid_from", "valid_until"]

    def create(self, data: dict[str, Any]) -> models.Model:
        return accreditation_grant(
            delegation=data["delegation"],
            user=data["user"],
            reference=data["reference"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            accredited_by=self.request.user,
        )


@admin.action(description="Revoke the selected accreditations now")
@second_factor_action
def revoke_accreditations(
    modeladmin: ModelAdmin, request: HttpRequest, queryset: QuerySet[Accreditation]
) -> None:
    for accreditation in queryset:
        try:
            accreditation_revoke(accreditation=accreditation, revoked_by=request.user)
        except ApplicationError as error:
            modeladmin.message_user(request, f"{accreditation}: {error.message}", messages.ERROR)


@admin.register(Accreditation)
class AccreditationAdmin(ServiceAddAdmin):
    add_form = AccreditationForm
    list_display = ["user", "delegation", "reference", "valid_from", "valid_until", "revoked_at"]
    list_filter = ["delegation"]
    search_fields = ["user__username", "user__last_name", "reference"]
    list_select_related = ["user", "delegation__party"]
    autocomplete_fields = ["user", "delegation"]
    actions = [revoke_accreditations]


# Users: the secretariat lifts a login lock before it lapses.


@admin.action(description="Lift the login locks of the selected users")
def lift_login_locks(
    modeladmin: ModelAdmin, request: HttpRequest, queryset: QuerySet[User]
) -> None:
    lifted = login_locks_lift(usernames=[user.username for user in queryset])
    modeladmin.message_user(request, f"{lifted} failed-login record(s) cleared.", messages.SUCCESS)


if TYPE_CHECKING:
    BaseUserAdmin = DjangoUserAdmin[User]
else:
    BaseUserAdmin = DjangoUserAdmin


class UserAdmin(BaseUserAdmin):
    actions = [lift_login_locks]


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)

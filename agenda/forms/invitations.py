"""Forms to invite a party to a session (or one item) and to accredit its delegates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agenda.forms.sessions import LOCAL_INPUT, LocalDateTimeInput
from agenda.models import AgendaItem, Invitation
from members.forms import PartyChoiceField
from members.models import Delegation, Party

# Django's form fields take no type arguments at run time; django-stubs' do.
if TYPE_CHECKING:
    _ItemField = forms.ModelChoiceField[AgendaItem]
    _DelegationField = forms.ModelChoiceField[Delegation]
else:
    _ItemField = _DelegationField = forms.ModelChoiceField


class ItemChoiceField(_ItemField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.order}. {obj.title}"


class DelegationChoiceField(_DelegationField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.party.display_name)


class InvitationForm(forms.Form):
    party = PartyChoiceField(queryset=Party.objects.none(), to_field_name="code", label=_("Party"))
    kind = forms.ChoiceField(choices=Invitation.Kind.choices, label=_("Kind"))
    item = ItemChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        to_field_name="public_id",
        label=_("Item"),
        help_text=_("Ad hoc invitations only: the one item the party takes part in."),
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Reason")
    )
    valid_until = forms.DateTimeField(
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT],
        label=_("Valid until (UTC)"),
        help_text=_("Empty: until the invitation is revoked."),
    )

    def __init__(
        self, *args: Any, parties: QuerySet[Party], items: QuerySet[AgendaItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("party", parties), ("item", items)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = choices


class AccreditationForm(forms.Form):
    delegation = DelegationChoiceField(
        queryset=Delegation.objects.none(),
        to_field_name="public_id",
        label=_("Delegation"),
        help_text=_("Delegations of invited ad hoc and observer parties."),
    )
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        to_field_name="username",
        label=_("Delegate (user name)"),
        widget=forms.TextInput(),
    )
    reference = forms.CharField(
        max_length=120, label=_("Reference"), help_text=_("The note verbale it answers.")
    )
    valid_from = forms.DateTimeField(
        widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT], label=_("Valid from (UTC)")
    )
    valid_until = forms.DateTimeField(
        widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT], label=_("Valid until (UTC)")
    )

    def __init__(
        self, *args: Any, delegations: QuerySet[Delegation], users: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("delegation", delegations), ("user", users)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = choices

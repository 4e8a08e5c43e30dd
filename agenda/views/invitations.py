"""Invitation pages: the list (secretariat: all; delegations: their own), answering,
revoking, and the secretariat's invite and accredit forms of a session."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agenda.forms.invitations import AccreditationForm, InvitationForm
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.invitations import (
    accreditable_delegation_list,
    invitation_get,
)
from agenda.selectors.listing import invitation_filter
from agenda.selectors.sessions import (
    session_filter_choices,
    session_get,
)
from agenda.services import invitations as services
from consult import access
from consult.errors import ApplicationError
from consult.listing import filtered_page
from consult.mfa import second_factor_refusal
from consult.pages import render_form_or_save, safe_next, secretariat_only
from members.selectors.delegations import accreditation_list
from members.selectors.parties import party_choice_list, party_choices, party_reading_list
from members.selectors.users import user_active_list
from members.services.delegations import accreditation_grant


def as_utc(value: datetime) -> datetime:
    # The form reads wall-clock UTC; keep it UTC whatever zone is active.
    return timezone.make_naive(value).replace(tzinfo=UTC)


@login_required
@require_http_methods(["GET"])
def invitation_list_view(request: HttpRequest) -> HttpResponse:
    """Invitations: every one for the secretariat, the delegation's own for delegates;
    a page of them, filtered by quarter, session, party and status as in the API."""
    return _list_page(request)


def _list_page(request: HttpRequest, status: int | None = None) -> HttpResponse:
    # A POST refused shows the first page again, unfiltered.
    params = request.GET if request.method == "GET" else {}
    sessions = session_filter_choices(user=request.user)
    listing = filtered_page(
        request,
        invitation_filter(user=request.user, params=params),
        shown=("quarter", "session", "party", "status"),
        choices={
            **sessions.as_choices(),
            "party": party_choices(
                None
                if access.reads_as_secretariat(request.user)
                else party_reading_list(user=request.user)
            ),
        },
    )
    return render(
        request,
        "agenda/invitation_list.html",
        {
            "listing": listing,
            "invitations": listing.rows,
            # An invitation to a session the delegation may not read names it, without a link.
            "readable_sessions": sessions.ids,
            "is_secretariat": access.is_secretariat(request.user),
            # Those whose invitations the reader answers (not an analyst's, who only reads).
            "answering_parties": frozenset(access.member_party_ids(request.user)),
        },
        status=status or listing.status,
    )


def _answer(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    invitation = invitation_get(user=request.user, public_id=public_id)
    answer = {
        "accept": services.invitation_accept,
        "decline": services.invitation_decline,
        "revoke": services.invitation_revoke,
    }[action]
    try:
        invitation = answer(invitation=invitation, user=request.user)
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
        status = 403 if isinstance(error, PermissionDenied) else 400
        return _list_page(request, status)
    messages.success(
        request,
        _("Invitation of %(party)s to %(session)s: %(status)s.")
        % {
            "party": invitation.party.code,
            "session": invitation.session.number,
            "status": invitation.get_status_display().lower(),
        },
    )
    return redirect(safe_next(request, reverse("agenda:invitation_list")))


@login_required
@require_POST
def invitation_accept(request: HttpRequest, public_id: str) -> HttpResponse:
    return _answer(request, public_id, "accept")


@login_required
@require_POST
def invitation_decline(request: HttpRequest, public_id: str) -> HttpResponse:
    return _answer(request, public_id, "decline")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    if (refusal := second_factor_refusal(request)) is not None:
        return refusal
    return _answer(request, public_id, "revoke")


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """Invite a party to the session, or ad hoc to one of its items."""
    secretariat_only(request)
    session = session_get(user=request.user, public_id=public_id)
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        parties=party_choice_list(),
        items=agenda_item_list(user=request.user, session=session).order_by("order"),
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        invitation = services.invitation_create(
            session=session,
            party=values["party"],
            kind=values["kind"],
            item=values["item"],
            reason=values["reason"],
            valid_until=as_utc(values["valid_until"]) if values["valid_until"] else None,
            user=request.user,
        )
        messages.success(
            request, _("%(party)s invited.") % {"party": invitation.party.display_name}
        )
        return redirect(session.get_absolute_url())

    def page(status: int) -> HttpResponse:
        context = {"session": session, "form": form}
        return render(request, "agenda/invitation_form.html", context, status=status)

    return render_form_or_save(request, form, save, page)


@login_required
@require_http_methods(["GET", "POST"])
def accreditation_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """Accredit a delegate of an invited ad hoc or observer party for the session."""
    secretariat_only(request)
    session = session_get(user=request.user, public_id=public_id)
    delegations = accreditable_delegation_list(user=request.user, session=session)
    form = AccreditationForm(
        request.POST if request.method == "POST" else None,
        delegations=delegations,
        users=user_active_list(),
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        accreditation_grant(
            delegation=values["delegation"],
            user=values["user"],
            reference=values["reference"],
            valid_from=as_utc(values["valid_from"]),
            valid_until=as_utc(values["valid_until"]),
            accredited_by=request.user,
        )
        messages.success(
            request,
            _("%(user)s accredited to the delegation of %(party)s.")
            % {
                "user": values["user"].get_username(),
                "party": values["delegation"].party.display_name,
            },
        )
        return redirect("agenda:accreditation_create", public_id=session.public_id)

    def page(status: int) -> HttpResponse:
        context = {
            "session": session,
            "form": form,
            "accreditations": accreditation_list().filter(delegation__in=delegations),
        }
        return render(request, "agenda/invitation_accredit.html", context, status=status)

    return render_form_or_save(request, form, save, page)

"""Pages of briefing packs: the reader, the delegate's PDF copy, receipts and rebuilds.

Thin: each page reads through ``briefings.selectors`` (the access rule first)
and writes through ``briefings.services``. A refused read answers 404 with
the body of a missing session.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from briefings import selectors, services
from briefings.actions import action_centre
from briefings.download import pack_file_response
from briefings.models import PackReceipt
from consult.access import is_secretariat
from consult.errors import ApplicationError
from members.selectors.dashboard import dashboard_data
from members.selectors.parties import party_title
from members.views import PLANNING_HORIZON
from minutes.selectors.communiques import published_communique_list

LATEST_PUBLISHED = 3


class PublicLoginView(LoginView):
    """The login page, which also leads anyone to the published communiqués (no account
    needed to read them)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["published"] = published_communique_list()[:LATEST_PUBLISHED]
        return context


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The page a user lands on: their action centre, their delegation, the table."""
    data = dashboard_data(user=request.user)
    roles = data.roles
    if roles.is_secretariat:
        heading = "Secretariat dashboard"
    elif roles.memberships:
        heading = f"Delegation of {party_title(roles.memberships[0].delegation.party)}"
    elif roles.is_analyst:
        heading = "Analyst dashboard"
    else:
        heading = "Dashboard"
    return render(
        request,
        "members/dashboard.html",
        {
            "data": data,
            "roles": roles,
            "heading": heading,
            "horizon": PLANNING_HORIZON,
            "published": published_communique_list()[:LATEST_PUBLISHED],
            "actions": action_centre(
                request.user,
                secretariat=roles.is_secretariat,
                delegate=roles.is_delegate,
            ),
        },
    )


@login_required
@require_GET
def pack_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = selectors.pack_session_get(request.user, public_id=public_id)
    reader = selectors.pack_reader(request.user, session)
    services.pack_receipt_record(
        session=session,
        user=request.user,
        action=PackReceipt.Action.VIEW,
        pack=reader.deliverable,
        party=reader.party,
    )
    user: Any = request.user
    name = user.get_full_name() or user.get_username()
    recipient = {
        "name": name,
        "delegation": f"Delegation of {reader.party.name_en}" if reader.party else "Secretariat",
    }
    return render(
        request,
        "briefings/pack_detail.html",
        {
            "session": session,
            "reader": reader,
            "pack": reader.content,
            "recipient": recipient,
            "is_secretariat": is_secretariat(request.user),
            "progress": selectors.pack_progress(session) if is_secretariat(request.user) else None,
            # A delegate notes passages of the papers; the secretariat has no private notes.
            "annotations": selectors.pack_annotations(request.user, session)
            if reader.party is not None
            else None,
        },
    )


@login_required
@require_GET
def pack_download(request: HttpRequest, public_id: UUID) -> FileResponse:
    session = selectors.pack_session_get(request.user, public_id=public_id)
    pack = selectors.pack_deliverable_get(request.user, session, copy=request.GET.get("copy"))
    services.pack_receipt_record(
        session=session, user=request.user, action=PackReceipt.Action.DOWNLOAD, pack=pack
    )
    return pack_file_response(pack)


@login_required
@require_GET
def pack_receipts(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = selectors.pack_session_get(request.user, public_id=public_id)
    if not is_secretariat(request.user):
        raise Http404("Not found.")
    return render(
        request,
        "briefings/packreceipt_list.html",
        {"session": session, "delegations": selectors.pack_receipts_by_delegation(session)},
    )


@login_required
@require_POST
def pack_rebuild(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = selectors.pack_session_get(request.user, public_id=public_id)
    try:
        services.pack_rebuild_request(session=session, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"The rebuild of {session.number}'s briefing packs is queued; "
            "the counts below show how far it has got.",
        )
    return redirect("briefings:pack_detail", public_id=session.public_id)

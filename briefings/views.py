"""Pages of briefing packs: the reader, the delegate's PDF copy, receipts and rebuilds.

Thin: each page reads through ``briefings.selectors`` (the access rule first)
and writes through ``briefings.services``. A refused read answers 404 with
the body of a missing session.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from allauth.account.views import LoginView
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agenda.uploads import max_upload_bytes
from briefings.download import pack_file_response
from briefings.models import PackReceipt
from briefings.selectors.actions import action_centre
from briefings.selectors.content import party_name
from briefings.selectors.packs import (
    pack_annotations,
    pack_deliverable_get,
    pack_reader,
    pack_session_get,
)
from briefings.selectors.receipts import pack_progress, pack_receipts_by_delegation
from briefings.services.receipts import pack_receipt_record
from briefings.services.schedule import pack_rebuild_request
from briefings.services.trace import pack_trace
from consult.access import is_secretariat
from consult.errors import ApplicationError
from consult.pages import render_form_or_save, secretariat_only
from members.selectors.dashboard import dashboard_data
from members.selectors.parties import party_title
from members.views import PLANNING_HORIZON
from minutes.selectors.communiques import published_communique_list

LATEST_PUBLISHED = 3


_allauth_login = LoginView.as_view()


def public_login(request: HttpRequest) -> HttpResponse:
    """allauth's login page, which also leads anyone to the published communiqués (no account
    needed to read them).

    The page is a ``TemplateResponse`` not yet rendered, so the list joins its context.
    """
    response: HttpResponse = _allauth_login(request)
    if isinstance(response, TemplateResponse) and isinstance(response.context_data, dict):
        response.context_data["published"] = published_communique_list()[:LATEST_PUBLISHED]
    return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The page a user lands on: their action centre, their delegation, the table."""
    data = dashboard_data(user=request.user)
    roles = data.roles
    if roles.is_secretariat:
        heading = _("Secretariat dashboard")
    elif roles.memberships:
        party = roles.memberships[0].delegation.party
        # "the United States" in English; the party's own name in the reader's language.
        name = party_title(party) if get_language() == "en" else party_name(party)
        heading = _("Delegation of %(party)s") % {"party": name}
    elif roles.is_analyst:
        heading = _("Analyst dashboard")
    else:
        heading = _("Dashboard")
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
                user=request.user,
                secretariat=roles.is_secretariat,
                delegate=roles.is_delegate,
            ),
        },
    )


@login_required
@require_GET
def pack_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = pack_session_get(user=request.user, public_id=public_id)
    reader = pack_reader(user=request.user, session=session)
    pack_receipt_record(
        session=session,
        user=request.user,
        action=PackReceipt.Action.VIEW,
        pack=reader.deliverable,
        party=reader.party,
    )
    user = request.user
    name = (user.get_full_name() if isinstance(user, User) else "") or user.get_username()
    recipient = {
        "name": name,
        "delegation": _("Delegation of %(party)s") % {"party": party_name(reader.party)}
        if reader.party
        else _("Secretariat"),
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
            "progress": pack_progress(session=session) if is_secretariat(request.user) else None,
            # A delegate notes passages of the papers; the secretariat has no private notes.
            "annotations": pack_annotations(user=request.user, session=session)
            if reader.party is not None
            else None,
        },
    )


@login_required
@require_GET
def pack_download(request: HttpRequest, public_id: UUID) -> FileResponse:
    session = pack_session_get(user=request.user, public_id=public_id)
    pack = pack_deliverable_get(user=request.user, session=session, copy=request.GET.get("copy"))
    pack_receipt_record(
        session=session, user=request.user, action=PackReceipt.Action.DOWNLOAD, pack=pack
    )
    return pack_file_response(pack)


@login_required
@require_GET
def pack_receipts(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = pack_session_get(user=request.user, public_id=public_id)
    if not is_secretariat(request.user):
        raise Http404("Not found.")
    return render(
        request,
        "briefings/packreceipt_list.html",
        {"session": session, "delegations": pack_receipts_by_delegation(session=session)},
    )


@login_required
@require_POST
def pack_rebuild(request: HttpRequest, public_id: UUID) -> HttpResponse:
    session = pack_session_get(user=request.user, public_id=public_id)
    try:
        pack_rebuild_request(session=session, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The rebuild of the briefing packs of %(number)s is queued; "
                "the counts below show how far it has got."
            )
            % {"number": session.number},
        )
    return redirect("briefings:pack_detail", public_id=session.public_id)


class TraceForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("A leaked file or a picture of a page"),
        help_text=gettext_lazy(
            "A PDF, or a PNG or JPEG photograph or scan of a page, even cropped."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("Upload at most %(megabytes)s MB.") % {"megabytes": limit // (1024 * 1024)}
            )
        return upload


@login_required
def pack_trace_page(request: HttpRequest) -> HttpResponse:
    """The secretariat's leak tracer: which copy a leaked page came from."""
    secretariat_only(request)
    form = TraceForm(request.POST or None, request.FILES or None)

    def page(status: int, result: Any = None, filename: str = "") -> HttpResponse:
        context = {"form": form, "result": result, "filename": filename}
        return render(request, "briefings/pack_trace.html", context, status=status)

    def save(data: dict[str, Any]) -> HttpResponse:
        upload = data["file"]
        result = pack_trace(user=request.user, data=upload.read(), filename=upload.name)
        return page(200, result, upload.name)

    return render_form_or_save(request, form, save, page)

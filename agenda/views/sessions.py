"""Session pages: delegates' "my sessions" and session page; the secretariat's planning,
convening and editing; the extraordinary request form.

Thin: reads through ``agenda.selectors``, writes through ``agenda.services``;
a refusal is shown on the form as the service worded it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agenda.forms.sessions import (
    ConveneForm,
    ExtraordinaryRequestForm,
    SessionForm,
    SessionTransitionForm,
)
from agenda.models import ExtraordinaryRequest, Session
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.documents import document_list
from agenda.selectors.invitations import invitation_list
from agenda.selectors.listing import session_filter
from agenda.selectors.sessions import (
    extraordinary_request_list,
    session_get,
    session_invitations,
    session_list,
    session_quarter_choices,
)
from agenda.services import extraordinary as extraordinary_services
from agenda.services import planning
from agenda.services import sessions as services
from consult import access
from consult.errors import ApplicationError
from consult.listing import filtered_page, page_of
from consult.pages import form_refusal, render_form_or_save, secretariat_only
from consult.quarters import Quarter
from members.selectors.parties import party_choices, party_headed_list
from notices.views.preferences import viewer_timezone_context


@require_http_methods(["GET"])
def session_list_view(request: HttpRequest) -> HttpResponse:
    """My sessions: every session the viewer may read (public ones also without an account),
    upcoming first, then past ones."""
    now = timezone.now()
    listing = filtered_page(
        request,
        session_filter(user=request.user, params=request.GET),
        shown=("quarter", "party", "status", "kind"),
        choices={"quarter": session_quarter_choices(user=request.user), "party": party_choices()},
        rows=lambda sessions: sessions.filter(ends_at__lte=now),
    )
    upcoming = session_filter(user=request.user, params=request.GET).qs
    context = {
        "listing": listing,
        # Only the planned cycle lies ahead; the archive behind is what grows, and is paged.
        "upcoming": upcoming.filter(ends_at__gt=now).order_by("starts_at")
        if listing.status == 200
        else upcoming.none(),
        "past": listing.rows,
        "is_secretariat": access.is_secretariat(request.user),
        "may_request": _headed_seat_parties(request).exists(),
        **viewer_timezone_context(request),
    }
    return render(request, "agenda/session_list.html", context, status=listing.status)


@require_http_methods(["GET"])
def session_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A session with its agenda, troika, seat-holders, invited parties and readable papers."""
    from members.selectors.rotation import chair_troika
    from members.selectors.seats import seat_holder_parties

    session = session_get(user=request.user, public_id=public_id)
    quarter = Quarter.parse(session.quarter)
    own_parties = access.member_party_ids(request.user)
    items = list(agenda_item_list(user=request.user, session=session).order_by("order"))
    context = {
        "session": session,
        "agenda": getattr(session, "agenda", None),
        "items": items,
        "timetabled": any(item.starts_at for item in items),
        # A session's papers and guests grow with it: a page of each here.
        "documents": page_of(
            request,
            document_list(user=request.user, session=session).order_by("symbol", "pk"),
            param="papers_page",
        ),
        "troika": chair_troika(quarter=quarter),
        "seat_holders": seat_holder_parties(quarter=quarter).order_by("code"),
        "invitations": page_of(
            request,
            session_invitations(user=request.user, session=session).order_by(
                "kind", "party__code", "pk"
            ),
            param="invitations_page",
        ),
        "my_invitations": invitation_list(
            user=request.user, session_public_id=session.public_id
        ).filter(party_id__in=own_parties),
        "answering_parties": frozenset(own_parties),
        "is_secretariat": access.is_secretariat(request.user),
        "next_statuses": services.TRANSITIONS[session.status],
        **viewer_timezone_context(request),
    }
    status = max(context["documents"].status, context["invitations"].status)
    return render(request, "agenda/session_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_plan(request: HttpRequest) -> HttpResponse:
    """The secretariat's year: the four quarters being planned, and "plan now"."""
    secretariat_only(request)
    now = timezone.now()
    if request.method == "POST":
        created = planning.sessions_plan_ahead(now=now)
        if created:
            messages.success(
                request,
                _("Planned %(sessions)s.")
                % {"sessions": ", ".join(session.number for session in created)},
            )
        else:
            messages.info(request, _("The next four regular sessions were already planned."))
        return redirect("agenda:session_plan")
    horizon = planning.planning_horizon(now=now)
    planned = {
        session.quarter: session
        for session in session_list(user=request.user, kind=Session.Kind.REGULAR)
        .filter(quarter__in=[str(q) for q in horizon])
        .exclude(status=Session.Status.CANCELLED)
    }
    rows = [{"quarter": str(q), "session": planned.get(str(q))} for q in horizon]
    pending = extraordinary_request_list(
        user=request.user, status=ExtraordinaryRequest.Status.PENDING
    )
    return render(
        request,
        "agenda/session_plan.html",
        {"rows": rows, "pending_requests": pending, **viewer_timezone_context(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_convene(request: HttpRequest) -> HttpResponse:
    """The secretariat convenes an extraordinary session, within 72 hours."""
    secretariat_only(request)
    pending = extraordinary_request_list(
        user=request.user, status=ExtraordinaryRequest.Status.PENDING
    )
    if request.method == "POST":
        form = ConveneForm(request.POST, pending=pending)
    else:
        chosen = request.GET.get("request")
        form = ConveneForm(pending=pending, initial={"request": chosen} if chosen else None)

    def save(values: dict[str, Any]) -> HttpResponse:
        session = extraordinary_services.session_convene_extraordinary(
            user=request.user,
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            venue=values["venue"],
            venue_timezone=values["venue_timezone"],
            title=values["title"],
            reason=values["reason"],
            request=values["request"],
            distribution=values["distribution"],
        )
        messages.success(
            request, _("%(session)s convened; invitations sent.") % {"session": session.number}
        )
        return redirect(session.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(request, "agenda/session_convene.html", {"form": form}, status=status)

    return render_form_or_save(request, form, save, page)


def _edit_page(
    request: HttpRequest,
    session: Session,
    *,
    form: SessionForm | None = None,
    transition_form: SessionTransitionForm | None = None,
    code: int = 200,
) -> HttpResponse:
    allowed = services.TRANSITIONS[session.status]
    context = {
        "session": session,
        "form": form or SessionForm.for_session(session),
        "transition_form": transition_form or SessionTransitionForm(allowed=allowed),
        "editable": session.status in services.EDITABLE_STATUSES,
        "can_transition": bool(allowed),
    }
    return render(request, "agenda/session_form.html", context, status=code)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change date, venue, title or level; delegates are notified of a new date or venue."""
    secretariat_only(request)
    session = session_get(user=request.user, public_id=public_id)
    if request.method == "GET":
        return _edit_page(request, session)
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, session, form=form, code=400)
    try:
        services.session_update(session=session, user=request.user, **form.cleaned_data)
    except (ApplicationError, PermissionDenied) as error:
        return _edit_page(request, session, form=form, code=form_refusal(form, error))
    messages.success(request, _("%(session)s updated.") % {"session": session.number})
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def session_transition(request: HttpRequest, public_id: str) -> HttpResponse:
    """Move the session along its workflow; an illegal step is shown on the form."""
    secretariat_only(request)
    session = session_get(user=request.user, public_id=public_id)
    form = SessionTransitionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, session, transition_form=form, code=400)
    try:
        session = services.session_transition(
            session=session, to_status=form.cleaned_data["status"], user=request.user
        )
    except (ApplicationError, PermissionDenied) as error:
        return _edit_page(request, session, transition_form=form, code=form_refusal(form, error))
    messages.success(
        request,
        _("%(session)s is now %(status)s.")
        % {"session": session.number, "status": session.get_status_display().lower()},
    )
    return redirect(session.get_absolute_url())


def _headed_seat_parties(request: HttpRequest) -> Any:
    """Parties the viewer heads a delegation of (the form's choices; the service decides)."""
    return party_headed_list(user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def extraordinary_request_create(request: HttpRequest) -> HttpResponse:
    """A seat-holder's head of delegation asks for an extraordinary session."""
    parties = _headed_seat_parties(request)
    if request.method == "POST":
        form = ExtraordinaryRequestForm(request.POST, parties=parties)
    else:
        form = ExtraordinaryRequestForm(parties=parties)

    def save(values: dict[str, Any]) -> HttpResponse:
        made = extraordinary_services.extraordinary_request_create(
            user=request.user, reason=values["reason"], party=values["party"]
        )
        messages.success(
            request,
            _("Your request on behalf of %(party)s went to the secretariat.")
            % {"party": made.party.display_name},
        )
        return redirect("agenda:session_list")

    def page(status: int) -> HttpResponse:
        context = {"form": form, "requests": extraordinary_request_list(user=request.user)}
        return render(request, "agenda/session_request.html", context, status=status)

    return render_form_or_save(request, form, save, page)

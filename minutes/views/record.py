"""Pages of the minutes: the secretariat records live and steers circulation and
approval; delegates read, propose amendments, attach interpretative statements
and follow their action points.

Thin: reads go through ``minutes.selectors`` (which apply the access rule and
the Chatham House rule), writes through ``minutes.services``; a refusal is
shown as the service worded it. Secretariat-only pages answer 404 to others.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from agenda.models import AgendaItem
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.documents import document_list
from agenda.selectors.invitations import invited_party_list
from agenda.selectors.sessions import (
    session_filter_choices,
    session_get,
    session_list,
)
from consult import access
from consult.errors import ApplicationError
from consult.listing import filtered_page, page_of
from consult.pages import (
    render_form_or_save,
    run_service_and_redirect,
    secretariat_only,
    secretariat_step,
)
from members.models import Party
from members.selectors.parties import (
    party_choices,
    party_delegate_list,
    party_delegates_by_party,
    party_own_list,
)
from minutes.forms import (
    ActionPointForm,
    AmendmentDecisionForm,
    AmendmentForm,
    AttendanceForm,
    AttendanceSheetForm,
    DelegationStatementForm,
    StatementForm,
)
from minutes.models import Minutes
from minutes.selectors import listing as listing_selectors
from minutes.selectors import record as record_selectors
from minutes.services import action_points as action_points_services
from minutes.services import record as record_services
from minutes.services import review as review_services


def _detail_url(minutes: Minutes) -> str:
    return reverse("minutes:minutes_detail", kwargs={"public_id": minutes.public_id})


def _my_parties(request: HttpRequest) -> QuerySet[Party]:
    return party_own_list(user=request.user)


def _items(request: HttpRequest, minutes: Minutes) -> QuerySet[AgendaItem]:
    return agenda_item_list(user=request.user, session=minutes.session).order_by("order")


def _attending(request: HttpRequest, minutes: Minutes) -> QuerySet[Party]:
    return record_selectors.attending_party_list(request.user, minutes=minutes)


def _statement_form(
    request: HttpRequest, minutes: Minutes, data: Any = None, initial: Any = None
) -> StatementForm:
    attending = _attending(request, minutes)
    return StatementForm(
        data,
        initial=initial,
        items=_items(request, minutes),
        parties=attending,
        speakers=party_delegate_list(parties=attending),
        # Only papers the recorder may read: another delegation's private notes are
        # neither offered nor accepted.
        documents=document_list(user=request.user, session=minutes.session).order_by("symbol"),
    )


def _attendance_form(request: HttpRequest, minutes: Minutes, data: Any = None) -> AttendanceForm:
    parties = invited_party_list(user=request.user, session=minutes.session)
    # Its own ids: the statement form on the same page has a party field too.
    return AttendanceForm(
        data,
        parties=parties,
        delegates=party_delegate_list(parties=parties),
        auto_id="id_attendance_%s",
    )


@login_required
def minutes_list(request: HttpRequest) -> HttpResponse:
    """Minutes the reader may read, a page at a time, filtered by quarter, session, party
    and status as in the API; the secretariat also sees sessions still without minutes."""
    listing = filtered_page(
        request,
        listing_selectors.minutes_filter(request.user, params=request.GET),
        shown=("quarter", "session", "party", "status"),
        choices={
            **session_filter_choices(user=request.user).as_choices(),
            "party": party_choices(),
        },
    )
    context: dict[str, Any] = {"listing": listing, "minutes_list": listing.rows}
    if access.is_secretariat(request.user):
        context["to_open"] = page_of(
            request,
            session_list(user=request.user)
            .filter(minutes__isnull=True)
            .exclude(status="cancelled"),
            param="to_open_page",
        )
    return render(request, "minutes/minutes_list.html", context, status=listing.status)


@login_required
@require_POST
def minutes_create(request: HttpRequest, session_id: str) -> HttpResponse:
    secretariat_only(request)
    session = session_get(user=request.user, public_id=session_id)
    try:
        minutes = record_services.minutes_create(session=session, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("minutes:minutes_list")
    messages.success(request, _("Minutes of %(number)s opened.") % {"number": session.number})
    return redirect("minutes:statement_record", public_id=minutes.public_id)


def _detail_context(request: HttpRequest, minutes: Minutes, **forms: Any) -> dict[str, Any]:
    user = request.user
    secretariat = access.is_secretariat(user)
    statements = record_selectors.statement_list(user, minutes=minutes)
    parties = _my_parties(request)
    context: dict[str, Any] = {
        "minutes": minutes,
        "session": minutes.session,
        # A long session's record is read a page at a time.
        "statement_page": page_of(request, statements, param="statements_page"),
        "attendances": record_selectors.attendance_list(user, minutes=minutes),
        "action_points": record_selectors.action_point_list(user, minutes=minutes),
        "amendments": record_selectors.amendment_list(user, minutes=minutes),
        "revisions": record_selectors.revision_list(minutes),
        "is_secretariat": secretariat,
        "open": minutes.status != Minutes.Status.APPROVED,
    }
    if secretariat:
        context["decision_form"] = AmendmentDecisionForm()
        context["action_point_form"] = forms.get("action_point_form") or ActionPointForm(
            parties=_attending(request, minutes), items=_items(request, minutes)
        )
    elif parties.exists() and minutes.status != Minutes.Status.APPROVED:
        if minutes.status == Minutes.Status.CIRCULATED:
            context["amendment_form"] = forms.get("amendment_form") or AmendmentForm(
                parties=parties, statements=statements
            )
        context["interpretative_form"] = forms.get("interpretative_form") or (
            DelegationStatementForm(parties=parties, items=_items(request, minutes))
        )
    # A refused form is shown again with its message, whatever the minutes' state now.
    context.update(forms)
    return context


def _detail_page(
    request: HttpRequest, minutes: Minutes, **forms: Any
) -> Callable[[int], HttpResponse]:
    """The minutes page, showing ``forms`` (a refused one with its message) in place."""

    def page(status: int) -> HttpResponse:
        context = _detail_context(request, minutes, **forms)
        return render(request, "minutes/minutes_detail.html", context, status=status)

    return page


@login_required
def minutes_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    minutes = record_selectors.minutes_get(request.user, public_id=public_id)
    return render(request, "minutes/minutes_detail.html", _detail_context(request, minutes))


@login_required
@require_http_methods(["GET", "POST"])
def statement_record(request: HttpRequest, public_id: str) -> HttpResponse:
    """Fast entry during the session: item, party, speaker, summary; the item stays selected."""
    secretariat_only(request)
    minutes = record_selectors.minutes_get(request.user, public_id=public_id)
    if request.method == "POST":
        form = _statement_form(request, minutes, request.POST)
    else:
        form = _statement_form(request, minutes, initial={"item": request.GET.get("item")})

    def save(values: dict[str, Any]) -> HttpResponse:
        statement = record_services.statement_record(
            minutes=minutes,
            item=values["item"],
            party=values["party"],
            user=request.user,
            summary=values["summary"],
            full_text=values["full_text"],
            speaker=values["speaker"],
            speaker_name=values["speaker_name"],
            documents=list(values["documents"]),
            distribution=values["distribution"] or None,
        )
        messages.success(
            request,
            _("Statement %(order)s on item %(item)s recorded.")
            % {"order": statement.order, "item": statement.item.order},
        )
        url = reverse("minutes:statement_record", kwargs={"public_id": minutes.public_id})
        return redirect(f"{url}?item={statement.item.public_id}")

    def page(status: int) -> HttpResponse:
        context = {
            "minutes": minutes,
            "session": minutes.session,
            "form": form,
            "attendance_form": _attendance_form(request, minutes),
            "statements": record_selectors.statement_list(request.user, minutes=minutes),
            "attendances": record_selectors.attendance_list(request.user, minutes=minutes),
        }
        return render(request, "minutes/statement_form.html", context, status=status)

    return render_form_or_save(request, form, save, page)


@login_required
@require_POST
def attendance_record(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    minutes = record_selectors.minutes_get(request.user, public_id=public_id)
    url = reverse("minutes:statement_record", kwargs={"public_id": minutes.public_id})
    form = _attendance_form(request, minutes, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an invited party; times as 2027-03-10 09:00."))
        return redirect(url)
    values = form.cleaned_data
    return run_service_and_redirect(
        request,
        url,
        lambda: record_services.attendance_record(
            minutes=minutes,
            party=values["party"],
            user=request.user,
            delegates=list(values["delegates"]),
            arrived_at=values["arrived_at"],
            left_at=values["left_at"],
        ),
        _("Attendance of %(party)s recorded.") % {"party": values["party"].display_name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_sheet(request: HttpRequest, public_id: str) -> HttpResponse:
    """Every invited party on one form: the attendance of all of them in one submit."""
    secretariat_only(request)
    minutes = record_selectors.minutes_get(request.user, public_id=public_id)
    parties = invited_party_list(user=request.user, session=minutes.session)
    recorded = {
        attendance.party_id: attendance
        for attendance in record_selectors.attendance_list(request.user, minutes=minutes)
    }
    initial: dict[str, Any] = {}
    for attendance in recorded.values():
        code = attendance.party.code
        initial[f"present-{code}"] = True
        initial[f"delegates-{code}"] = [str(user.pk) for user in attendance.delegates.all()]
    form = AttendanceSheetForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        parties=list(parties),
        delegates=party_delegates_by_party(parties=parties),
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        done = record_services.attendance_record_all(
            minutes=minutes, user=request.user, attending=form.attending()
        )
        messages.success(
            request,
            ngettext(
                "Attendance of %(count)d party recorded.",
                "Attendance of %(count)d parties recorded.",
                len(done),
            )
            % {"count": len(done)},
        )
        return redirect("minutes:statement_record", public_id=minutes.public_id)

    def page(status: int) -> HttpResponse:
        context = {"minutes": minutes, "form": form}
        return render(request, "minutes/attendance_sheet.html", context, status=status)

    return render_form_or_save(request, form, save, page)


def _minutes(request: HttpRequest, public_id: str) -> Minutes:
    return record_selectors.minutes_get(request.user, public_id=public_id)


_minutes_step = partial(secretariat_step, load=_minutes, subject="minutes", back=_detail_url)
minutes_circulate = _minutes_step(
    review_services.minutes_circulate, gettext_lazy("Minutes circulated for amendments.")
)
minutes_approve = _minutes_step(
    review_services.minutes_approve, gettext_lazy("Minutes approved and locked.")
)


@login_required
@require_POST
def amendment_propose(request: HttpRequest, public_id: str) -> HttpResponse:
    minutes = record_selectors.minutes_get(request.user, public_id=public_id)
    form = AmendmentForm(
        request.POST,
        parties=_my_parties(request),
        statements=record_selectors.statement_list(request.user, minutes=minutes),
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        review_services.amendment_propose(
            minutes=minutes,
            party=values["party"],
            user=request.user,
            text=values["text"],
            statement=values["statement"],
            rationale=values["rationale"],
        )
        messages.success(request, _("Amendment proposed; the secretariat will decide on it."))
        return redirect(_detail_url(minutes))

    return render_form_or_save(
        request, form, save, _detail_page(request, minutes, amendment_form=form)
    )


@login_required
@require_POST
def interpretative_statement_attach(request: HttpRequest, public_id: str) -> HttpResponse:
    minutes = record_selectors.minutes_get(request.user, public_id=public_id)
    form = DelegationStatementForm(
        request.POST, parties=_my_parties(request), items=_items(request, minutes)
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        record_services.interpretative_statement_attach(
            minutes=minutes,
            item=values["item"],
            party=values["party"],
            user=request.user,
            summary=values["summary"],
            full_text=values["full_text"],
        )
        messages.success(request, _("Interpretative statement attached to the record."))
        return redirect(_detail_url(minutes))

    return render_form_or_save(
        request, form, save, _detail_page(request, minutes, interpretative_form=form)
    )


@login_required
@require_POST
def action_point_create(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    minutes = record_selectors.minutes_get(request.user, public_id=public_id)
    form = ActionPointForm(
        request.POST, parties=_attending(request, minutes), items=_items(request, minutes)
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        action_points_services.action_point_create(
            minutes=minutes,
            user=request.user,
            description=values["description"],
            due_date=values["due_date"],
            owner=values["owner"],
            item=values["item"],
        )
        messages.success(request, _("Action point recorded."))
        return redirect(_detail_url(minutes))

    return render_form_or_save(
        request, form, save, _detail_page(request, minutes, action_point_form=form)
    )

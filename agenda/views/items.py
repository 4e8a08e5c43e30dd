"""Pages of the provisional agenda: the secretariat's builder and the delegates' objection form.

Thin: reads go through the selectors, writes through ``agenda.services``;
a refusal is shown as the service worded it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agenda.forms.items import (
    AgendaItemEditForm,
    AgendaItemForm,
    CarryOverForm,
    CirculateForm,
    ObjectionAnswerForm,
    ObjectionForm,
)
from agenda.forms.sessions import local_input_value
from agenda.models import Agenda, Session
from agenda.selectors.agendas import agenda_get, agenda_item_get, agenda_item_list, objection_get
from agenda.selectors.sessions import session_get, session_list
from agenda.services import agendas as services
from agenda.services import items as items_services
from agenda.services import objections as objections_services
from consult.errors import ApplicationError
from consult.pages import (
    render_form_or_save,
    run_service_and_redirect,
    secretariat_only,
    secretariat_step,
)
from members.selectors.parties import party_choice_list


def _builder_url(session: Session) -> str:
    return reverse("agenda:agenda_build", kwargs={"public_id": session.public_id})


def _earlier_sessions(request: HttpRequest, session: Session) -> QuerySet[Session]:
    """The sessions whose open items may be carried into ``session``: the readable earlier ones."""
    return session_list(user=request.user).filter(starts_at__lt=session.starts_at)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_build(request: HttpRequest, public_id: str) -> HttpResponse:
    """The secretariat's builder: items in order, add/edit/move/remove, circulate, adopt, reopen."""
    secretariat_only(request)
    session = session_get(user=request.user, public_id=public_id)
    zone = session.venue_timezone
    if request.method == "POST":
        item_form = AgendaItemForm(request.POST, parties=party_choice_list(), zone=zone)
    else:
        item_form = AgendaItemForm(
            parties=party_choice_list(), zone=zone, initial={"distribution": session.distribution}
        )

    def save(values: dict[str, Any]) -> HttpResponse:
        item = items_services.agenda_item_add(session=session, user=request.user, **values)
        messages.success(request, _("Item %(order)s added.") % {"order": item.order})
        return redirect(_builder_url(session))

    def page(status: int) -> HttpResponse:
        agenda = agenda_get(user=request.user, session=session)
        context = {
            "session": session,
            "agenda": agenda,
            "items": getattr(agenda, "visible_items", []),
            "objections": getattr(agenda, "visible_objections", []),
            "editable": agenda is None or agenda.status == Agenda.Status.DRAFT,
            "item_form": item_form,
            "circulate_form": CirculateForm(),
            "carry_form": CarryOverForm(earlier=_earlier_sessions(request, session)),
            "answer_form": ObjectionAnswerForm(),
            # The adopt button is offered only when the service would adopt.
            "adoption_refusal": services.agenda_adoption_refusal(agenda, now=timezone.now())
            if agenda is not None and agenda.status == Agenda.Status.CIRCULATED
            else None,
        }
        return render(request, "agenda/agenda_build.html", context, status=status)

    return render_form_or_save(request, item_form, save, page)


@login_required
@require_POST
def agenda_circulate(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    session = session_get(user=request.user, public_id=public_id)
    form = CirculateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the objection window in days (1 to 60)."))
        return redirect(_builder_url(session))
    return run_service_and_redirect(
        request,
        _builder_url(session),
        lambda: services.agenda_circulate(
            session=session, user=request.user, window_days=form.cleaned_data["window_days"]
        ),
        _("The agenda is circulated to the seat-holders for objections."),
    )


def _session(request: HttpRequest, public_id: str) -> Session:
    return session_get(user=request.user, public_id=public_id)


_agenda_step = partial(secretariat_step, load=_session, subject="session", back=_builder_url)
agenda_adopt = _agenda_step(services.agenda_adopt, gettext_lazy("The agenda is adopted."))
agenda_reopen = _agenda_step(
    services.agenda_reopen,
    gettext_lazy("The agenda is a draft again; circulate it once it is ready."),
)


@login_required
@require_POST
def agenda_carry_over(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    session = session_get(user=request.user, public_id=public_id)
    form = CarryOverForm(request.POST, earlier=_earlier_sessions(request, session))
    if not form.is_valid():
        messages.error(request, _("Choose the session whose open items to carry over."))
        return redirect(_builder_url(session))

    def carry() -> None:
        carried = items_services.agenda_items_carry_over(
            from_session=form.cleaned_data["from_session"], to_session=session, user=request.user
        )
        if not carried:
            raise ApplicationError(_("That session has no open items left to carry over."))

    return run_service_and_redirect(
        request,
        _builder_url(session),
        carry,
        _("Open items carried over to the end of the agenda."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agendaitem_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    item = agenda_item_get(user=request.user, public_id=public_id)
    zone = item.session.venue_timezone
    if request.method == "POST":
        form = AgendaItemEditForm(request.POST, parties=party_choice_list(), zone=zone)
    else:
        form = AgendaItemEditForm(
            parties=party_choice_list(),
            zone=zone,
            initial={
                "starts_at": local_input_value(item.starts_at, zone) if item.starts_at else None,
                "duration_minutes": item.duration_minutes,
                "title": item.title,
                "kind": item.kind,
                "description": item.description,
                "proposer": item.proposer,
                "distribution": item.distribution,
                "chatham_house": item.chatham_house,
                "is_open": item.is_open,
            },
        )

    def save(values: dict[str, Any]) -> HttpResponse:
        items_services.agenda_item_update(
            item=item,
            user=request.user,
            title=values["title"],
            kind=values["kind"],
            description=values["description"],
            proposer=values["proposer"],
            clear_proposer=values["proposer"] is None,
            distribution=values["distribution"],
            chatham_house=values["chatham_house"],
            is_open=values["is_open"],
            set_timetable=True,
            starts_at=values["starts_at"],
            duration_minutes=values["duration_minutes"],
        )
        messages.success(request, _("Item %(order)s saved.") % {"order": item.order})
        return redirect(_builder_url(item.session))

    def page(status: int) -> HttpResponse:
        context = {"item": item, "form": form}
        return render(request, "agenda/agendaitem_form.html", context, status=status)

    return render_form_or_save(request, form, save, page)


@login_required
@require_POST
def agendaitem_move(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    item = agenda_item_get(user=request.user, public_id=public_id)
    offset = -1 if request.POST.get("direction") == "up" else 1
    return run_service_and_redirect(
        request,
        _builder_url(item.session),
        lambda: items_services.agenda_item_move(item=item, user=request.user, offset=offset),
        _("Item “%(title)s” moved.") % {"title": item.title},
    )


@login_required
@require_POST
def agendaitem_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    item = agenda_item_get(user=request.user, public_id=public_id)
    return run_service_and_redirect(
        request,
        _builder_url(item.session),
        lambda: items_services.agenda_item_remove(item=item, user=request.user),
        _("Item “%(title)s” removed.") % {"title": item.title},
    )


@login_required
@require_POST
def objection_answer(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    objection = objection_get(user=request.user, public_id=public_id)
    session = objection.agenda.session
    form = ObjectionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer to the objection."))
        return redirect(_builder_url(session))
    return run_service_and_redirect(
        request,
        _builder_url(session),
        lambda: objections_services.objection_answer(
            objection=objection, user=request.user, response=form.cleaned_data["response"]
        ),
        _("The objection of %(party)s is answered.") % {"party": objection.party.code},
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """A seat-holder delegation objects to the circulated agenda, or to one of its items."""
    session = session_get(user=request.user, public_id=public_id)
    agenda = agenda_get(user=request.user, session=session)
    items = agenda_item_list(user=request.user, session=session).order_by("order")
    form = ObjectionForm(request.POST or None, items=items)

    def save(values: dict[str, Any]) -> HttpResponse:
        objections_services.objection_raise(
            session=session, user=request.user, text=values["text"], item=values["item"]
        )
        messages.success(request, _("Your objection is recorded; the secretariat will answer it."))
        return redirect(session.get_absolute_url())

    def page(status: int) -> HttpResponse:
        context = {
            "session": session,
            "agenda": agenda,
            "items": items,
            "form": form,
            "objections": getattr(agenda, "visible_objections", []),
            # The form is offered only when the service would take the objection.
            "refusal": objections_services.objection_refusal(
                agenda, number=session.number, now=timezone.now()
            ),
        }
        return render(request, "agenda/objection_form.html", context, status=status)

    return render_form_or_save(request, form, save, page)

"""Tabletop exercise pages: the facilitator's (MSEL, controls, every response as it
comes), the players' (their injects as they arrive, the response form), the AAR, the
live channel both listen to, and the secretariat's translations of the exercise's title,
scenario and objectives, of each inject's text and of the AAR's text.

The live channel is a server-sent event stream read from ``ExerciseEvent`` rows through
the selectors, so each reader is sent only what the rule lets it read at that moment,
a release made by the beat task in another process reaches the page like one made by
hand, and a browser reconnecting with ``Last-Event-ID`` catches up. Each stream ends
after ``EXERCISE_LIVE_SECONDS``; the browser reconnects at once and the rule is read again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult import access, parallel
from consult.actors import Actor
from consult.pages import render_form_or_save, run_service_and_redirect, secretariat_only
from consult.parallel_views import TranslatedText, translation_pages
from crises.forms.exercises import InjectForm, ReportForm, ResponseForm, improvements_text
from crises.models import AfterActionReport, Exercise, ExerciseEvent, Inject, Response
from crises.models.exercises import AAR_PARALLEL, EXERCISE_PARALLEL, INJECT_PARALLEL
from crises.selectors.exercises import (
    event_feed,
    event_latest_id,
    exercise_get,
    exercise_list,
    exercise_parties,
    inject_get,
    inject_list,
    report_get,
    report_of,
    response_list,
    response_parties,
)
from crises.services import exercises as services

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _detail_url(exercise: Exercise) -> str:
    return reverse("crises:exercise_detail", kwargs={"public_id": exercise.public_id})


@login_required
def exercise_list_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "crises/exercise_list.html",
        {
            "exercises": exercise_list(user=request.user),
            "is_secretariat": access.is_secretariat(request.user),
        },
    )


def live_phrases() -> dict[str, str]:
    """The live channel's words, in the reader's language, for static/js/exercise-live.js
    (which puts the event's values in place of each ``%(name)s``)."""
    return {
        "title": _("Inject %(order)s"),
        "secret": _("(secret)"),
        "released": _("released %(at)s"),
        "disclosed": _(", disclosed"),
        "response_label": _("Your response to inject %(order)s"),
        "announce_new": _("New inject: %(text)s"),
        "announce_disclosed": _("Inject disclosed: %(text)s"),
        "announce_response": _("Response from %(party)s"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def exercise_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The facilitator's page for the secretariat (with the form adding an inject), the
    player's page for a participating delegation."""
    exercise = exercise_get(user=request.user, public_id=public_id)
    facilitator = access.reads_as_secretariat(request.user)
    # Read before the injects: the live channel then replays anything newer.
    last_event = event_latest_id(exercise=exercise)
    parties = exercise_parties(exercise=exercise)
    form = InjectForm(request.POST or None, parties=parties) if facilitator else None
    if request.method == "POST" and form is None:
        raise Http404("Not found.")

    def save(values: dict[str, Any]) -> HttpResponse:
        inject = services.inject_add(exercise=exercise, user=request.user, **values)
        messages.success(
            request, _("Inject %(order)s added to the MSEL.") % {"order": inject.order}
        )
        return redirect(_detail_url(exercise))

    def page(status: int) -> HttpResponse:
        injects = list(inject_list(user=request.user, exercise=exercise))
        responses = list(response_list(user=request.user, exercise=exercise))
        by_inject: dict[int, list[Response]] = {}
        for response in responses:
            by_inject.setdefault(response.inject_id, []).append(response)
        rows = [(inject, by_inject.get(inject.pk, [])) for inject in injects]
        return render(
            request,
            "crises/exercise_facilitator.html" if facilitator else "crises/exercise_player.html",
            {
                "exercise": exercise,
                "rows": rows,
                "parties": parties,
                "form": form,
                "response_form": ResponseForm(),
                "can_respond": bool(response_parties(user=request.user, exercise=exercise)),
                "report": report_of(user=request.user, exercise=exercise),
                "last_event": last_event,
                "live_url": reverse(
                    "crises:exercise_live", kwargs={"public_id": exercise.public_id}
                ),
                "live_phrases": live_phrases(),
                "is_secretariat": access.is_secretariat(request.user),
            },
            status=status,
        )

    if form is None:
        return page(200)
    return render_form_or_save(request, form, save, page)


def _step(service: Any, done: StrOrPromise) -> Any:
    @login_required
    @require_POST
    def view(request: HttpRequest, public_id: str) -> HttpResponse:
        secretariat_only(request)
        exercise = exercise_get(user=request.user, public_id=public_id)
        return run_service_and_redirect(
            request,
            _detail_url(exercise),
            lambda: service(exercise=exercise, user=request.user),
            done,
        )

    return view


exercise_translations, exercise_translation_confirm = translation_pages(
    TranslatedText(
        "crises:exercise",
        exercise_get,
        EXERCISE_PARALLEL,
        "scenario",
        gettext_lazy("Scenario"),
        extra_text_field="objectives",
        extra_text_label=gettext_lazy("Objectives"),
    ),
    write=services.exercise_translation_set,
    confirm=services.exercise_translation_confirm,
)


def _inject_name(inject: Inject) -> SafeString:
    """The inject named in the reader's words ("Inject 2 of …"), its exercise's title served."""
    return format_html(
        _("Inject {order} of {exercise}"),
        order=inject.order,
        exercise=parallel.served_title_marked(inject.exercise, EXERCISE_PARALLEL),
    )


def _report_name(report: AfterActionReport) -> SafeString:
    return format_html(
        _("After-action report of {exercise}"),
        exercise=parallel.served_title_marked(report.exercise, EXERCISE_PARALLEL),
    )


inject_translations, inject_translation_confirm = translation_pages(
    TranslatedText(
        "crises:inject",
        inject_get,
        INJECT_PARALLEL,
        "text",
        gettext_lazy("Text"),
        rich_text=False,
        name=_inject_name,
    ),
    write=services.inject_translation_set,
    confirm=services.inject_translation_confirm,
)


def _report_url(report: AfterActionReport) -> str:
    return reverse("crises:exercise_report", kwargs={"public_id": report.exercise.public_id})


# The AAR's text, which has no title: at its exercise's address, as the report itself is.
aar_translations, aar_translation_confirm = translation_pages(
    TranslatedText(
        "crises:aar",
        report_get,
        AAR_PARALLEL,
        "text",
        gettext_lazy("Report"),
        back=_report_url,
        keyword="report",
        route_id=lambda report: report.exercise.public_id,
        name=_report_name,
    ),
    write=services.aar_translation_set,
    confirm=services.aar_translation_confirm,
)

exercise_start = _step(services.exercise_start, gettext_lazy("The exercise runs."))
exercise_pause = _step(services.exercise_pause, gettext_lazy("The exercise is paused."))
exercise_end = _step(services.exercise_end, gettext_lazy("The exercise has ended."))


def _inject_step(service: Any, done: StrOrPromise) -> Any:
    @login_required
    @require_POST
    def view(request: HttpRequest, public_id: str) -> HttpResponse:
        secretariat_only(request)
        inject = inject_get(user=request.user, public_id=public_id)
        return run_service_and_redirect(
            request,
            _detail_url(inject.exercise),
            lambda: service(inject=inject, user=request.user),
            str(done) % {"order": inject.order},
        )

    return view


@login_required
@require_http_methods(["GET", "POST"])
def inject_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """The secretariat's edit of an inject not yet released (the service refuses a released
    one: it is a record of the exercise)."""
    secretariat_only(request)
    inject = inject_get(user=request.user, public_id=public_id)
    form = InjectForm(
        request.POST or None,
        parties=exercise_parties(exercise=inject.exercise),
        initial={
            "text": inject.text,
            "scenario_time": inject.scenario_time,
            "recipient": inject.recipient.code if inject.recipient else "",
            "expected_response": inject.expected_response,
            "scheduled_after": inject.scheduled_after,
        },
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        services.inject_update(inject=inject, user=request.user, **values)
        messages.success(request, _("Inject %(order)s saved.") % {"order": inject.order})
        return redirect(_detail_url(inject.exercise))

    def page(status: int) -> HttpResponse:
        return render(
            request, "crises/inject_form.html", {"form": form, "inject": inject}, status=status
        )

    return render_form_or_save(request, form, save, page)


inject_release = _inject_step(services.inject_release, gettext_lazy("Inject %(order)s released."))
inject_disclose = _inject_step(
    services.inject_disclose, gettext_lazy("Inject %(order)s disclosed to all.")
)


@login_required
@require_POST
def response_record(request: HttpRequest, public_id: str) -> HttpResponse:
    inject = inject_get(user=request.user, public_id=public_id)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a response first."))
        return redirect(_detail_url(inject.exercise))
    return run_service_and_redirect(
        request,
        _detail_url(inject.exercise),
        lambda: services.response_record(
            inject=inject, user=request.user, text=form.cleaned_data["text"]
        ),
        _("Response to inject %(order)s sent.") % {"order": inject.order},
    )


def inject_payload(inject: Inject, language: str | None = None) -> dict[str, Any]:
    """What a reader of ``inject`` is sent: never the expected response. Its text in
    ``language`` when a current translation has it, else the authoritative one
    (``text_language`` says which)."""
    version = parallel.version_for(inject, INJECT_PARALLEL, language)
    return {
        "id": str(inject.public_id),
        "order": inject.order,
        "scenario_time": inject.scenario_time,
        "text": version["text"],
        "text_language": version.language,
        "to": inject.recipient.display_name if inject.recipient else _("All participants"),
        "secret": inject.is_secret,
        "released_at": timezone.localtime(inject.released_at).strftime("%H:%M:%S")
        if inject.released_at
        else "",
    }


def event_payload(event: ExerciseEvent, language: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "kind": event.kind,
        "status": event.exercise.status,
        "status_label": event.exercise.get_status_display(),
    }
    if event.inject is not None and event.kind != ExerciseEvent.Kind.RESPONSE:
        payload["inject"] = inject_payload(event.inject, language)
    if event.response is not None:
        payload["response"] = {
            "id": str(event.response.public_id),
            "inject": str(event.response.inject.public_id),
            "party": event.response.party.display_name,
            "text": event.response.text,
            "at": timezone.localtime(event.response.created_at).strftime("%H:%M:%S"),
        }
    return payload


def _last_event_id(request: HttpRequest) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last") or "0"
    try:
        return max(int(raw), 0)
    except ValueError:
        return 0


def live_stream(
    *, user: Actor, exercise: Exercise, after: int, language: str | None = None
) -> Iterator[str]:
    """The server-sent events for ``user`` after event ``after``, polled from the rows; the
    injects' texts in ``language`` (the reader's, read when the stream was asked for: the
    stream outlives the request's activated language)."""
    yield "retry: 1000\n\n"
    deadline = time.monotonic() + settings.EXERCISE_LIVE_SECONDS
    while True:
        events, last = event_feed(user=user, exercise=exercise, after=after)
        for event in events:
            yield f"id: {event.pk}\ndata: {json.dumps(event_payload(event, language))}\n\n"
        if last > (events[-1].pk if events else after):
            # Past events this reader is not told of: the id alone, dispatching nothing.
            yield f"id: {last}\n\n"
        after = last
        if time.monotonic() >= deadline:
            return
        time.sleep(settings.EXERCISE_LIVE_POLL_SECONDS)


@login_required
@require_GET
def exercise_live(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    exercise = exercise_get(user=request.user, public_id=public_id)
    response = StreamingHttpResponse(
        live_stream(
            user=request.user,
            exercise=exercise,
            after=_last_event_id(request),
            language=translation.get_language(),
        ),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def exercise_report(request: HttpRequest, public_id: str) -> HttpResponse:
    """The AAR/IP: the secretariat drafts, edits, publishes and confirms it; once published
    the players read it."""
    exercise = exercise_get(user=request.user, public_id=public_id)
    report = report_of(user=request.user, exercise=exercise)
    if not access.is_secretariat(request.user):
        if report is None or request.method == "POST":
            raise Http404("Not found.")
        return render(
            request, "crises/exercise_report.html", {"exercise": exercise, "report": report}
        )
    if report is None:
        return render(
            request, "crises/exercise_report.html", {"exercise": exercise, "report": None}
        )
    form = ReportForm(
        request.POST or None,
        parties=exercise_parties(exercise=exercise),
        initial={
            "text": report.text,
            "improvements": improvements_text(report),
            "publish": report.published_at is not None,
        },
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        services.aar_update(
            report=report,
            user=request.user,
            text=values["text"],
            improvements=values["improvements"],
            publish=values["publish"],
        )
        messages.success(request, _("Report saved."))
        return redirect(reverse("crises:exercise_report", kwargs={"public_id": public_id}))

    def page(status: int) -> HttpResponse:
        return render(
            request,
            "crises/exercise_report.html",
            {"exercise": exercise, "report": report, "form": form},
            status=status,
        )

    return render_form_or_save(request, form, save, page)


def _report_step(service: Any, done: StrOrPromise, *, on_report: bool) -> Any:
    @login_required
    @require_POST
    def view(request: HttpRequest, public_id: str) -> HttpResponse:
        secretariat_only(request)
        exercise = exercise_get(user=request.user, public_id=public_id)
        url = reverse("crises:exercise_report", kwargs={"public_id": public_id})
        if not on_report:
            return run_service_and_redirect(
                request, url, lambda: service(exercise=exercise, user=request.user), done
            )
        report = report_of(user=request.user, exercise=exercise)
        if report is None:
            raise Http404("Not found.")
        return run_service_and_redirect(
            request, url, lambda: service(report=report, user=request.user), done
        )

    return view


aar_draft = _report_step(
    services.aar_draft, gettext_lazy("Report drafted from the timeline."), on_report=False
)
aar_confirm = _report_step(
    services.aar_improvements_to_action_points,
    gettext_lazy("The improvement plan is in the record's action points."),
    on_report=True,
)

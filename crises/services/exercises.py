"""Tabletop exercises: the facilitator's MSEL, live play, responses and the AAR/IP.

Every change that a screen should show at once is also written as an ``ExerciseEvent``
row in the same transaction: the live channel reads those rows, so a browser that
reconnects catches up, and a release by the beat task reaches the pages like one by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from agenda.models import AgendaItem
from agenda.selectors.invitations import invited_party_list
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.parallel import Version, language_codes, translations_outdate, version_for
from consult.sanitize import sanitize_html
from consult.validation import clean_text
from crises.models import (
    AfterActionReport,
    Crisis,
    Exercise,
    ExerciseEvent,
    ImprovementItem,
    Inject,
    Response,
)
from crises.models.exercises import AAR_PARALLEL, EXERCISE_PARALLEL, INJECT_PARALLEL
from crises.selectors.exercises import inject_list, response_parties
from crises.services.translations import (
    authoritative_update,
    translated_title,
    translation_confirm_record,
    translation_record,
)
from members.models import Party
from minutes.models import Minutes
from minutes.services.action_points import action_point_create

MAX_TEXT_CHARS = 50_000
MAX_SCHEDULE_MINUTES = 7 * 24 * 60


def _rich(text: str, *, field: str, label: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise ApplicationError(
            _("%(label)s is longer than %(max)s characters.")
            % {"label": label, "max": number_format(MAX_TEXT_CHARS, force_grouping=True)},
            fields={field: [_("Too long.")]},
        )
    return sanitize_html(text).html if text.strip() else ""


def _plain(text: str, *, field: str, label: str, required: bool = True) -> str:
    if not required and not text.strip():
        return ""
    return clean_text(text, field=field, label=label, max_length=MAX_TEXT_CHARS)


def _locked(exercise: Exercise) -> Exercise:
    return Exercise.objects.select_for_update().get(pk=exercise.pk)


def _not_ended(exercise: Exercise, doing: str) -> None:
    if exercise.status == Exercise.Status.ENDED:
        raise ApplicationError(
            _("The exercise has ended: nobody may %(doing)s any more.") % {"doing": doing}
        )


def _players(*, user: Actor, exercise_session: object, parties: list[Party]) -> list[Party]:
    if not parties:
        raise ApplicationError(
            _("Choose the delegations taking part."),
            fields={"parties": [_("Choose at least one.")]},
        )
    invited = set(invited_party_list(user=user, session=exercise_session))  # type: ignore[arg-type]
    outside = sorted(party.code for party in parties if party not in invited)
    if outside:
        raise ApplicationError(
            ngettext(
                "%(parties)s is not invited to the session of the exercise.",
                "%(parties)s are not invited to the session of the exercise.",
                len(outside),
            )
            % {"parties": ", ".join(outside)},
            fields={"parties": [_("Choose delegations invited to the session.")]},
        )
    return parties


def _event(
    exercise: Exercise, kind: str, *, inject: Inject | None = None, response: Response | None = None
) -> None:
    ExerciseEvent.objects.create(exercise=exercise, kind=kind, inject=inject, response=response)


@transaction.atomic
def exercise_create(
    *,
    user: Actor,
    title: str,
    parties: list[Party],
    item: AgendaItem | None = None,
    crisis: Crisis | None = None,
    scenario: str = "",
    objectives: str = "",
) -> Exercise:
    """A draft exercise on an agenda item or a crisis, facilitated by ``user``."""
    require_secretariat(user, _("prepare exercises"))
    if (item is None) == (crisis is None):
        raise ApplicationError(
            _("An exercise is held on one agenda item or on one crisis."),
            fields={"item": [_("Choose an item or a crisis, not both.")]},
        )
    session = item.session if item is not None else crisis.session  # type: ignore[union-attr]
    players = _players(user=user, exercise_session=session, parties=parties)
    exercise = Exercise.objects.create(
        title=clean_text(title, field="title", label=_("The title"), max_length=200, visible=True),
        scenario=_rich(scenario, field="scenario", label=_("The scenario")),
        objectives=_plain(
            objectives, field="objectives", label=_("The objectives"), required=False
        ),
        item=item,
        crisis=crisis,
        session=session,
        facilitator=signed_in(user),
        created_by=signed_in(user),
    )
    exercise.parties.set(players)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=exercise, summary="Exercise drafted")
    return exercise


@transaction.atomic
def exercise_update(
    *,
    exercise: Exercise,
    user: Actor,
    title: str,
    scenario: str,
    objectives: str,
    parties: list[Party],
) -> Exercise:
    require_secretariat(user, _("prepare exercises"))
    exercise = _locked(exercise)
    _not_ended(exercise, _("change it"))
    players = _players(user=user, exercise_session=exercise.session, parties=parties)
    secret_to = set(
        exercise.injects.filter(recipient__isnull=False)
        .exclude(recipient__in=players)
        .values_list("recipient__code", flat=True)
    )
    if secret_to:
        raise ApplicationError(
            ngettext(
                "Injects go to %(parties)s: keep it among the players.",
                "Injects go to %(parties)s: keep them among the players.",
                len(secret_to),
            )
            % {"parties": ", ".join(sorted(secret_to))},
            fields={"parties": [_("A recipient of an inject must keep playing.")]},
        )
    before = (exercise.title, exercise.scenario, exercise.objectives)
    exercise.title = clean_text(
        title, field="title", label=_("The title"), max_length=200, visible=True
    )
    exercise.scenario = _rich(scenario, field="scenario", label=_("The scenario"))
    exercise.objectives = _plain(
        objectives, field="objectives", label=_("The objectives"), required=False
    )
    fields = ["title", "scenario", "objectives", "updated_at"]
    if (exercise.title, exercise.scenario, exercise.objectives) != before:
        # The authoritative text changed: every translation is outdated until rewritten.
        fields += translations_outdate(exercise, EXERCISE_PARALLEL)
    exercise.save(update_fields=fields)
    exercise.parties.set(players)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=exercise, summary="Exercise edited")
    return exercise


@transaction.atomic
def exercise_translation_set(
    *, exercise: Exercise, user: Actor, language: str, title: str, scenario: str, objectives: str
) -> Exercise:
    """Add or rewrite the translation of the exercise's title, scenario and objectives into
    ``language``: an unofficial translation until the secretariat confirms it. A scenario and
    objectives are required where the exercise has them. Also once it has ended: its title
    heads the after-action report in the next briefing pack."""
    values = {
        "title": translated_title(title),
        "scenario": _rich(scenario, field="scenario", label=_("The scenario")),
        "objectives": _plain(
            objectives, field="objectives", label=_("The objectives"), required=False
        ),
    }
    return translation_record(
        exercise, EXERCISE_PARALLEL, user=user, language=language, values=values
    )


@transaction.atomic
def exercise_translation_confirm(*, exercise: Exercise, user: Actor, language: str) -> Exercise:
    """Confirm the exercise's translation into ``language``: refused when there is none, or
    when the exercise was edited since it was written."""
    return translation_confirm_record(exercise, EXERCISE_PARALLEL, user=user, language=language)


@transaction.atomic
def inject_translation_set(*, inject: Inject, user: Actor, language: str, text: str) -> Inject:
    """Add or rewrite the translation of the inject's text into ``language``: an unofficial
    translation until the secretariat confirms it. Before or after its release: the MSEL is
    the secretariat's to prepare in every working language."""
    values = {"text": _plain(text, field="text", label=_("The text"))}
    return translation_record(inject, INJECT_PARALLEL, user=user, language=language, values=values)


@transaction.atomic
def inject_translation_confirm(*, inject: Inject, user: Actor, language: str) -> Inject:
    """Confirm the inject's translation into ``language``: refused when there is none."""
    return translation_confirm_record(inject, INJECT_PARALLEL, user=user, language=language)


def _inject_recipient(exercise: Exercise, recipient: Party | None) -> Party | None:
    if recipient is not None and not exercise.parties.filter(pk=recipient.pk).exists():
        raise ApplicationError(
            _("%(party)s does not take part in the exercise.") % {"party": recipient.display_name},
            fields={"recipient": [_("Choose a participating delegation, or everyone.")]},
        )
    return recipient


def _inject_schedule(scheduled_after: int | None) -> int | None:
    if scheduled_after is not None and not 0 <= scheduled_after <= MAX_SCHEDULE_MINUTES:
        raise ApplicationError(
            _("An inject is scheduled between 0 and %(max)s minutes after the start.")
            % {"max": MAX_SCHEDULE_MINUTES},
            fields={"scheduled_after": [_("Out of range.")]},
        )
    return scheduled_after


@transaction.atomic
def inject_add(
    *,
    exercise: Exercise,
    user: Actor,
    text: str,
    scenario_time: str = "",
    recipient: Party | None = None,
    expected_response: str = "",
    follow_up: Inject | None = None,
    scheduled_after: int | None = None,
) -> Inject:
    """An inject at the end of the MSEL."""
    require_secretariat(user, _("write the MSEL"))
    exercise = _locked(exercise)
    _not_ended(exercise, _("add injects"))
    _inject_recipient(exercise, recipient)
    if follow_up is not None and follow_up.exercise_id != exercise.pk:
        raise ApplicationError(
            _("The follow-up inject belongs to another exercise."),
            fields={"follow_up": [_("Choose an inject of this exercise.")]},
        )
    _inject_schedule(scheduled_after)
    order = (exercise.injects.aggregate(last=Max("order"))["last"] or 0) + 1
    inject = Inject.objects.create(
        exercise=exercise,
        order=order,
        scenario_time=(scenario_time or "").strip()[:60],
        text=_plain(text, field="text", label=_("The inject")),
        recipient=recipient,
        expected_response=_plain(
            expected_response,
            field="expected_response",
            label=_("The expected response"),
            required=False,
        ),
        follow_up=follow_up,
        scheduled_after=scheduled_after,
    )
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=inject, summary="Inject added")
    return inject


@transaction.atomic
def inject_update(
    *,
    inject: Inject,
    user: Actor,
    text: str,
    scenario_time: str,
    recipient: Party | None,
    expected_response: str,
    scheduled_after: int | None,
) -> Inject:
    """Edit an inject of the MSEL before its release: a changed text outdates every
    translation. Once released to delegations it is a record of the exercise, and stays as
    it was released; saving it unchanged changes nothing."""
    require_secretariat(user, _("write the MSEL"))
    inject = Inject.objects.select_for_update().select_related("exercise").get(pk=inject.pk)
    if inject.released_at is not None:
        raise ApplicationError(
            _(
                "Inject %(order)s was released to the delegations: it is a record of the "
                "exercise and can no longer be edited."
            )
            % {"order": inject.order}
        )
    _not_ended(inject.exercise, _("change injects"))
    values = {
        "text": _plain(text, field="text", label=_("The inject")),
        "scenario_time": (scenario_time or "").strip()[:60],
        "recipient": _inject_recipient(inject.exercise, recipient),
        "expected_response": _plain(
            expected_response,
            field="expected_response",
            label=_("The expected response"),
            required=False,
        ),
        "scheduled_after": _inject_schedule(scheduled_after),
    }
    return authoritative_update(
        inject, INJECT_PARALLEL, user=user, values=values, said="Inject edited"
    )


# step: (the statuses it is taken from, the status it leads to, its participle)
NEXT_STATUS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "start": ((Exercise.Status.DRAFT, Exercise.Status.PAUSED), Exercise.Status.RUNNING, "started"),
    "pause": ((Exercise.Status.RUNNING,), Exercise.Status.PAUSED, "paused"),
    "end": ((Exercise.Status.RUNNING, Exercise.Status.PAUSED), Exercise.Status.ENDED, "ended"),
}


def _step_done(done: str) -> str:
    """The step's participle, worded in the reader's language."""
    return {
        "started": pgettext("exercise step", "started"),
        "paused": pgettext("exercise step", "paused"),
        "ended": pgettext("exercise step", "ended"),
    }[done]


def _move(exercise: Exercise, user: Actor, step: str) -> Exercise:
    require_secretariat(user, _("run exercises"))
    exercise = _locked(exercise)
    allowed, to, done = NEXT_STATUS[step]
    if exercise.status not in allowed:
        raise ApplicationError(
            _("A %(status)s exercise cannot be %(done)s.")
            % {"status": exercise.get_status_display().lower(), "done": _step_done(done)}
        )
    now = timezone.now()
    exercise.status = to
    if step == "start" and exercise.started_at is None:
        exercise.started_at = now
    if step == "end":
        exercise.ended_at = now
    exercise.save(update_fields=["status", "started_at", "ended_at", "updated_at"])
    _event(exercise, ExerciseEvent.Kind.STATUS)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=exercise, summary=f"Exercise {to}")
    return exercise


@transaction.atomic
def exercise_start(*, exercise: Exercise, user: Actor) -> Exercise:
    """Start a draft exercise, or resume a paused one."""
    return _move(exercise, user, "start")


@transaction.atomic
def exercise_pause(*, exercise: Exercise, user: Actor) -> Exercise:
    return _move(exercise, user, "pause")


@transaction.atomic
def exercise_end(*, exercise: Exercise, user: Actor) -> Exercise:
    return _move(exercise, user, "end")


@transaction.atomic
def inject_release(*, inject: Inject, user: Actor | None) -> Inject:
    """Release an inject to its recipients; ``user`` None is the schedule."""
    require_secretariat(user, _("release injects"))
    inject = Inject.objects.select_for_update().select_related("exercise").get(pk=inject.pk)
    if inject.released_at is not None:
        raise ApplicationError(_("Inject %(order)s is already released.") % {"order": inject.order})
    if inject.exercise.status != Exercise.Status.RUNNING:
        raise ApplicationError(
            _("Injects are released while the exercise runs; it is %(status)s.")
            % {"status": inject.exercise.get_status_display().lower()}
        )
    inject.released_at = timezone.now()
    inject.released_by = user if user is not None else None  # type: ignore[assignment]
    inject.save(update_fields=["released_at", "released_by", "updated_at"])
    _event(inject.exercise, ExerciseEvent.Kind.RELEASED, inject=inject)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        username="" if user is not None else "schedule",
        obj=inject,
        summary="Inject released",
    )
    return inject


@transaction.atomic
def inject_disclose(*, inject: Inject, user: Actor) -> Inject:
    """Show a released secret inject to every participating party."""
    require_secretariat(user, _("disclose injects"))
    inject = Inject.objects.select_for_update().select_related("exercise").get(pk=inject.pk)
    if inject.recipient_id is None:
        raise ApplicationError(
            _("Inject %(order)s went to everyone: nothing to disclose.") % {"order": inject.order}
        )
    if inject.released_at is None:
        raise ApplicationError(_("Inject %(order)s is not released yet.") % {"order": inject.order})
    if inject.disclosed_at is not None:
        raise ApplicationError(
            _("Inject %(order)s is already disclosed.") % {"order": inject.order}
        )
    inject.disclosed_at = timezone.now()
    inject.save(update_fields=["disclosed_at", "updated_at"])
    _event(inject.exercise, ExerciseEvent.Kind.DISCLOSED, inject=inject)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=inject, summary="Inject disclosed")
    return inject


@transaction.atomic
def response_record(
    *, inject: Inject, user: Actor, text: str, party: Party | None = None
) -> Response:
    """A participating party's answer to an inject it reads."""
    # The inject as the responder reads it: one it may not read is answered as missing.
    readable = inject_list(user=user).filter(pk=inject.pk).first()
    if readable is None:
        raise Http404("Not found.")
    exercise = Exercise.objects.select_for_update().get(pk=readable.exercise_id)
    _not_ended(exercise, _("respond"))
    parties = response_parties(user=user, exercise=exercise)
    if party is None:
        if not parties:
            raise PermissionDenied(_("Only a delegation taking part in the exercise responds."))
        if len(parties) > 1:
            raise ApplicationError(
                _("Say which party you respond for."), fields={"party": [_("Choose a party.")]}
            )
        party = parties[0]
    elif party not in parties:
        raise PermissionDenied(
            _("%(party)s does not take part in the exercise, or you do not speak for it.")
            % {"party": party.display_name}
        )
    if readable.recipient_id is not None and readable.recipient_id != party.pk:
        raise ApplicationError(
            _("Inject %(order)s went to %(party)s; only it responds.")
            % {"order": readable.order, "party": readable.recipient.display_name},  # type: ignore[union-attr]
        )
    response = Response.objects.create(
        inject=readable,
        party=party,
        text=_plain(text, field="text", label=_("The response")),
        responded_by=signed_in(user),
    )
    _event(exercise, ExerciseEvent.Kind.RESPONSE, inject=readable, response=response)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=response, summary="Response")
    return response


def injects_release_due(*, now: datetime) -> int:
    """Release every inject whose scheduled minute after the start has come, in running
    exercises; each in its own transaction, so one refusal does not hold back the others.
    The schedule counts from the start; a pause holds releases back until resumed."""
    released = 0
    due = Inject.objects.filter(
        exercise__status=Exercise.Status.RUNNING,
        released_at__isnull=True,
        scheduled_after__isnull=False,
    ).select_related("exercise")
    for inject in due.order_by("exercise_id", "order"):
        started = inject.exercise.started_at
        if started is None or started + timedelta(minutes=inject.scheduled_after or 0) > now:
            continue
        try:
            inject_release(inject=inject, user=None)
        except ApplicationError:
            # Released by hand, or the exercise was paused, in between.
            continue
        released += 1
    return released


def _draft_language() -> str:
    """The language a draft is written in: the drafting secretariat member's (the active
    language), English where it is not a working language."""
    code = (translation.get_language() or "").split("-")[0].lower()
    return code if code in language_codes() else "en"


def _in_language(version: Version, language: str) -> str:
    """`` lang="xx"`` where the text served is not in the draft's language (the
    authoritative text standing in for a missing or outdated translation)."""
    return "" if version.language == language else f' lang="{escape(version.language)}"'


def _heading(words: str) -> str:
    return f"<h3>{escape(words)}</h3>"


def _timeline_html(exercise: Exercise, language: str) -> str:
    """The draft of the exercise's report in ``language``: its fixed words in that language,
    the exercise's title and objectives and each inject's text in it where a current
    translation has them, else the authoritative text marked with its own language.
    Responses and expected responses stay as written."""
    with translation.override(language):
        served = version_for(exercise, EXERCISE_PARALLEL, language)
        marked = _in_language(served, language)
        parts = [f"<h2{marked}>{escape(served['title'])}</h2>"]
        if served["objectives"]:
            parts.append(
                _heading(_("Objectives")) + f"<p{marked}>{escape(served['objectives'])}</p>"
            )
        parts.append(_heading(_("Timeline")) + "<ol>")
        injects = exercise.injects.select_related("recipient").prefetch_related("responses__party")
        for inject in injects.order_by("order"):
            parts.append(_inject_html(inject, language))
        parts.append(
            "</ol>"
            + _heading(_("Strengths"))
            + "<p></p>"
            + _heading(_("Areas for improvement"))
            + "<p></p>"
        )
    return "".join(parts)


def _inject_html(inject: Inject, language: str) -> str:
    """One inject of a draft, in the active language (the draft's)."""
    if inject.released_at:
        when = timezone.localtime(inject.released_at).strftime("%H:%M")
    else:
        when = _("not released")
    to = inject.recipient.display_name if inject.recipient else _("all participants")
    label = inject.scenario_time or _("Inject %(order)s") % {"order": inject.order}
    heading = _("%(label)s (%(when)s, to %(to)s):") % {
        "label": f"<strong>{escape(label)}</strong>",
        "when": escape(when),
        "to": escape(to),
    }
    text = version_for(inject, INJECT_PARALLEL, language)
    parts = [f"<li><p>{heading}</p><p{_in_language(text, language)}>{escape(text['text'])}</p>"]
    if inject.expected_response:
        expected = escape(_("Expected:"))
        parts.append(f"<p><em>{expected}</em> {escape(inject.expected_response)}</p>")
    answers = list(inject.responses.all())
    if answers:
        parts.append("<ul>")
        for answer in answers:
            line = _("%(party)s (%(at)s): %(text)s") % {
                "party": escape(answer.party.display_name),
                "at": timezone.localtime(answer.created_at).strftime("%H:%M"),
                "text": escape(answer.text),
            }
            parts.append(f"<li>{line}</li>")
        parts.append("</ul>")
    else:
        none = escape(_("No response."))
        parts.append(f"<p>{none}</p>")
    parts.append("</li>")
    return "".join(parts)


@transaction.atomic
def aar_draft(*, exercise: Exercise, user: Actor) -> AfterActionReport:
    """The AAR drafted from the exercise's timeline: injects, responses and their times,
    written in the drafting secretariat member's language (the active one), which becomes
    the report's authoritative language; its other languages are translations."""
    require_secretariat(user, _("write after-action reports"))
    exercise = _locked(exercise)
    if exercise.status != Exercise.Status.ENDED:
        raise ApplicationError(_("The after-action report is drafted once the exercise has ended."))
    if AfterActionReport.objects.filter(exercise=exercise).exists():
        raise ApplicationError(_("The after-action report is already drafted: edit it."))
    language = _draft_language()
    report = AfterActionReport.objects.create(
        exercise=exercise,
        language=language,
        text=sanitize_html(_timeline_html(exercise, language)).html,
        updated_by=signed_in(user),
    )
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=report, summary="AAR drafted")
    return report


@dataclass(frozen=True)
class ImprovementInput:
    description: str
    due_date: date
    owner: Party | None = None


@transaction.atomic
def aar_update(
    *,
    report: AfterActionReport,
    user: Actor,
    text: str,
    improvements: list[ImprovementInput] | None = None,
    publish: bool = False,
) -> AfterActionReport:
    """Edit the AAR; ``improvements`` (when given) replaces the plan's items not yet made
    action points; ``publish`` opens it to the exercise's readers and the next pack."""
    require_secretariat(user, _("write after-action reports"))
    report = AfterActionReport.objects.select_for_update().get(pk=report.pk)
    before = report.text
    report.text = _rich(text, field="text", label=_("The report"))
    if not report.text:
        raise ApplicationError(_("The report is empty."), fields={"text": [_("Required.")]})
    if improvements is not None:
        players = set(report.exercise.parties.all())
        for number, line in enumerate(improvements, start=1):
            clean_text(
                line.description,
                field="improvements",
                label=_("Improvement %(number)s") % {"number": number},
            )
            if line.owner is not None and line.owner not in players:
                raise ApplicationError(
                    _("Improvement %(number)s: %(party)s did not take part.")
                    % {"number": number, "party": line.owner.display_name},
                    fields={"improvements": [_("Owners are participating delegations.")]},
                )
        report.improvements.filter(action_point__isnull=True).delete()
        ImprovementItem.objects.bulk_create(
            ImprovementItem(
                report=report,
                description=line.description.strip(),
                due_date=line.due_date,
                owner=line.owner,
            )
            for line in improvements
        )
    report.updated_by = signed_in(user)
    fields = ["text", "updated_by", "updated_at"]
    if report.text != before:
        # The authoritative text changed: every translation is outdated until rewritten.
        fields += translations_outdate(report, AAR_PARALLEL)
    if publish and report.published_at is None:
        report.published_at = timezone.now()
        fields.append("published_at")
    report.save(update_fields=fields)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=report, summary="AAR edited")
    return report


@transaction.atomic
def aar_translation_set(
    *, report: AfterActionReport, user: Actor, language: str, text: str
) -> AfterActionReport:
    """Add or rewrite the translation of the report's text into ``language`` (sanitised as
    the text itself is): an unofficial translation until the secretariat confirms it. A
    draft's too: the secretariat prepares the report in every working language before
    publishing it."""
    values = {"text": _rich(text, field="text", label=_("The report"))}
    return translation_record(report, AAR_PARALLEL, user=user, language=language, values=values)


@transaction.atomic
def aar_translation_confirm(
    *, report: AfterActionReport, user: Actor, language: str
) -> AfterActionReport:
    """Confirm the report's translation into ``language``: refused when there is none, or
    when the report was edited since it was written."""
    return translation_confirm_record(report, AAR_PARALLEL, user=user, language=language)


@transaction.atomic
def aar_improvements_to_action_points(*, report: AfterActionReport, user: Actor) -> int:
    """Make each improvement item not yet made one an action point in the minutes of the
    exercise's session (through the minutes' own service, with its checks); all or none."""
    require_secretariat(user, _("confirm improvement plans"))
    report = (
        AfterActionReport.objects.select_for_update().select_related("exercise").get(pk=report.pk)
    )
    minutes = Minutes.objects.filter(session_id=report.exercise.session_id).first()
    if minutes is None:
        raise ApplicationError(
            _("The exercise's session has no minutes yet: open them before confirming the plan.")
        )
    made = 0
    for line in report.improvements.filter(action_point__isnull=True).select_related("owner"):
        line.action_point = action_point_create(
            minutes=minutes,
            user=user,
            description=line.description,
            due_date=line.due_date,
            owner=line.owner,
            item=report.exercise.item,
        )
        line.save(update_fields=["action_point"])
        made += 1
    if made == 0:
        raise ApplicationError(_("Every improvement item is already an action point."))
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=report,
        summary=f"{made} improvement item(s) made action points",
    )
    return made

"""Reads of tabletop exercises, their injects, responses, live events and AARs.

The rule (crises/models/exercises.py) is given to ``consult.access`` as annotated
distributions, as the sealed scores are (crises/selectors/assessments.py):

- an exercise is ``secretariat`` while a draft, then ``participants`` of its session
  (or item), and a player must also be one of its participating parties;
- an inject is ``secretariat`` until released; released in secret and not yet
  disclosed it stays ``secretariat`` with its recipient as owner (``secret_to``), so the
  recipient alone reads it besides the secretariat; released to all, or disclosed, it is
  ``participants`` within the exercises the reader plays in;
- a response is ``secretariat`` owned by its party;
- an AAR is ``secretariat`` until published, then read as its exercise.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from agenda.models import Session
from agenda.selectors.agendas import agenda_item_list
from consult import access
from consult.access import Distribution, reads_as_secretariat
from consult.actors import Actor
from crises.models import AfterActionReport, Exercise, ExerciseEvent, Inject, Response
from crises.selectors.crises import crisis_readable
from members.models import Party
from members.selectors.parties import party_own_list

EXERCISE_FIELDS: dict[str, Any] = {
    "distribution": "exercise_distribution",
    "session": "session",
    "item": "item",
}
INJECT_FIELDS: dict[str, Any] = {
    "distribution": "inject_distribution",
    "session": "exercise__session",
    "item": "exercise__item",
    "owner": "secret_to",
}
RESPONSE_FIELDS: dict[str, Any] = {
    "distribution": "response_distribution",
    "session": "inject__exercise__session",
    "owner": "party",
}
REPORT_FIELDS: dict[str, Any] = {
    "distribution": "report_distribution",
    "session": "exercise__session",
    "item": "exercise__item",
}


def _playing(user: Actor) -> Q:
    """Exercises in which one of the reader's parties plays."""
    return Q(
        Exists(
            Exercise.parties.through.objects.filter(
                exercise_id=OuterRef("pk"), party_id__in=access.reading_party_ids(user)
            )
        )
    )


def exercise_list(
    *, user: Actor, status: str | None = None, crisis: Any = None
) -> QuerySet[Exercise]:
    exercises = Exercise.objects.select_related(
        "session", "item", "crisis", "facilitator"
    ).annotate(
        exercise_distribution=Case(
            When(status=Exercise.Status.DRAFT, then=Value(Distribution.SECRETARIAT)),
            default=Value(Distribution.PARTICIPANTS),
            output_field=CharField(),
        )
    )
    if status:
        exercises = exercises.filter(status=status)
    # The crisis or item it is held on is named only to those who read it.
    exercises = exercises.annotate(
        subject_title=Case(
            When(crisis_readable(user, "crisis_id"), then=F("crisis__title")),
            When(item__in=agenda_item_list(user=user).values("pk"), then=F("item__title")),
            default=Value(""),
            output_field=CharField(),
        )
    )
    if crisis is not None:
        exercises = exercises.filter(crisis=crisis)
    exercises = access.visible(exercises, user, **EXERCISE_FIELDS)
    if not reads_as_secretariat(user):
        exercises = exercises.filter(_playing(user))
    return exercises.order_by("-created_at")


def exercise_get(*, user: Actor, public_id: UUID | str) -> Exercise:
    try:
        return exercise_list(user=user).get(public_id=public_id)
    except (Exercise.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("Not found.") from exc


def _released_to_some(injects: QuerySet[Inject]) -> QuerySet[Inject]:
    secret = Q(recipient__isnull=False, disclosed_at__isnull=True)
    return injects.annotate(
        inject_distribution=Case(
            When(released_at__isnull=True, then=Value(Distribution.SECRETARIAT)),
            When(secret, then=Value(Distribution.SECRETARIAT)),
            default=Value(Distribution.PARTICIPANTS),
            output_field=CharField(),
        ),
        secret_to=Case(
            When(Q(released_at__isnull=False) & secret, then=F("recipient_id")),
            default=Value(None),
            output_field=IntegerField(),
        ),
    )


def inject_list(
    *, user: Actor, exercise: Exercise | None = None, released: bool | None = None
) -> QuerySet[Inject]:
    """The injects ``user`` reads: the whole MSEL for the secretariat; for a player, those
    released to its exercise's participants and those released to its party in secret."""
    injects = _released_to_some(Inject.objects.select_related("exercise", "recipient", "follow_up"))
    if exercise is not None:
        injects = injects.filter(exercise=exercise)
    if released is not None:
        injects = injects.filter(released_at__isnull=not released)
    injects = access.visible(injects, user, **INJECT_FIELDS)
    if not reads_as_secretariat(user):
        injects = injects.filter(exercise__in=exercise_list(user=user).values("pk"))
    return injects.order_by("exercise", "order")


def inject_get(*, user: Actor, public_id: UUID | str) -> Inject:
    try:
        return inject_list(user=user).get(public_id=public_id)
    except (Inject.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("Not found.") from exc


def response_list(
    *, user: Actor, exercise: Exercise | None = None, inject: Inject | None = None
) -> QuerySet[Response]:
    """The responses ``user`` reads: all for the secretariat, its own party's for a player."""
    responses = Response.objects.select_related(
        "inject__exercise", "party", "responded_by"
    ).annotate(response_distribution=Value(Distribution.SECRETARIAT, output_field=CharField()))
    if exercise is not None:
        responses = responses.filter(inject__exercise=exercise)
    if inject is not None:
        responses = responses.filter(inject=inject)
    return access.visible(responses, user, **RESPONSE_FIELDS).order_by("created_at", "id")


def response_parties(*, user: Actor, exercise: Exercise) -> list[Party]:
    """The parties ``user`` may answer for in ``exercise``: their own that play in it."""
    return list(
        party_own_list(user=user).filter(pk__in=exercise.parties.values("pk")).order_by("code")
    )


def exercise_parties(*, exercise: Exercise) -> list[Party]:
    """The players of an exercise the caller has read through ``exercise_get``."""
    return list(exercise.parties.order_by("code"))


def event_latest_id(*, exercise: Exercise) -> int:
    """The newest event of the exercise: a page read after it is current up to it."""
    return (
        ExerciseEvent.objects.filter(exercise=exercise)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def event_feed(
    *, user: Actor, exercise: Exercise, after: int = 0, limit: int = 100
) -> tuple[list[ExerciseEvent], int]:
    """The live channel's next events after ``after`` that ``user`` may be told of now (a
    status change, or an inject or response the reader reads at this moment), and the id
    up to which it looked: the channel moves past the events the reader is not told of."""
    window = list(
        ExerciseEvent.objects.filter(exercise=exercise, id__gt=after)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not window:
        return [], after
    readable = (
        Q(kind=ExerciseEvent.Kind.STATUS)
        | Q(inject__in=inject_list(user=user, exercise=exercise).values("pk"))
        | Q(response__in=response_list(user=user, exercise=exercise).values("pk"))
    )
    events = (
        ExerciseEvent.objects.filter(id__in=window)
        .filter(readable)
        .select_related("exercise", "inject__recipient", "response__party", "response__inject")
        .order_by("id")
    )
    return list(events), window[-1]


def report_list(*, user: Actor, exercise: Exercise | None = None) -> QuerySet[AfterActionReport]:
    reports = AfterActionReport.objects.select_related(
        "exercise__session", "exercise__item", "exercise__crisis"
    ).annotate(
        report_distribution=Case(
            When(published_at__isnull=True, then=Value(Distribution.SECRETARIAT)),
            default=Value(Distribution.PARTICIPANTS),
            output_field=CharField(),
        )
    )
    if exercise is not None:
        reports = reports.filter(exercise=exercise)
    reports = access.visible(reports, user, **REPORT_FIELDS)
    if not reads_as_secretariat(user):
        reports = reports.filter(exercise__in=exercise_list(user=user).values("pk"))
    return reports.prefetch_related("improvements__owner").order_by("-created_at")


def report_of(*, user: Actor, exercise: Exercise) -> AfterActionReport | None:
    return report_list(user=user, exercise=exercise).first()


def report_get(*, user: Actor, public_id: UUID | str) -> AfterActionReport:
    """The report of the exercise ``public_id`` names (its pages' address), as ``user``
    reads it; 404 when there is none or ``user`` reads neither."""
    report = report_of(user=user, exercise=exercise_get(user=user, public_id=public_id))
    if report is None:
        raise Http404("Not found.")
    return report


def pack_report_ids(*, user: Actor, session: Session) -> tuple[int, ...]:
    """The published AARs ``user`` reads that go into ``session``'s pack: those of the
    exercises that ended since the previous session began, up to this one's start (the
    next pack after the exercise)."""
    previous = (
        Session.objects.filter(starts_at__lt=session.starts_at)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    reports = report_list(user=user).filter(
        published_at__isnull=False, exercise__ended_at__lte=session.starts_at
    )
    if previous is not None:
        reports = reports.filter(exercise__ended_at__gt=previous)
    return tuple(sorted(reports.prefetch_related(None).values_list("pk", flat=True)))

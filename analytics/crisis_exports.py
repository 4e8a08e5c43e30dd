"""The crisis toolkit's lists as CSV and JSON Lines exports (``/api/v1/exports/<name>.<fmt>``).

Each export reads its list's selector, so the access rule comes with it: an exercise to its
players (never a draft), an inject to the secretariat or, once released, to its recipients
(the whole exercise's players, or one party in secret until disclosed), a private stance to
its party and the secretariat, an incident to its readers and its reporting party, an alert
to those it was addressed to and the raising delegation. The facilitator's expected response
(the MSEL's) is an empty cell outside the secretariat, and a crisis or agenda item is named
only to a reader of it (the selectors' display fields). Columns are ``values()`` paths, so
an export is one query per chunk whatever its length.
"""

# django-filter ships no types: its classes are Any to the type checker.
# mypy: allow-subclassing-any

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, F, QuerySet, StringAgg, Value, When

from analytics.exports import Column, Export
from consult.access import reads_as_secretariat
from consult.actors import Actor
from crises.filters import (
    AdherenceFilter,
    AlertFilter,
    ExerciseFilter,
    IncidentFilter,
    InjectFilter,
    NormFilter,
    OffRampFilter,
    StanceFilter,
)
from crises.models import Alert, Exercise, Inject
from crises.selectors.alerts import alert_list
from crises.selectors.exercises import exercise_list, inject_list
from crises.selectors.registers import (
    adherence_list,
    incident_list,
    norm_list,
    off_ramp_list,
    stance_list,
)


def _exercises(user: Actor) -> QuerySet[Exercise]:
    return exercise_list(user=user).annotate(
        party_codes=StringAgg("parties__code", delimiter=Value(" "), order_by="parties__code")
    )


def _injects(user: Actor) -> QuerySet[Inject]:
    """The injects ``user`` reads; the expected response is the facilitator's alone."""
    expected: Any = F("expected_response") if reads_as_secretariat(user) else Value("")
    return inject_list(user=user).annotate(expected=expected)


def _alerts(user: Actor) -> QuerySet[Alert]:
    return alert_list(user=user).annotate(
        crisis_title=Case(
            When(crisis_readable=True, then=F("crisis__title")),
            default=Value(""),
            output_field=CharField(),
        ),
        crisis_id_shown=Case(
            When(crisis_readable=True, then=F("crisis__public_id")), default=Value(None)
        ),
    )


CRISIS_EXPORTS: dict[str, tuple[Export, type]] = {
    "exercises": (
        Export(
            resource="exercises",
            rows=_exercises,
            columns=[
                Column("id", "public_id"),
                Column("title", "title"),
                Column("status", "status"),
                Column("scenario", "scenario"),
                Column("objectives", "objectives"),
                Column("session_number", "session__number"),
                # The crisis or item it is held on, named only to a reader of it.
                Column("subject", "subject_title"),
                Column("parties", "party_codes"),
                Column("started_at", "started_at"),
                Column("ended_at", "ended_at"),
                Column("created_at", "created_at"),
            ],
            order_by=["created_at", "pk"],
            description="Tabletop exercises: the secretariat's (drafts too), a delegation's "
            "those it plays in once started; no inject (see the injects export).",
        ),
        ExerciseFilter,
    ),
    "injects": (
        Export(
            resource="injects",
            rows=_injects,
            columns=[
                Column("id", "public_id"),
                Column("exercise", "exercise__public_id"),
                Column("exercise_title", "exercise__title"),
                Column("order", "order"),
                Column("scenario_time", "scenario_time"),
                Column("text", "text"),
                Column("recipient_code", "recipient__code"),
                Column("released_at", "released_at"),
                Column("disclosed_at", "disclosed_at"),
                Column("expected_response", "expected"),
            ],
            order_by=["exercise__created_at", "exercise_id", "order", "pk"],
            description="Injects: the whole MSEL for the secretariat; for a delegation only "
            "those released to its exercise's players or to it in secret (the expected "
            "response empty).",
        ),
        InjectFilter,
    ),
    "off-ramps": (
        Export(
            resource="off-ramps",
            rows=lambda user: off_ramp_list(user=user),
            columns=[
                Column("id", "public_id"),
                Column("crisis", "crisis__public_id"),
                Column("crisis_title", "crisis__title"),
                Column("title", "title"),
                Column("text", "text"),
                Column("proposer_code", "proposer__code"),
                Column("preconditions", "preconditions"),
                Column("status", "status"),
                Column("status_since", "status_since"),
                Column("created_at", "created_at"),
                Column("updated_at", "updated_at"),
            ],
            order_by=["crisis__title", "title", "pk"],
            description="Off-ramps of the crises the caller reads (stances: the stances export).",
        ),
        OffRampFilter,
    ),
    "stances": (
        Export(
            resource="stances",
            rows=lambda user: stance_list(user=user),
            columns=[
                Column("id", "public_id"),
                Column("off_ramp", "off_ramp__public_id"),
                Column("off_ramp_title", "off_ramp__title"),
                Column("crisis", "off_ramp__crisis__public_id"),
                Column("party_code", "party__code"),
                Column("position", "position"),
                Column("note", "note"),
                Column("private", "private"),
                Column("created_at", "created_at"),
            ],
            order_by=["off_ramp__crisis__title", "off_ramp__title", "created_at", "pk"],
            description="Every stance with its history (the latest per party is the current "
            "one); a stance kept to a party only to that party and the secretariat.",
        ),
        StanceFilter,
    ),
    "norms": (
        Export(
            resource="norms",
            rows=lambda user: norm_list(user=user),
            columns=[
                Column("id", "public_id"),
                Column("title", "title"),
                Column("text", "text"),
                Column("source", "source"),
                Column("session_number", "session__number"),
                Column("distribution", "distribution"),
                Column("created_at", "created_at"),
                Column("updated_at", "updated_at"),
            ],
            order_by=["title", "pk"],
            description="Norms of behaviour (adherence: the adherence export).",
        ),
        NormFilter,
    ),
    "adherence": (
        Export(
            resource="adherence",
            rows=lambda user: adherence_list(user=user),
            columns=[
                Column("id", "public_id"),
                Column("norm", "norm__public_id"),
                Column("norm_title", "norm__title"),
                Column("party_code", "party__code"),
                Column("level", "level"),
                Column("note", "note"),
                Column("created_at", "created_at"),
            ],
            order_by=["norm__title", "created_at", "pk"],
            description="Adherence statements on the norms the caller reads, with their "
            "history (the latest per party is the current one).",
        ),
        AdherenceFilter,
    ),
    "incidents": (
        Export(
            resource="incidents",
            rows=lambda user: incident_list(user=user),
            columns=[
                Column("id", "public_id"),
                Column("norm", "norm__public_id"),
                Column("norm_title", "norm__title"),
                Column("occurred_on", "occurred_on"),
                Column("place", "place"),
                Column("reporting_party_code", "reporting_party__code"),
                Column("description", "description"),
                Column("distribution", "distribution"),
                Column("created_at", "created_at"),
            ],
            order_by=["occurred_on", "created_at", "pk"],
            description="Incidents reported under the norms, to their readers and the "
            "reporting party.",
        ),
        IncidentFilter,
    ),
    "alerts": (
        Export(
            resource="alerts",
            rows=_alerts,
            columns=[
                Column("id", "public_id"),
                Column("party_code", "party__code"),
                Column("crisis", "crisis_id_shown"),
                Column("crisis_title", "crisis_title"),
                Column("urgency", "urgency"),
                Column("text", "text"),
                Column("raised_at", "raised_at"),
                Column("recipients", "recipient_count"),
                Column("acknowledged", "acknowledged_count"),
                Column("acknowledged_by_me_at", "my_acknowledged_at"),
            ],
            order_by=["raised_at", "pk"],
            description="Crisis alerts addressed to the caller or raised by their delegation "
            "(every alert for the secretariat); the crisis named only to a reader of it.",
        ),
        AlertFilter,
    ),
}

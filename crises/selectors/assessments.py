"""Reads of threats, assessments, rounds and scores, sealed by the one access rule.

An assessment is its session's ``participants`` material. A score is sealed:
until its round is released only its own delegation reads it (the
secretariat included among those who do not); after release the session's
participants read it, and on an anonymised assessment its party is replaced
in SQL by "a participant" for everyone but the party itself and the
secretariat, as the minutes do for Chatham House statements.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import (
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from consult import access, parallel
from consult.access import Distribution, reads_as_secretariat
from consult.actors import Actor
from crises.models import Assessment, AssessmentRound, Score, Threat
from crises.models.assessments import THREAT_PARALLEL
from crises.selectors.crises import crisis_readable
from members.selectors.parties import party_name_column

A_PARTICIPANT = gettext_noop("A participant")  # worded per reader: gettext(A_PARTICIPANT)

ASSESSMENT_FIELDS: dict[str, Any] = {"distribution": None, "session": "session"}
ROUND_FIELDS: dict[str, Any] = {"distribution": None, "session": "assessment__session"}
# ``sealed_to`` is annotated by ``score_list``: ``delegation`` until the round is released.
SCORE_FIELDS: dict[str, Any] = {
    "distribution": "sealed_to",
    "session": "round__assessment__session",
    "owner": "party",
}


def assessment_list(
    *, user: Actor, quarter: str | None = None, crisis: Any = None
) -> QuerySet[Assessment]:
    assessments = Assessment.objects.select_related("session")
    if quarter:
        assessments = assessments.filter(session__quarter=quarter)
    if crisis is not None:
        assessments = assessments.filter(threats__crisis=crisis).distinct()
    return access.visible(assessments, user, **ASSESSMENT_FIELDS).order_by("-session__starts_at")


class AssessmentState:
    """Where an assessment stands, by its latest round (``assessment_list_with_state``)."""

    OPEN = "open"  # scores taken until the deadline
    AWAITING_RELEASE = "awaiting_release"  # the deadline passed, not released yet
    RELEASED = "released"


def assessment_list_with_state(*, user: Actor) -> QuerySet[Assessment]:
    """``assessment_list`` with each assessment's latest round read in the same query:
    ``latest_round`` (its number), ``latest_deadline``, ``latest_released_at`` and
    ``state`` (an ``AssessmentState``), for a list that says which is open, awaiting
    release or released, without a query per row."""
    latest = AssessmentRound.objects.filter(assessment=OuterRef("pk")).order_by("-number")
    return assessment_list(user=user).annotate(
        latest_round=Subquery(latest.values("number")[:1]),
        latest_deadline=Subquery(latest.values("deadline")[:1]),
        latest_released_at=Subquery(latest.values("released_at")[:1]),
        state=Case(
            When(latest_released_at__isnull=False, then=Value(AssessmentState.RELEASED)),
            When(latest_deadline__gt=timezone.now(), then=Value(AssessmentState.OPEN)),
            When(latest_deadline__isnull=False, then=Value(AssessmentState.AWAITING_RELEASE)),
            default=Value(""),
            output_field=CharField(),
        ),
    )


def assessment_get(*, user: Actor, public_id: UUID | str) -> Assessment:
    return access.get_visible_or_404(
        Assessment.objects.select_related("session"),
        user,
        fields=ASSESSMENT_FIELDS,
        public_id=public_id,
    )


def round_list(*, user: Actor, assessment: Assessment) -> QuerySet[AssessmentRound]:
    rounds = AssessmentRound.objects.filter(assessment=assessment).select_related(
        "assessment__session"
    )
    return access.visible(rounds, user, **ROUND_FIELDS).order_by("number")


def round_scored_parties(*, round: AssessmentRound) -> list[tuple[str, str]]:
    """(code, name) of the parties that have scored in ``round``, by code: who has answered,
    never what (the secretariat decides from it whether to release). One query; the
    caller reads ``round`` through ``round_list``."""
    return list(
        Score.objects.filter(round=round)
        .values_list("party__code", party_name_column("party__"))
        .distinct()
        .order_by("party__code")
    )


def threat_list(
    *,
    user: Actor,
    crisis: Any = None,
    region: str | None = None,
    include_retired: bool = True,
) -> QuerySet[Threat]:
    """The secretariat reads the whole list; others the threats of the assessments and
    the crises they read. ``crisis_readable``: the threat's crisis is one the reader may
    read (a threat of an assessment they read may belong to a dossier they may not); only
    then is the crisis named to them."""
    threats = Threat.objects.select_related("crisis")
    if crisis is not None:
        threats = threats.filter(crisis=crisis)
    if region:
        threats = threats.filter(region__icontains=region)
    if not include_retired:
        threats = threats.filter(retired_at__isnull=True)
    if not reads_as_secretariat(user):
        readable_assessments = assessment_list(user=user).values("pk")
        threats = threats.annotate(crisis_readable=crisis_readable(user, "crisis_id")).filter(
            Q(
                pk__in=Assessment.threats.through.objects.filter(
                    assessment__in=readable_assessments
                ).values("threat_id")
            )
            | Q(crisis_readable=True)
        )
    else:
        threats = threats.annotate(crisis_readable=Value(True))
    return threats.order_by("title")


def threat_version(threat: Threat, language: str | None = None) -> parallel.Version:
    """The threat's title and description as a reader in ``language`` (by default the
    active one: the page's, the pack's, the e-mail recipient's) gets them: that language's
    current translation, else the authoritative text with a note saying why. No query: the
    translations are columns of the threat's own row."""
    return parallel.version_for(threat, THREAT_PARALLEL, language or translation.get_language())


def threat_get(*, user: Actor, public_id: UUID | str) -> Threat:
    threat = threat_list(user=user).filter(public_id=public_id).first()
    if threat is None:
        raise Http404("Not found.")
    return threat


def _sealed(scores: QuerySet[Score]) -> QuerySet[Score]:
    return scores.annotate(
        sealed_to=Case(
            When(round__released_at__isnull=True, then=Value(Distribution.DELEGATION)),
            default=Value(Distribution.PARTICIPANTS),
            output_field=CharField(),
        )
    )


def _with_display(scores: QuerySet[Score], user: Actor) -> QuerySet[Score]:
    """``display_party``/``display_party_code``: the party, or "a participant" where the
    assessment is anonymised and the reader is neither that party nor the secretariat;
    ``display_party_name`` the same in the reader's language (pages, charts, packs), where
    ``display_party`` keeps the English name (the API's)."""
    if reads_as_secretariat(user):
        return scores.annotate(
            display_party=F("party__name_en"),
            display_party_name=party_name_column("party__"),
            display_party_code=F("party__code"),
        )
    own = access.reading_party_ids(user)
    hidden = Q(round__assessment__attribution=Assessment.Attribution.ANONYMISED) & ~Q(
        party_id__in=own
    )
    return scores.annotate(
        display_party=Case(
            When(hidden, then=Value(gettext(A_PARTICIPANT))),
            default=F("party__name_en"),
            output_field=CharField(),
        ),
        display_party_name=Case(
            When(hidden, then=Value(gettext(A_PARTICIPANT))),
            default=party_name_column("party__"),
            output_field=CharField(),
        ),
        display_party_code=Case(
            When(hidden, then=Value("")), default=F("party__code"), output_field=CharField()
        ),
    )


def score_list(
    *,
    user: Actor,
    assessment: Assessment | None = None,
    round: AssessmentRound | None = None,
    threat: Threat | None = None,
    party: Any = None,
    released: bool | None = None,
) -> QuerySet[Score]:
    """The scores ``user`` may read: their own delegation's always, others' once released."""
    scores = _sealed(Score.objects.select_related("threat", "round__assessment__session"))
    if assessment is not None:
        scores = scores.filter(round__assessment=assessment)
    if round is not None:
        scores = scores.filter(round=round)
    if threat is not None:
        scores = scores.filter(threat=threat)
    if released is not None:
        scores = scores.filter(round__released_at__isnull=not released)
    scores = access.visible(scores, user, **SCORE_FIELDS)
    scores = _with_display(scores, user)
    if party is not None:
        # Filtering by a party never finds scores it could not show as that party's.
        scores = scores.filter(display_party_code=party.code)  # type: ignore[misc]
    return scores.order_by("round__number", "threat__title", "public_id")


def score_get(*, user: Actor, public_id: UUID | str) -> Score:
    score = score_list(user=user).filter(public_id=public_id).first()
    if score is None:
        raise Http404("Not found.")
    return score

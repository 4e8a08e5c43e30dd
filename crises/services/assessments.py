"""Threat assessments in Delphi rounds: opened by the secretariat, scored by each
seat-holder delegation in secret, released on the chair's word, and asked again
where views have not converged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agenda.models import Session
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.parallel import served_title
from consult.quarters import Quarter
from consult.validation import check_choice
from crises.models import SCORE_MAX, SCORE_MIN, Assessment, AssessmentRound, Score, Threat
from crises.models.assessments import THREAT_PARALLEL
from crises.selectors.pictures import round_spreads
from crises.statistics import has_converged
from members.models import Party
from members.selectors.parties import party_own_list
from members.selectors.seats import seat_holder_parties

MAX_RATIONALE_CHARS = 2_000


def _future_deadline(deadline: datetime, *, now: datetime) -> None:
    if deadline <= now:
        raise ApplicationError(
            _("The deadline has to be in the future."), fields={"deadline": [_("Already passed.")]}
        )


def _threshold(value: Decimal | str | float) -> Decimal:
    try:
        threshold = Decimal(str(value))
    except InvalidOperation:
        threshold = Decimal("-1")
    if not Decimal("0") <= threshold <= Decimal("4"):
        raise ApplicationError(
            _("The convergence threshold is a spread between 0 and 4 points."),
            fields={"convergence_threshold": [_("Between 0 and 4.")]},
        )
    return threshold.quantize(Decimal("0.1"))


@transaction.atomic
def assessment_open(
    *,
    user: Actor,
    session: Session,
    threats: Iterable[Threat],
    deadline: datetime,
    attribution: str = Assessment.Attribution.ANONYMISED,
    convergence_threshold: Decimal | str | float = Decimal("1.0"),
) -> Assessment:
    """Open the assessment before a regular session, with its first round's deadline."""
    require_secretariat(user, _("open threat assessments"))
    check_choice(attribution, Assessment.Attribution, field="attribution", label=_("Attribution"))
    now = timezone.now()
    if session.kind != Session.Kind.REGULAR:
        raise ApplicationError(
            _("Threat assessments prepare the regular sessions."),
            fields={"session": [_("Choose a regular session.")]},
        )
    if session.status in (Session.Status.CLOSED, Session.Status.CANCELLED):
        raise ApplicationError(
            _("Session %(session)s is %(status)s.")
            % {"session": session.number, "status": session.get_status_display().lower()},
            fields={"session": [_("Choose a session still to come.")]},
        )
    _future_deadline(deadline, now=now)
    if deadline > session.starts_at:
        raise ApplicationError(
            _("The first round closes before session %(session)s opens.")
            % {"session": session.number},
            fields={"deadline": [_("Before the session opens.")]},
        )
    chosen = sorted({threat.pk: threat for threat in threats}.values(), key=lambda t: t.pk)
    if not chosen:
        raise ApplicationError(
            _("An assessment needs at least one threat."),
            fields={"threats": [_("Choose threats.")]},
        )
    if any(threat.retired_at is not None for threat in chosen):
        raise ApplicationError(
            _("Retired threats are not assessed any more."), fields={"threats": [_("Retired.")]}
        )
    if Assessment.objects.filter(session=session).exists():
        raise ApplicationError(
            _("Session %(session)s already has its threat assessment.")
            % {"session": session.number},
            fields={"session": [_("Already assessed.")]},
        )
    assessment = Assessment.objects.create(
        session=session,
        attribution=attribution,
        convergence_threshold=_threshold(convergence_threshold),
        opened_by=signed_in(user),
    )
    assessment.threats.set(chosen)
    first = AssessmentRound.objects.create(assessment=assessment, number=1, deadline=deadline)
    first.threats.set(chosen)
    audit_record(
        kind=AuditEntry.Kind.CHANGE, user=user, obj=assessment, summary="Assessment opened"
    )
    return assessment


def scoring_parties(*, user: Actor, assessment: Assessment) -> list[Party]:
    """The parties ``user`` may score for: their delegations holding a seat that quarter."""
    seated = seat_holder_parties(quarter=Quarter.parse(str(assessment.session.quarter)))
    return list(party_own_list(user=user).filter(pk__in=seated.values("pk")).order_by("code"))


def _scoring_party(*, user: Actor, assessment: Assessment, party: Party | None) -> Party:
    parties = scoring_parties(user=user, assessment=assessment)
    if party is None:
        if len(parties) == 1:
            return parties[0]
        if not parties:
            raise PermissionDenied(
                _("Only a delegation holding a seat at %(session)s scores its threats.")
                % {"session": assessment.session.number}
            )
        raise ApplicationError(
            _("Say which party you score for."), fields={"party": [_("Choose a party.")]}
        )
    if party not in parties:
        raise PermissionDenied(
            _("%(party)s holds no seat at %(session)s, or you do not speak for it.")
            % {"party": party.display_name, "session": assessment.session.number}
        )
    return party


def _scale(value: object, *, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        number = None
    else:
        try:
            number = int(value)
        except ValueError:
            number = None
    if number is None or not SCORE_MIN <= number <= SCORE_MAX:
        raise ApplicationError(
            _("%(label)s is scored from %(min)s to %(max)s; “%(value)s” is not on the scale.")
            % {"label": label, "min": SCORE_MIN, "max": SCORE_MAX, "value": value},
            fields={
                field: [
                    _("A whole number from %(min)s to %(max)s.")
                    % {"min": SCORE_MIN, "max": SCORE_MAX}
                ]
            },
        )
    return number


@dataclass(frozen=True, slots=True)
class ScoreInput:
    """One delegation's answer on one threat, as typed."""

    threat: Threat
    likelihood: object
    impact: object
    trend: str
    confidence: str
    rationale: str = ""


def _open_round(assessment: Assessment, *, now: datetime) -> AssessmentRound:
    current = (
        AssessmentRound.objects.select_for_update()
        .filter(assessment=assessment)
        .order_by("-number")
        .first()
    )
    if current is None or current.released_at is not None:
        raise ApplicationError(
            _("No round of this assessment is open for scores."), fields={"round": [_("Closed.")]}
        )
    if current.deadline <= now:
        raise ApplicationError(
            _("Round %(number)s closed at its deadline; scores are no longer taken.")
            % {"number": current.number},
            fields={"round": [_("Deadline passed.")]},
        )
    return current


@transaction.atomic
def scores_submit(
    *,
    user: Actor,
    assessment: Assessment,
    answers: Iterable[ScoreInput],
    party: Party | None = None,
) -> list[Score]:
    """Record (or change) the delegation's scores in the open round, all or none."""
    scoring = _scoring_party(user=user, assessment=assessment, party=party)
    current = _open_round(assessment, now=timezone.now())
    in_round = set(current.threats.values_list("pk", flat=True))
    cleaned: dict[int, dict[str, object]] = {}
    for answer in answers:
        if answer.threat.pk not in in_round:
            raise ApplicationError(
                _("“%(threat)s” is not assessed in round %(number)s.")
                % {
                    "threat": served_title(answer.threat, THREAT_PARALLEL),
                    "number": current.number,
                },
                fields={"threat": [_("Not in this round.")]},
            )
        rationale = answer.rationale.strip()
        if len(rationale) > MAX_RATIONALE_CHARS:
            raise ApplicationError(
                _("The rationale on “%(threat)s” is longer than %(max)s characters.")
                % {
                    "threat": served_title(answer.threat, THREAT_PARALLEL),
                    "max": number_format(MAX_RATIONALE_CHARS, force_grouping=True),
                },
                fields={"rationale": [_("Too long.")]},
            )
        cleaned[answer.threat.pk] = {
            "likelihood": _scale(answer.likelihood, field="likelihood", label=_("Likelihood")),
            "impact": _scale(answer.impact, field="impact", label=_("Impact")),
            "trend": check_choice(answer.trend, Score.Trend, field="trend", label=_("Trend")),
            "confidence": check_choice(
                answer.confidence, Score.Confidence, field="confidence", label=_("Confidence")
            ),
            "rationale": rationale,
        }
    if not cleaned:
        raise ApplicationError(
            _("No scores were given."), fields={"scores": [_("Score a threat.")]}
        )
    author = signed_in(user)
    saved = []
    for threat_id, values in cleaned.items():
        score, _created = Score.objects.update_or_create(
            round=current,
            threat_id=threat_id,
            party=scoring,
            defaults={**values, "scored_by": author},
        )
        saved.append(score)
    return saved


@transaction.atomic
def round_release(*, user: Actor, assessment: Assessment) -> AssessmentRound:
    """Release the open round: from now its picture and scores are read by the participants."""
    require_secretariat(user, _("release a round"))
    current = (
        AssessmentRound.objects.select_for_update()
        .filter(assessment=assessment)
        .order_by("-number")
        .first()
    )
    if current is None or current.released_at is not None:
        raise ApplicationError(
            _("The latest round is already released; open a new round first."),
            fields={"round": [_("Already released.")]},
        )
    if not Score.objects.filter(round=current).exists():
        raise ApplicationError(
            _("Round %(number)s has no scores yet; there is nothing to release.")
            % {"number": current.number},
            fields={"round": [_("No scores.")]},
        )
    current.released_at = timezone.now()
    current.released_by = signed_in(user)
    current.save(update_fields=["released_at", "released_by"])
    audit_record(
        kind=AuditEntry.Kind.PUBLICATION,
        user=user,
        obj=assessment,
        summary=f"Round {current.number} released",
    )
    return current


def threats_to_ask_again(current: AssessmentRound) -> list[int]:
    """Threats of a released round whose spread is still at or above the threshold."""
    threshold = current.assessment.convergence_threshold
    return [
        threat_id
        for threat_id, spread in round_spreads(current).items()
        if not has_converged(spread.spread, threshold)
    ]


@transaction.atomic
def round_open_next(*, user: Actor, assessment: Assessment, deadline: datetime) -> AssessmentRound:
    """Ask again, with the released round's summary shown, on the threats not yet converged."""
    require_secretariat(user, _("open a further round"))
    latest = (
        AssessmentRound.objects.select_for_update()
        .select_related("assessment")
        .filter(assessment=assessment)
        .order_by("-number")
        .first()
    )
    if latest is None:
        raise ApplicationError(
            _("The assessment has no first round."), fields={"round": [_("None.")]}
        )
    if latest.released_at is None:
        raise ApplicationError(
            _(
                "Round %(number)s is not released yet; a further round opens after the "
                "participants have seen its summary."
            )
            % {"number": latest.number},
            fields={"round": [_("Release the current round first.")]},
        )
    _future_deadline(deadline, now=timezone.now())
    session = assessment.session
    if deadline > session.starts_at:
        # As for round 1: every round closes before the session it prepares opens.
        raise ApplicationError(
            _("Round %(number)s closes before session %(session)s opens.")
            % {"number": latest.number + 1, "session": session.number},
            fields={"deadline": [_("Before the session opens.")]},
        )
    again = threats_to_ask_again(latest)
    if not again:
        raise ApplicationError(
            _(
                "Views have converged on every threat (each spread is below the threshold of "
                "%(threshold)s); no further round is needed."
            )
            % {"threshold": assessment.convergence_threshold},
            fields={"round": [_("Converged.")]},
        )
    try:
        with transaction.atomic():
            following = AssessmentRound.objects.create(
                assessment=assessment, number=latest.number + 1, deadline=deadline
            )
    except IntegrityError as exc:  # a second click racing the first
        raise ApplicationError(
            _("That round was just opened."), fields={"round": [_("Already open.")]}
        ) from exc
    following.threats.set(again)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=assessment,
        summary=f"Round {following.number} opened",
    )
    return following

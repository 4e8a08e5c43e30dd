"""What of the threat picture a reader takes into a session: the briefing pack's section.

``threat_picture_audience`` names (by ids, a few queries) the released picture a reader
reads before ``session`` (the session's own assessment, or the latest earlier one with a
released round), the parties they see by name in it, and their own delegation's scores
still sealed in the session's open round. The pack groups readers by these ids, so a
delegation's sealed scores, or a party's name on an anonymised assessment, never reach a
render another reader receives.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from agenda.models import Session
from consult.actors import Actor
from crises.models import AssessmentRound
from crises.selectors.assessments import assessment_list, score_list


@dataclass(frozen=True, slots=True)
class PictureAudience:
    assessment: int | None
    named_parties: tuple[int, ...]
    own_scores: tuple[int, ...]


def briefing_assessment_id(*, user: Actor, session: Session) -> int | None:
    """The latest assessment ``user`` reads, up to ``session``'s own, with a released round."""
    released = AssessmentRound.objects.filter(assessment=OuterRef("pk"), released_at__isnull=False)
    pk: int | None = (
        assessment_list(user=user)
        .filter(Exists(released), session__starts_at__lte=session.starts_at)
        .order_by("-session__starts_at")
        .values_list("pk", flat=True)
        .first()
    )
    return pk


def threat_picture_audience(*, user: Actor, session: Session) -> PictureAudience:
    """The ids behind ``user``'s threat picture section of ``session``'s pack (four queries)."""
    assessment = briefing_assessment_id(user=user, session=session)
    named: list[int] = []
    if assessment is not None:
        last = (
            AssessmentRound.objects.filter(assessment_id=assessment, released_at__isnull=False)
            .order_by("-number")
            .first()
        )
        named = sorted(
            set(
                score_list(user=user, round=last)
                .exclude(display_party_code="")  # type: ignore[misc]
                .order_by()
                .values_list("party_id", flat=True)
            )
        )
    own = sorted(
        score_list(user=user, released=False)
        .filter(round__assessment__session=session)
        .order_by()
        .values_list("pk", flat=True)
    )
    return PictureAudience(assessment=assessment, named_parties=tuple(named), own_scores=tuple(own))

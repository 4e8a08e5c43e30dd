"""The crisis toolkit's world: the record's table (tests/minutes/conftest.py) at a regular
session ten days ahead, with a threat list and an assessment open on it.

Seat-holders: the United States, Russia, NATO, the EU (rotating, held by France).
Ukraine is invited ad hoc to item 3 only; the CSTO observes; Germany is invited
without a seat. The clock is the test's: deadlines are set from ``timezone.now()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from crises.models import Assessment, Crisis, Threat
from crises.services import assessments as assessment_services
from crises.services import crises as crisis_services
from crises.services import threats as threat_services
from crises.services.assessments import ScoreInput
from tests.minutes.conftest import World, build_world


@dataclass
class CrisisWorld:
    table: World
    crisis: Crisis
    threats: list[Threat]
    assessment: Assessment

    def user(self, name: str) -> Any:
        return self.table.user(name)

    @property
    def sec(self) -> Any:
        return self.table.user("sec")


def build_crisis_world(*, attribution: str = Assessment.Attribution.ANONYMISED) -> CrisisWorld:
    table = build_world(starts_at=timezone.now() + timedelta(days=10))
    table.session.status = "scheduled"
    table.session.save(update_fields=["status"])
    sec = table.user("sec")
    crisis = crisis_services.crisis_create(
        user=sec,
        session=table.session,
        title="Baltic Sea airspace incidents",
        region="Baltic Sea",
        on=timezone.localdate(),
        summary="<p>Close intercepts over the Baltic.</p>",
    )
    threats = [
        threat_services.threat_create(user=sec, title=title, crisis=crisis, region="Baltic Sea")
        for title in ("Mid-air collision", "Cable sabotage", "Jamming of civil aviation")
    ]
    assessment = assessment_services.assessment_open(
        user=sec,
        session=table.session,
        threats=threats,
        deadline=timezone.now() + timedelta(days=5),
        attribution=attribution,
    )
    return CrisisWorld(table=table, crisis=crisis, threats=threats, assessment=assessment)


@pytest.fixture
def cw(db: None) -> CrisisWorld:
    return build_crisis_world()


@pytest.fixture
def score(cw: CrisisWorld) -> Callable[..., None]:
    """score("us", [(likelihood, impact), ...]): the user's party scores the threats in order."""

    def make(username: str, values: list[tuple[int, int]], *, trend: str = "steady") -> None:
        assessment_services.scores_submit(
            user=cw.user(username),
            assessment=cw.assessment,
            answers=[
                ScoreInput(
                    threat=threat,
                    likelihood=likelihood,
                    impact=impact,
                    trend=trend,
                    confidence="medium",
                    rationale=f"{username} on {threat.title}",
                )
                for threat, (likelihood, impact) in zip(cw.threats, values, strict=False)
            ],
        )

    return make

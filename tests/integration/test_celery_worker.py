"""A real task through a real Celery worker on the Redis and PostgreSQL of bin/with-services."""

import pytest
from celery.result import EagerResult

from consult.quarters import Quarter
from members.models import Party, PartyMembership, RotationTerm, SeatArrangement
from members.tasks import rotation_plan_ahead_task
from tests.factories import PartyFactory, SeatArrangementFactory, SeatFactory

pytestmark = pytest.mark.integration


def test_worker_plans_the_rotation_ahead(live_celery_worker: str) -> None:
    """The periodic planning task, sent through Redis, is run by the worker and its terms saved."""
    nato = PartyFactory.create(code="NATO", kind=Party.Kind.ORGANISATION, name_en="NATO")
    for code, name in [("DEU", "Germany"), ("FRA", "France"), ("POL", "Poland")]:
        PartyMembership.objects.create(
            member=PartyFactory.create(code=code, name_en=name), organisation=nato, since_year=1999
        )
    seat = SeatFactory.create(party=nato, code="NATO", name="NATO")
    SeatArrangementFactory(seat=seat, mode=SeatArrangement.Mode.ROTATING)

    result = rotation_plan_ahead_task.delay()

    assert not isinstance(result, EagerResult), "the task ran in-process, not on the worker"
    result.get(timeout=60)
    planned = dict(RotationTerm.objects.filter(seat=seat).values_list("quarter", "holder__code"))
    ahead = [str(quarter) for quarter in Quarter.current().following(8)]
    assert set(ahead) <= set(planned)
    assert {planned[quarter] for quarter in ahead} == {"DEU", "FRA", "POL"}

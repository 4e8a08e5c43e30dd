"""The periodic planning task."""

import pytest

from members.models import ChairTerm, RotationTerm
from members.tasks import rotation_plan_ahead_task

pytestmark = pytest.mark.django_db


def test_plan_ahead_task_plans_eight_quarters_once(table):
    """The task plans rotation and chair eight quarters ahead; a second run changes nothing."""
    assert rotation_plan_ahead_task.delay().get() == 8 * 3
    terms = list(RotationTerm.objects.order_by("pk").values())
    chairs = list(ChairTerm.objects.order_by("pk").values())
    assert len(chairs) == 8
    rotation_plan_ahead_task.delay().get()
    assert list(RotationTerm.objects.order_by("pk").values()) == terms
    assert list(ChairTerm.objects.order_by("pk").values()) == chairs

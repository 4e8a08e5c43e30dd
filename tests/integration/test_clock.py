"""The Celery worker runs on the tests' clock, which ``--now`` sets."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from consult.celery import app as celery_app
from tests.clock import suite_clock

pytestmark = pytest.mark.integration


def test_the_worker_reads_the_time_the_tests_read(
    live_celery_worker: str, pytestconfig: pytest.Config
) -> None:
    """With ``--now``, the test and the worker are both at that instant plus the run so far."""
    clock = suite_clock(pytestconfig)
    expected = clock.now() if clock else datetime.now(UTC)

    answer = celery_app.send_task("tests.clock_now", queue=live_celery_worker).get(timeout=60)

    assert abs(timezone.now() - expected) < timedelta(minutes=1)
    assert abs(datetime.fromisoformat(answer) - expected) < timedelta(minutes=1)

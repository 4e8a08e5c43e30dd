"""Celery's command line on the suite's clock: ``python -m tests.clocked_celery worker``.

The ``celery_worker_process`` fixture starts the worker through this module.
With ``CONSULT_TEST_NOW`` set (``tests.clock.clock_environment``), the clock
starts at that instant and ticks from there before Celery loads, so the
worker and its forked pool processes share the tests' time. The worker also
knows ``tests.clock_now``, which answers the worker's time.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import time_machine

from consult.celery import app
from tests.clock import NOW_ENV


def clock_start() -> time_machine.travel | None:
    """Start the clock at ``CONSULT_TEST_NOW``, when set; the travel, to stop it."""
    text = os.environ.get(NOW_ENV)
    if not text:
        return None
    travel = time_machine.travel(datetime.fromisoformat(text), tick=True)
    travel.start()
    return travel


@app.task(name="tests.clock_now")
def clock_now() -> str:
    """The worker's time, as an ISO 8601 instant."""
    return datetime.now(UTC).isoformat()


if __name__ == "__main__":
    clock_start()
    from celery.__main__ import main

    main()

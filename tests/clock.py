"""The suite's own clock: ``pytest --now 2027-03-31T21:30:00Z`` runs the tests at that instant.

The clock starts at the given instant when pytest configures (in every xdist
worker too: xdist hands each worker the option) and ticks from there, so that
anything comparing two readings still sees time pass. Processes the tests
start get the suite's time of their start in ``CONSULT_TEST_NOW``
(``clock_environment``; ``tests.clocked_celery`` reads it), and the live
server, a thread of the test process, shares it. Tests that travel themselves
(``time_machine.travel``) nest inside it and come back to it.

Loaded by ``tests/conftest.py``; a run without ``--now`` keeps the real clock.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from consult.quarters import Quarter

NOW_ENV = "CONSULT_TEST_NOW"

_clock = pytest.StashKey["SuiteClock"]()


class SuiteClock:
    """The instant the run started at and a monotonic reading taken then."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self._started = time.monotonic()
        self._travel = time_machine.travel(start, tick=True)
        self._travel.start()

    def now(self) -> datetime:
        """The suite's time now, whatever a test has travelled to meanwhile."""
        return self.start + timedelta(seconds=time.monotonic() - self._started)

    def stop(self) -> None:
        self._travel.stop()


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; one written without an offset is taken as UTC."""
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(
            f"--now {text!r} is not an ISO 8601 instant; write it as 2027-03-31T21:30:00Z."
        ) from None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def suite_clock(config: pytest.Config) -> SuiteClock | None:
    """The clock ``--now`` started, or None when the run keeps the real clock."""
    return config.stash.get(_clock, None)


def machine_time() -> float:
    """The machine's own time, whatever ``--now`` says: what a process that keeps the
    real clock (``bin/run``, the embedded server) reads, e.g. for its one-time codes."""
    hatch = time_machine.escape_hatch
    return hatch.time.time() if hatch.is_travelling() else time.time()


def clock_environment(config: pytest.Config) -> dict[str, str]:
    """What a process started now needs in its environment to run on the suite's clock."""
    clock = suite_clock(config)
    return {NOW_ENV: clock.now().isoformat()} if clock else {}


def quarter_moment(quarter: Quarter, *, day: int = 20, hour: int = 10) -> datetime:
    """``hour`` o'clock UTC on the ``day``-th day of ``quarter``: a working day well inside it,
    with the weeks before and after it in the same quarter whatever ``--now`` says."""
    first = datetime.combine(quarter.first_day, datetime.min.time(), tzinfo=UTC)
    return first + timedelta(days=day - 1, hours=hour)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--now",
        metavar="INSTANT",
        default=None,
        help="start the run's clock at this ISO 8601 instant (e.g. 2027-03-31T21:30:00Z) "
        "and let it tick from there, in the tests and in the processes they start",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    text = config.getoption("now", None)
    if not text:
        return
    config.stash[_clock] = SuiteClock(parse_instant(text))


def pytest_unconfigure(config: pytest.Config) -> None:
    clock = config.stash.get(_clock, None)
    if clock is not None:
        clock.stop()
        del config.stash[_clock]


def pytest_report_header(config: pytest.Config) -> str | None:
    clock = suite_clock(config)
    return f"clock: started at {clock.start.isoformat()} (--now)" if clock else None

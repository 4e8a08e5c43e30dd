"""The suite's clock: ``--now`` moves the time of the tests, in every xdist worker."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INNER_TESTS = """
import time
from datetime import UTC, datetime

import time_machine

NOW = datetime(2031, 2, 28, 23, 59, tzinfo=UTC)


def test_the_clock_starts_at_now_and_ticks():
    first = datetime.now(UTC)
    time.sleep(0.01)
    second = datetime.now(UTC)
    assert NOW <= first < second < datetime(2031, 3, 1, 0, 5, tzinfo=UTC)


def test_a_test_travels_from_the_suite_clock_and_back():
    with time_machine.travel(datetime(2020, 1, 1, tzinfo=UTC), tick=False):
        assert datetime.now(UTC) == datetime(2020, 1, 1, tzinfo=UTC)
    assert datetime.now(UTC) >= NOW
"""


def test_now_starts_every_worker_on_the_given_instant(tmp_path: Path) -> None:
    """``--now`` moves the clock of an xdist worker, which travels within it and back."""
    (tmp_path / "test_inner.py").write_text(INNER_TESTS)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.clock",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-n",
            "1",
            "--now",
            "2031-02-28T23:59:00Z",
            str(tmp_path / "test_inner.py"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
    assert "clock: started at 2031-02-28T23:59:00+00:00" in run.stdout


def test_a_now_that_is_no_instant_stops_the_run(tmp_path: Path) -> None:
    """A mistyped ``--now`` is a usage error, not a run on the real clock."""
    (tmp_path / "test_inner.py").write_text(INNER_TESTS)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.clock",
            "-p",
            "no:django",
            "--now",
            "31/03/2027",
            str(tmp_path / "test_inner.py"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 4, run.stdout + run.stderr
    assert "is not an ISO 8601 instant" in run.stderr

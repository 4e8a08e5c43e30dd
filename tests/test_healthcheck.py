"""The container health checks of docker-compose.yml.

Each check is run against its real process, which is then killed with
SIGKILL: the check must fail within the time its module states.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from consult import healthcheck
from tests.clock import clock_environment

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(check: Callable[[], bool], *, timeout: float, what: str, log: Path) -> float:
    """Poll ``check`` until it holds; the seconds it took (the test fails past ``timeout``)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout:g} s waiting for {what}.\n{log.read_text()[-4000:]}")


class Process:
    """A process of the topology started for one test, killed with SIGKILL by it or at the end."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.popen = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "consult.settings", **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Callable[..., Process]]:
    started: list[Process] = []

    def start(name: str, command: list[str], **env: str) -> Process:
        process = Process(command, env, tmp_path / f"{name}.log")
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def test_web_is_unhealthy_within_its_timeout_once_gunicorn_is_killed(
    processes: Callable[..., Process], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The web check passes against gunicorn and fails within its timeout after kill -9."""
    port = _free_port()
    monkeypatch.setenv("PORT", str(port))
    monkeypatch.setenv("ALLOWED_HOSTS", "localhost,127.0.0.1")
    # The login page reads the database: gunicorn gets a migrated one of its own.
    database = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database},
        check=True,
        capture_output=True,
        timeout=600,
    )
    web = processes(
        "web",
        [sys.executable, "-m", "gunicorn", "consult.wsgi", "--bind", f"127.0.0.1:{port}"],
        DEBUG="false",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        DATABASE_URL=database,
    )
    # Generous: the first request imports every URLconf, slow on a busy machine.
    _wait_for(lambda: healthcheck.web(timeout=60), timeout=120, what="gunicorn", log=web.log)

    web.kill()
    started = time.monotonic()
    assert not healthcheck.web(timeout=10)
    assert time.monotonic() - started <= 10


@pytest.mark.integration
def test_worker_is_unhealthy_within_its_ping_timeout_once_killed(
    processes: Callable[..., Process],
) -> None:
    """The worker check passes while the worker answers and fails within 5 s after kill -9."""
    if not os.environ.get("REDIS_URL"):
        pytest.fail("The worker check needs the Redis that bin/with-services starts.")
    node = f"health-{uuid.uuid4().hex[:12]}@localhost"
    worker = processes(
        "worker",
        [
            sys.executable, "-m", "celery", "--app=consult", "worker", "--pool=solo",
            f"--hostname={node}", "--without-gossip", "--without-mingle", "--loglevel=INFO",
        ],
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_TASK_DEFAULT_QUEUE=node,
    )  # fmt: skip
    _wait_for(lambda: healthcheck.worker(node), timeout=120, what="the worker", log=worker.log)

    worker.kill()
    started = time.monotonic()
    assert not healthcheck.worker(node)
    assert time.monotonic() - started <= healthcheck.WORKER_PING_SECONDS + 2


def test_beat_is_unhealthy_within_the_stale_time_once_killed(
    processes: Callable[..., Process],
    settings: Settings,
    tmp_path: Path,
    pytestconfig: pytest.Config,
) -> None:
    """Beat's loop keeps its heartbeat fresh; after kill -9 the check fails once it is stale.

    Heartbeat every second and stale after four (production: 15 and 60), so
    the test takes seconds; the scheduler and the check are the production ones.
    """
    settings.BEAT_HEARTBEAT_FILE = tmp_path / "heartbeat"
    settings.BEAT_HEARTBEAT_SECONDS = 1
    settings.BEAT_HEARTBEAT_STALE_SECONDS = 4
    assert not healthcheck.beat()  # no heartbeat yet

    beat = processes(
        "beat",
        [
            sys.executable, "-m", "tests.clocked_celery", "--app=consult", "beat",
            "--loglevel=INFO", f"--schedule={tmp_path / 'celerybeat-schedule'}",
        ],
        **clock_environment(pytestconfig),
        # A broker of its own: the tasks beat sends reach nobody.
        REDIS_URL="",
        CELERY_TASK_ALWAYS_EAGER="false",
        BEAT_HEARTBEAT_FILE=str(settings.BEAT_HEARTBEAT_FILE),
        BEAT_HEARTBEAT_SECONDS="1",
    )  # fmt: skip
    _wait_for(healthcheck.beat, timeout=120, what="beat's first heartbeat", log=beat.log)
    # Still healthy past the stale time: the loop renews the heartbeat, not just its start.
    time.sleep(settings.BEAT_HEARTBEAT_STALE_SECONDS + 2)
    assert healthcheck.beat(), beat.log.read_text()[-4000:]

    beat.kill()
    took = _wait_for(
        lambda: not healthcheck.beat(),
        timeout=settings.BEAT_HEARTBEAT_STALE_SECONDS + 5,
        what="the beat check to fail",
        log=beat.log,
    )
    assert took <= settings.BEAT_HEARTBEAT_STALE_SECONDS + 0.5


def test_unknown_check_is_a_usage_error() -> None:
    """An unknown service name is refused with the usage status."""
    assert healthcheck.main(["database"]) == 2

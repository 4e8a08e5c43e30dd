"""bin/run, whole: the web server, a Celery worker and beat on the broker that needs no server.

Run as a new user would, on a fresh data folder and without the PostgreSQL
and Redis of bin/with-services; Ctrl-C (SIGINT to its process group, as a
terminal sends it) must leave no process behind.
"""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from consult.mfa import totp_current_code
from tests.clock import machine_time

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
# Migrating and seeding an empty SQLite database on a busy machine.
START_SECONDS = 600


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(check: Callable[[], bool], *, timeout: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    pytest.fail(f"Timed out waiting for {what}.\n{tails}")


def _processes_with(marker: bytes) -> list[int]:
    """Processes whose environment holds ``marker``: bin/run and all it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


class Run:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = _free_port()
        self.output = data_dir.parent / "run.log"
        self.worker_log = data_dir / "log" / "worker.log"
        self.beat_log = data_dir / "log" / "beat.log"
        self.marker = f"CONSULT_DATA_DIR={data_dir}\0".encode()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "DATABASE_URL", "MEDIA_ROOT", "STATIC_ROOT"}
            and not key.startswith("CELERY_")
        }
        env |= {"PORT": str(self.port), "CONSULT_DATA_DIR": str(data_dir)}
        with self.output.open("wb") as log:
            self.process = subprocess.Popen(
                ["bin/run"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # A terminal's Ctrl-C reaches a shell that does not ignore it.
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )

    @property
    def logs(self) -> list[Path]:
        return [self.output, self.worker_log, self.beat_log]

    def read(self, log: Path) -> str:
        return log.read_text(errors="replace") if log.exists() else ""

    def wait_for(self, check: Callable[[], bool], what: str, timeout: float = 180) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"bin/run ended ({self.process.returncode}):\n{self.read(self.output)}")
            return check()

        _wait_for(ready, timeout=timeout, what=what, logs=self.logs)

    def api(self, path: str, *, token: str = "", body: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "Accept": "application/json"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return dict(json.load(response))

    def kill(self) -> None:
        for pid in _processes_with(self.marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    started = Run(tmp_path / "data")
    try:
        yield started
    finally:
        if started.process.poll() is None or _processes_with(started.marker):
            started.kill()


def test_the_run_command_runs_every_part_and_stops_them_all(run: Run) -> None:
    """Search finds the demo's words, the worker and beat run tasks, Ctrl-C leaves nothing."""
    run.wait_for(lambda: "Quit the server" in run.read(run.output), "the web server", START_SECONDS)
    password = re.search(r"password: (\S+)\)", run.read(run.output))
    assert password is not None

    secret = re.search(r"TOTP secret\s+(\S+)", run.read(run.output))
    assert secret is not None
    # bin/run keeps the machine's clock, whatever the suite's says.
    code = totp_current_code(secret.group(1), at=machine_time())
    token = run.api(
        "/api/v1/auth/token/",
        body={"username": "analyst", "password": password.group(1), "code": code},
    )["token"]
    found = run.api("/api/v1/search/?q=airspace", token=token)["results"]
    assert found, "the demo's words are not found right after bin/run"

    # The demo's packs were asked for by seed_demo, before the worker started:
    # the broker kept the request, and the worker rendered them.
    rendered = re.compile(r"pack_render_deliver_task\[[^]]+\] succeeded .*'ready'")
    run.wait_for(lambda: bool(rendered.search(run.read(run.worker_log))), "a pack render")
    # Only beat sends this task: every minute, so within the next one.
    refreshed = re.compile(r"search_index_refresh_task\[[^]]+\] succeeded")
    run.wait_for(
        lambda: (
            "search_index_refresh_task" in run.read(run.beat_log)
            and bool(refreshed.search(run.read(run.worker_log)))
        ),
        "beat's search refresh to run on the worker",
        timeout=150,
    )
    # The e-mails the demo and the worker sent went to files, not over the banner.
    assert "Subject:" not in run.read(run.output)
    assert f"E-mails sent: one file each in {run.data_dir}/mail/" in run.read(run.output)
    running = _processes_with(run.marker)
    assert len(running) >= 5, running  # bin/run, web (and its reloader), worker (and pool), beat

    os.killpg(run.process.pid, signal.SIGINT)

    assert run.process.wait(timeout=60) == 128 + signal.SIGINT
    _wait_for(
        lambda: not _processes_with(run.marker), timeout=5, what="no process left", logs=run.logs
    )

"""The container health checks of docker-compose.yml."""

import os
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytest_django.live_server_helper import LiveServer

from consult import healthcheck


def test_web_is_healthy_when_the_login_page_answers(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web check passes against a running server."""
    monkeypatch.setenv("PORT", str(urlsplit(live_server.url).port))
    monkeypatch.setenv("ALLOWED_HOSTS", "localhost,127.0.0.1")

    # Generous: the first request imports every URLconf, slow on a busy machine.
    assert healthcheck.web(timeout=60)


def test_web_is_unhealthy_when_nothing_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The web check fails when no server listens on the port."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("PORT", str(port))

    assert not healthcheck.web()


def test_beat_is_healthy_only_while_it_keeps_saving_its_schedule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beat is unhealthy without a schedule file or with one not saved for too long."""
    schedule = tmp_path / "celerybeat-schedule"
    monkeypatch.setattr(healthcheck, "BEAT_SCHEDULE", schedule)
    assert not healthcheck.beat()

    saved = schedule.with_name("celerybeat-schedule.db")
    saved.write_bytes(b"")
    # Saved now by the tests' clock, which --now may have moved from the file system's.
    os.utime(saved, (time.time(), time.time()))
    assert healthcheck.beat()

    stale = time.time() - healthcheck.BEAT_STALE_AFTER_SECONDS - 60
    os.utime(schedule.with_name("celerybeat-schedule.db"), (stale, stale))
    assert not healthcheck.beat()


def test_unknown_check_is_a_usage_error() -> None:
    """An unknown service name is refused with the usage status."""
    assert healthcheck.main(["database"]) == 2

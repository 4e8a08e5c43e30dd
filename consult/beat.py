"""Celery beat's scheduler, with a heartbeat file the beat health check reads.

Beat's loop touches ``BEAT_HEARTBEAT_FILE`` every ``BEAT_HEARTBEAT_SECONDS``
from inside its own tick, so the file stays fresh only while that loop runs:
a dead or hung beat stops it, whatever the workers do. The schedule file, by
contrast, is saved only every few minutes and says nothing about liveness.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from celery.beat import PersistentScheduler
from django.conf import settings


def heartbeat_file() -> Path:
    return Path(settings.BEAT_HEARTBEAT_FILE)


def heartbeat_seconds() -> float:
    return float(settings.BEAT_HEARTBEAT_SECONDS)


def heartbeat_age(*, now: float | None = None) -> float | None:
    """Seconds since beat's loop last wrote its heartbeat; None if it never did."""
    # The time beat wrote, not the file's mtime: beat's clock and the reader's are
    # both Python's, which the file system's need not be (a test clock, say).
    try:
        written = float(heartbeat_file().read_text().split()[1])
    except (FileNotFoundError, IndexError, ValueError):
        return None
    return (time.time() if now is None else now) - written


class HeartbeatScheduler(PersistentScheduler):
    """The default persistent schedule, plus a heartbeat written from beat's own loop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._next_heartbeat = 0.0
        super().__init__(*args, **kwargs)

    def setup_schedule(self) -> None:
        super().setup_schedule()
        self._beat()

    def tick(self, *args: Any, **kwargs: Any) -> float:
        interval = super().tick(*args, **kwargs)
        remaining = self._next_heartbeat - time.monotonic()
        if remaining <= 0:
            self._beat()
            remaining = heartbeat_seconds()
        # Beat sleeps for what tick returns: wake up in time for the next heartbeat.
        return float(min(interval, remaining))

    def _beat(self) -> None:
        path = heartbeat_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under another name, then renamed: a reader never sees half a file.
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(f"{os.getpid()} {time.time():.0f}\n")
        partial.replace(path)
        self._next_heartbeat = time.monotonic() + heartbeat_seconds()

"""An e-mail backend for tests with real workers: one file per message in a folder, so a
test counts what left and to whom; it can hold (never return) before a given message, so a
test kills the worker in the middle of a delivery at a known point.

``SPOOL_MAIL_DIR`` names the folder; with ``SPOOL_MAIL_HOLD_AFTER=N``, the backend writes
messages until the folder holds N, then writes ``held`` in it and waits forever.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

HELD = "held"


def spooled(directory: Path) -> list[Path]:
    """The messages written to ``directory``, oldest first."""
    return sorted(directory.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)


class SpoolBackend(BaseEmailBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(os.environ["SPOOL_MAIL_DIR"])
        hold = os.environ.get("SPOOL_MAIL_HOLD_AFTER")
        self.hold_after = int(hold) if hold else None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            if self.hold_after is not None and len(spooled(self.directory)) >= self.hold_after:
                (self.directory / HELD).write_text(str(os.getpid()))
                while True:  # a mail server that never answers: the test kills us here
                    time.sleep(1)
            target = self.directory / f"{uuid.uuid4().hex}.eml"
            partial = target.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            partial.rename(target)  # whole or absent, never half a message
        return len(email_messages)

"""Container health checks: ``python -m consult.healthcheck web|worker|beat``.

Exit status 0 when healthy, 1 otherwise (docker-compose.yml runs them).

- web: the login page answers through gunicorn, as it would behind the
  TLS-terminating proxy (first ALLOWED_HOSTS entry, X-Forwarded-Proto https).
- worker: the Celery worker of this container answers a ping over the broker.
- beat: Celery beat saved its schedule file recently (it does every few
  minutes while it runs).
"""

import os
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# Where docker-compose.yml's beat keeps its schedule (celery beat --schedule).
BEAT_SCHEDULE = Path(__file__).resolve().parent.parent / "var" / "celerybeat-schedule"
BEAT_STALE_AFTER_SECONDS = 15 * 60


def _host() -> str:
    first = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    return "localhost" if first in ("", "*") else first.lstrip(".")


def web(timeout: float = 10) -> bool:
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/accounts/login/",
        headers={"Host": _host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (fixed local URL)
            return bool(response.status == 200)
    except (urllib.error.URLError, TimeoutError):
        return False


def worker() -> bool:
    from consult.celery import app

    node = f"celery@{socket.gethostname()}"
    replies = app.control.ping(destination=[node], timeout=5) or []
    return any(node in reply for reply in replies)


def beat() -> bool:
    saved = [path.stat().st_mtime for path in BEAT_SCHEDULE.parent.glob(BEAT_SCHEDULE.name + "*")]
    return bool(saved) and time.time() - max(saved) < BEAT_STALE_AFTER_SECONDS


CHECKS = {"web": web, "worker": worker, "beat": beat}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in CHECKS:
        print(f"usage: python -m consult.healthcheck {'|'.join(CHECKS)}", file=sys.stderr)
        return 2
    return 0 if CHECKS[argv[0]]() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

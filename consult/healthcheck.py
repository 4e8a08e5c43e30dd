"""Container health checks: ``python -m consult.healthcheck web|worker|beat``.

Exit status 0 when healthy, 1 otherwise (docker-compose.yml runs them).

- web: the login page answers through gunicorn, as it would behind the
  TLS-terminating proxy (first ALLOWED_HOSTS entry, X-Forwarded-Proto https).
- worker: the Celery worker of this container answers a ping over the broker.
- beat: Celery beat saved its schedule file recently (it does every few
  minutes while it runs).
- services: the database and Redis (when REDIS_URL is set) answer; prints
  one line per service saying which is down.
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


def services() -> bool:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
    django.setup()
    from django.conf import settings
    from django.db import DatabaseError, connection
    from redis import Redis
    from redis.exceptions import RedisError

    down = []
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        down.append(f"database: down ({error})")
    if settings.REDIS_URL:
        try:
            Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()
        except RedisError as error:
            down.append(f"redis: down ({error})")
    print("\n".join(down) or "database and redis: up")
    return not down


CHECKS = {"web": web, "worker": worker, "beat": beat, "services": services}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in CHECKS:
        print(f"usage: python -m consult.healthcheck {'|'.join(CHECKS)}", file=sys.stderr)
        return 2
    return 0 if CHECKS[argv[0]]() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

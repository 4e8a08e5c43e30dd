"""Container health checks: ``python -m consult.healthcheck web|worker|beat``.

Exit status 0 when healthy, 1 otherwise (docker-compose.yml runs them).

- web: the login page answers through gunicorn, as it would behind the
  TLS-terminating proxy (first ALLOWED_HOSTS entry, X-Forwarded-Proto https).
- worker: the Celery worker of this container answers a ping over the broker
  within 5 seconds.
- beat: beat's own loop wrote its heartbeat file (consult/beat.py) less than
  BEAT_HEARTBEAT_STALE_SECONDS ago (60 by default, written every 15).
- services: the database and Redis (when REDIS_URL is set) answer; prints
  one line per service saying which is down.

Each check fails within its stated time once its process is gone
(tests/test_healthcheck.py kills each one to see it).
"""

import os
import socket
import sys
import urllib.request
from collections.abc import Callable

WORKER_PING_SECONDS = 5.0


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
    except OSError:  # refused, reset mid-answer, timed out (URLError is one too)
        return False


def worker(node: str | None = None) -> bool:
    from consult.celery import app

    node = node or f"celery@{socket.gethostname()}"
    replies = app.control.ping(destination=[node], timeout=WORKER_PING_SECONDS) or []
    return any(node in reply for reply in replies)


def beat() -> bool:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
    from django.conf import settings

    from consult.beat import heartbeat_age

    age = heartbeat_age()
    return age is not None and age < float(settings.BEAT_HEARTBEAT_STALE_SECONDS)


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


CHECKS: dict[str, Callable[[], bool]] = {
    "web": web,
    "worker": worker,
    "beat": beat,
    "services": services,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in CHECKS:
        print(f"usage: python -m consult.healthcheck {'|'.join(CHECKS)}", file=sys.stderr)
        return 2
    return 0 if CHECKS[argv[0]]() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

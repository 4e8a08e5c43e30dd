"""Twenty parallel identical POSTs against the embedded set-up, for real.

The embedded default of ``bin/run`` (SQLite under the data folder, DEBUG on,
tasks in-process, Django's threaded server) is started in a subprocess on a
temporary data folder after ``migrate`` and ``seed_demo``; then, for each kind
of write, a thread pool sends the same POST twenty times at once and the
answers are counted by status. ``tests/test_embedded_load.py`` asserts on the
counts; run this module to print them::

    .venv/bin/python -m tests.embedded_load
"""

from __future__ import annotations

import functools
import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PARALLEL = 20
PASSWORD = "consult-demo-2026"
OBJECTION_TEXT = "Item 2 duplicates the crisis review; merge them. (parallel check)"

# Ids the POSTs need, read from the seeded demo (see agenda/demo.py, minutes/demo.py).
_TARGETS_SCRIPT = """
import http.cookiejar
import json
from agenda.models import Agenda, Session
from minutes.models import Communique
circulated = Session.objects.get(agenda__status=Agenda.Status.CIRCULATED)
drafts = list(
    Session.objects.filter(status=Session.Status.DRAFT, kind=Session.Kind.REGULAR)
    .order_by("starts_at")[:2]
)
communique = Communique.objects.get(status=Communique.Status.CIRCULATED)
print(json.dumps({
    "circulated_session": str(circulated.public_id),
    "draft_session": str(drafts[0].public_id),
    "transition_session": str(drafts[1].public_id),
    "communique": str(communique.public_id),
}))
"""


@dataclass
class Outcome:
    statuses: Counter[int] = field(default_factory=Counter)
    bodies: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0


def embedded_environment(data_dir: Path) -> dict[str, str]:
    """The variables of ``bin/run``: no PostgreSQL, no Redis, DEBUG on, data under data_dir."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL"} and not name.startswith("CELERY_")
    }
    environment.update(
        CONSULT_DATA_DIR=str(data_dir),
        DEBUG="true",
        DEMO_PASSWORD=PASSWORD,
        DJANGO_SETTINGS_MODULE="consult.settings",
        PYTHONUNBUFFERED="1",
    )
    return environment


def _manage(environment: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def embedded_server(data_dir: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Migrate, seed and serve the embedded set-up; yield its URL and the POSTs' targets."""
    environment = embedded_environment(data_dir)
    _manage(environment, "migrate", "--noinput")
    _manage(environment, "seed_demo")
    targets = json.loads(_manage(environment, "shell", "--no-imports", "-c", _TARGETS_SCRIPT))
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("runserver did not answer") from None
                time.sleep(0.2)
        yield base, targets
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def request(
    base: str, method: str, path: str, body: Any = None, token: str = ""
) -> tuple[int, str, dict[str, str]]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    call = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(call, timeout=120) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def demo_credentials(username: str) -> dict[str, str]:
    """The demo accounts' password and current one-time code (seed_demo enrols them all)."""
    from django.conf import settings

    from consult.mfa import totp_current_code
    from tests.clock import machine_time

    # The server keeps the machine's clock, whatever the suite's says.
    return {
        "username": username,
        "password": PASSWORD,
        "code": totp_current_code(settings.DEMO_TOTP_SECRET, at=machine_time()),
    }


@functools.cache
def token_for(base: str, username: str) -> str:
    """One token per account and server: a one-time code is accepted once."""
    status, body, _ = request(base, "POST", "/api/v1/auth/token/", demo_credentials(username))
    if status != 200:
        raise RuntimeError(f"no token for {username}: {status} {body[:300]}")
    return str(json.loads(body)["token"])


def fire(base: str, path: str, body: Any, token: str = "") -> Outcome:
    """The same POST PARALLEL times at once."""
    outcome = Outcome()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        answers = list(
            pool.map(lambda _: request(base, "POST", path, body, token), range(PARALLEL))
        )
    outcome.seconds = time.monotonic() - started
    for status, text, _ in answers:
        outcome.statuses[status] += 1
        outcome.bodies.setdefault(status, text[:300])
    return outcome


def objections_with_text(base: str, token: str, session: str, text: str) -> int:
    status, body, _ = request(base, "GET", f"/api/v1/objections/?session={session}", token=token)
    if status != 200:
        raise RuntimeError(f"objections not listed: {status} {body[:300]}")
    return sum(1 for row in json.loads(body)["results"] if row["text"] == text)


def login_page_post(base: str, username: str) -> tuple[int, str, dict[str, str]]:
    """Sign in through the login page (CSRF cookie and token first)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/", timeout=30) as page:
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    assert csrf is not None
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf.group(1), "login": username, "password": PASSWORD}
    ).encode()
    call = urllib.request.Request(f"{base}/accounts/login/", data=form, method="POST")
    call.add_header("Referer", f"{base}/accounts/login/")
    try:
        with opener.open(call, timeout=120) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def while_locked(data_dir: Path, base: str, targets: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """An API write and a page write while another connection holds the write lock
    past the server's busy timeout: answered by status and Retry-After."""
    usa = token_for(base, "delegate-usa")
    holder = sqlite3.connect(data_dir / "consult.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            api = pool.submit(
                request,
                base,
                "POST",
                "/api/v1/objections/",
                {"session": targets["circulated_session"], "text": "Sent while locked."},
                usa,
            )
            page = pool.submit(login_page_post, base, "delegate-eu")
            answers = {"api": api.result(), "page": page.result()}
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    return {
        where: (status, headers.get("Retry-After", ""))
        for where, (status, _, headers) in answers.items()
    }


def run_all(base: str, targets: dict[str, Any]) -> tuple[dict[str, Outcome], int]:
    """Fire each kind of POST; answer the outcomes and how many objections were created."""
    secretariat = token_for(base, "secretariat")
    usa = token_for(base, "delegate-usa")
    outcomes = {
        "papers": fire(
            base,
            "/api/v1/documents/",
            {
                "session": targets["circulated_session"],
                "title": "Position on incident notification (parallel check)",
                "distribution": "participants",
                "owner": "USA",
                "body_html": "<p>Hotlines answer within the hour.</p>",
            },
            usa,
        ),
        "positions": fire(
            base,
            "/api/v1/positions/",
            {"communique": targets["communique"], "stance": "associates"},
            usa,
        ),
        "objections": fire(
            base,
            "/api/v1/objections/",
            {"session": targets["circulated_session"], "text": OBJECTION_TEXT},
            usa,
        ),
        "agenda items": fire(
            base,
            "/api/v1/agenda-items/",
            {
                "session": targets["draft_session"],
                "title": "Incidents at sea (parallel check)",
                "kind": "crisis_review",
            },
            secretariat,
        ),
        "transitions": fire(
            base,
            f"/api/v1/sessions/{targets['transition_session']}/transition/",
            {"status": "scheduled"},
            secretariat,
        ),
        # Each one-time code is accepted once: one of the identical logins gets a token.
        "tokens": fire(base, "/api/v1/auth/token/", demo_credentials("analyst")),
    }
    created = objections_with_text(base, usa, targets["circulated_session"], OBJECTION_TEXT)
    return outcomes, created


def main() -> int:
    with (
        tempfile.TemporaryDirectory(prefix="consult-embedded-") as folder,
        embedded_server(Path(folder)) as (base, targets),
    ):
        # First: the token storm leaves this address locked for failed logins.
        locked = while_locked(Path(folder), base, targets)
        outcomes, objections = run_all(base, targets)
    print(f"{PARALLEL} parallel identical POSTs on the embedded SQLite set-up")
    print(f"{'kind':<14}{'seconds':>8}  statuses")
    for kind, outcome in outcomes.items():
        counts = ", ".join(f"{n} x {status}" for status, n in sorted(outcome.statuses.items()))
        print(f"{kind:<14}{outcome.seconds:>8.1f}  {counts}")
    print(f"objections created by {PARALLEL} identical POSTs: {objections}")
    for where, (status, retry_after) in locked.items():
        print(f"{where} write while the lock is held: {status}, Retry-After {retry_after!r}")
    failures = sum(outcome.statuses[500] for outcome in outcomes.values())
    print(f"500 answers in all: {failures}")
    for kind, outcome in outcomes.items():
        if 500 in outcome.bodies:
            print(f"  {kind}: {outcome.bodies[500][:160]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Settings and harnesses shared by the whole suite.

Every test runs with tasks in-process (Celery eager), plain HTTP, a fast
password hasher and uploads in a temporary folder (Django's test set-up
already keeps e-mail in memory, in ``mail.outbox``).

``--now INSTANT`` runs the whole suite on a clock that starts at INSTANT
(``tests/clock.py``), the Celery worker included.

Two harnesses are opt-in:

- ``live_celery_worker`` (tests marked ``integration``): a real Celery worker
  process on the Redis started by ``bin/with-services``, reading the same
  PostgreSQL test database; tasks sent by the test go through Redis to it.
- ``page`` (tests marked ``browser``): the system's Chromium driven by
  Playwright against pytest-django's ``live_server``; ``login`` signs a page in.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import override_settings
from django.utils import translation
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from consult.celery import app as celery_app

pytest_plugins = ["tests.clock", "tests.worlds"]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "var" / "test-artifacts"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_configure(config: pytest.Config) -> None:
    """The interface's catalogs compiled once, by the controller, before any worker starts
    (bin/setup does the same for development; gettext comes with bin/with-services)."""
    if hasattr(config, "workerinput") or shutil.which("msgfmt") is None:
        return
    for po in sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        # Production redirects to HTTPS and sends cookies over HTTPS only; the
        # test client and the live server speak plain HTTP.
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        CELERY_TASK_ALWAYS_EAGER=True,
        # No signing keys unless a test makes its own (tests/minutes/test_signing.py); the
        # demo seed never writes keys outside the embedded default's folder.
        **{
            f"COMMUNIQUE_{name}": str(tmp_path_factory.mktemp("no-keys") / "absent.pem")
            for name in ("TEXT_KEY", "TEXT_CERT", "PDF_KEY", "PDF_CERT")
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _force_login_with_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``client.force_login`` signs in as the login page would, second factor included."""
    from django.test import Client

    from tests.mfa import force_login_with_second_factor

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """A page answered in Russian leaves the worker's thread in Russian (the locale
    middleware activates, nothing deactivates): each test starts from the default."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_in_process() -> Iterator[None]:
    # Set on the Celery app itself: a value written there (by any fixture)
    # shadows the Django setting for the rest of the session.
    conf = celery_app.conf
    previous = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = True
    conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = previous


# Celery integration ----------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


def _worker_answers(nodename: str) -> bool:
    replies = celery_app.control.ping(destination=[nodename], timeout=0.5) or []
    return any(nodename in reply for reply in replies)


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[str]:
    """A real ``celery worker`` on REDIS_URL and the test database; yields its queue.

    The worker consumes (and sends to) a queue of its own, so that parallel
    test processes (pytest -n) sharing the Redis never take each other's tasks.
    It depends on ``django_db_setup`` so it is stopped before the test
    database is dropped. It runs on the suite's clock (``--now``), through
    ``tests.clocked_celery``.
    """
    from tests.clock import clock_environment

    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.fail(
            "The Celery integration tests need the PostgreSQL and Redis that "
            "bin/with-services starts: run them with bin/test or bin/with-services."
        )
    queue = f"pytest-{uuid.uuid4().hex[:12]}"
    nodename = f"{queue}@localhost"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "consult.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        # A connection kept open would block the flush after each test and the
        # drop of the test database at the end.
        "CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **clock_environment(pytestconfig),
    }
    command = [
        sys.executable,
        "-m",
        "tests.clocked_celery",
        "--app=consult",
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "--loglevel=INFO",
        f"--hostname={nodename}",
        "--without-gossip",
        "--without-mingle",
    ]
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while not _worker_answers(nodename):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()[-5000:]}")
        yield queue
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


@pytest.fixture
def live_celery_worker(
    celery_worker_process: str, transactional_db: None, settings: Settings
) -> Iterator[str]:
    """Tasks of this test go through Redis to the worker; data it commits is visible to it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_DEFAULT_QUEUE = celery_worker_process
    celery_app.conf.task_always_eager = False
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = celery_worker_process
    yield celery_worker_process
    celery_app.conf.task_default_queue = previous_queue


# Browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    """The system's Chromium (never a downloaded one), one per test module."""
    if os.environ.get("CONSULT_BROWSER_TESTS") == "0":
        pytest.skip("browser tests disabled by CONSULT_BROWSER_TESTS=0")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Chromium not found: install Debian's chromium (bin/test does when root).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which
    # Django would take for async code and refuse ORM calls from the test.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


_call_failed = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
    return report


@pytest.fixture
def page(
    browser: "Browser", live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator["Page"]:
    """A fresh browser context on the live server; a failing test leaves a screenshot.

    Any Content-Security-Policy violation on any of its pages fails the test at
    teardown: Chromium's console report and the page's own
    ``securitypolicyviolation`` event are both collected, so a blocked script,
    style, frame or fetch cannot pass unnoticed.
    """
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    violations = csp_violations_watch(context)
    new_page = context.new_page()
    yield new_page
    if request.node.stash.get(_call_failed, False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.nodeid.replace("/", "_").replace("::", "__")
        new_page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    context.close()
    if violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations)),
            pytrace=False,
        )


CSP_VIOLATION_PREFIX = "CSP violation:"
# Runs in every frame before the page's own scripts (Playwright injects it, the
# page's policy does not apply to it).
CSP_VIOLATION_LISTENER = f"""
document.addEventListener("securitypolicyviolation", (event) => {{
  console.error("{CSP_VIOLATION_PREFIX} " + event.effectiveDirective + " blocked "
    + (event.blockedURI || "inline") + " on " + event.documentURI
    + (event.sourceFile ? " (" + event.sourceFile + ":" + event.lineNumber + ")" : ""));
}});
"""


def csp_violations_watch(context: "BrowserContext") -> list[str]:
    """The list the context's Content-Security-Policy violations are appended to."""
    violations: list[str] = []

    def note(message: "ConsoleMessage") -> None:
        text = message.text
        if text.startswith(CSP_VIOLATION_PREFIX) or "Content Security Policy" in text:
            violations.append(f"{text} [{message.location.get('url', '')}]")

    context.add_init_script(CSP_VIOLATION_LISTENER)
    context.on("console", note)
    return violations


def _login(page: "Page", username: str, password: str | None = None) -> None:
    from django.contrib.auth import get_user_model

    from consult.mfa import must_use_second_factor
    from tests.mfa import current_code, enrol

    user = get_user_model().objects.filter(username=username).first()
    if user is not None and must_use_second_factor(user):
        enrol(user)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(password or settings.DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form[action$='/accounts/login/'] [type=submit]").click()
    if user is not None and "/accounts/2fa/authenticate/" in page.url:
        page.locator("input[name=code]").fill(current_code(user))
        with page.expect_navigation():
            page.locator("form[action$='/2fa/authenticate/'] [type=submit]").click()


@pytest.fixture
def login() -> Callable[..., None]:
    """``login(page, username, password=DEMO_PASSWORD)`` submits the login form, then the
    user's one-time code when they have a second factor (enrolling those who must have one)."""
    return _login

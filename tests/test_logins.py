"""Failed logins lock the account and the source on every door; sessions end on time."""

import itertools
import uuid
from datetime import timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from analytics.models import ApiToken
from analytics.services.tokens import api_token_create
from consult.logins import client_ip, login_locks_lift
from tests.factories import PASSWORD, UserFactory, secretariat_user
from tests.mfa import force_login_without_second_factor

pytestmark = pytest.mark.django_db

# allauth's own, wider limits count in the cache, which outlives a test: each
# test uses addresses and usernames of its own.
# Started at random: xdist workers share the cache, not the counter.
_addresses = itertools.count(uuid.uuid4().int % 2**22)


def address() -> str:
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def name(stem: str) -> str:
    return f"{stem}-{uuid.uuid4().hex[:8]}"


LIMIT = settings.AXES_FAILURE_LIMIT
# The failure that reaches the limit is already answered with the lock.
ANSWERED = LIMIT - 1


def page_login(client: Client, username: str, password: str, **extra):
    return client.post("/accounts/login/", {"login": username, "password": password}, **extra)


def token_login(client: Client, username: str, password: str, **extra):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def test_forty_wrong_passwords_lock_the_account_and_the_source():
    """Past the limit the page answers 429, the right password included, for the account
    from anywhere and for any account from that source."""
    target, bystander = UserFactory(username=name("target")), UserFactory(username=name("by"))
    attacker = Client(REMOTE_ADDR=address())
    answers = [page_login(attacker, target.username, f"guess-{n}").status_code for n in range(40)]
    assert answers[:ANSWERED] == [200] * ANSWERED
    assert set(answers[ANSWERED:]) == {429}
    assert page_login(attacker, target.username, PASSWORD).status_code == 429
    # The account, from another source; the source, for another account.
    assert page_login(Client(REMOTE_ADDR=address()), target.username, PASSWORD).status_code == 429
    assert page_login(attacker, bystander.username, PASSWORD).status_code == 429
    # Someone else, elsewhere, is not held.
    assert (
        page_login(Client(REMOTE_ADDR=address()), bystander.username, PASSWORD).status_code == 302
    )


def test_a_username_in_another_case_counts_for_the_same_account():
    """Varying the case of the username, or the source, does not give a fresh count."""
    target = UserFactory(username=name("target"))
    for n in range(LIMIT):
        typed = target.username if n % 2 else target.username.upper()
        page_login(Client(REMOTE_ADDR=address()), typed, f"guess-{n}")
    assert page_login(Client(REMOTE_ADDR=address()), target.username, PASSWORD).status_code == 429


def test_forged_forwarded_for_changes_nothing():
    """A new X-Forwarded-For per attempt is ignored: the connection's address is counted."""
    target = UserFactory(username=name("target"))
    attacker = Client(REMOTE_ADDR=address())
    for n in range(LIMIT):
        page_login(attacker, name("user"), "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    locked = page_login(attacker, target.username, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert locked.status_code == 429


def test_spraying_one_password_over_many_usernames_is_limited():
    """One source trying one password on many accounts is locked after the limit."""
    users = [UserFactory(username=name("staff")) for _ in range(30)]
    sprayer = Client(REMOTE_ADDR=address())
    answers = [page_login(sprayer, user.username, "Winter2026!").status_code for user in users]
    assert answers.count(429) == 30 - ANSWERED


def test_the_token_endpoint_is_a_door_too():
    """Wrong passwords at POST /api/v1/auth/token/ lock the account, answered in JSON."""
    user = UserFactory(username=name("scripted"))
    client = Client(REMOTE_ADDR=address())
    for n in range(ANSWERED):
        assert token_login(client, user.username, f"guess-{n}").status_code == 400
    assert token_login(client, user.username, "last-guess").status_code == 429
    locked = token_login(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    assert "Retry-After" in locked
    # The page login is locked for that account as well.
    assert page_login(Client(REMOTE_ADDR=address()), user.username, PASSWORD).status_code == 429


def test_the_admin_login_is_the_same_door():
    """/admin/login/ has no password form of its own to guess at."""
    response = Client().post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_lock_lapses_after_the_cool_off():
    """The lock is temporary: after LOGIN_LOCK_MINUTES the right password works again."""
    target = UserFactory(username=name("target"))
    attacker = Client(REMOTE_ADDR=address())
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(LIMIT):
            page_login(attacker, target.username, f"guess-{n}")
        assert page_login(attacker, target.username, PASSWORD).status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        assert page_login(attacker, target.username, PASSWORD).status_code == 302


def test_the_secretariat_lifts_a_lock_in_the_admin(client):
    """The users' admin action clears the account's failed logins."""
    target = UserFactory(username=name("target"))
    secretary = secretariat_user()
    secretary.is_superuser = True
    secretary.save()
    attacker = Client(REMOTE_ADDR=address())
    for n in range(LIMIT):
        page_login(attacker, target.username, f"guess-{n}")
    elsewhere = Client(REMOTE_ADDR=address())
    assert page_login(elsewhere, target.username, PASSWORD).status_code == 429

    client.force_login(secretary)
    response = client.post(
        "/admin/auth/user/", {"action": "lift_login_locks", "_selected_action": [target.pk]}
    )
    assert response.status_code == 302
    assert page_login(elsewhere, target.username, PASSWORD).status_code == 302


def test_a_delegate_cannot_lift_a_lock(client):
    """The admin, and so the lift, is closed to users who are not staff."""
    target = UserFactory(username=name("target"))
    client.force_login(UserFactory(username=name("delegate")))
    response = client.post(
        "/admin/auth/user/", {"action": "lift_login_locks", "_selected_action": [target.pk]}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_secretariat_lifts_the_lock_of_a_source():
    """A source locked by spraying is let in again once its lock is lifted."""
    target = UserFactory(username=name("target"))
    source = address()
    sprayer = Client(REMOTE_ADDR=source)
    for _ in range(LIMIT):
        page_login(sprayer, name("nobody"), "Winter2026!")
    assert page_login(sprayer, target.username, PASSWORD).status_code == 429
    assert login_locks_lift(ip_addresses=[source]) == LIMIT
    assert page_login(sprayer, target.username, PASSWORD).status_code == 302


def test_the_client_address_trusts_only_the_configured_proxies(rf):
    """Behind NUM_PROXIES proxies the address the outermost trusted one saw is counted."""
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}):
        assert client_ip(request) == "203.0.113.5"


# Sessions


def test_an_idle_session_ends():
    """Thirty minutes without a request log the user out."""
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        force_login_without_second_factor(client, UserFactory())
        assert client.get("/").status_code == 200
        clock.shift(timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(seconds=settings.SESSION_IDLE_SECONDS))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_busy_session_ends_after_its_absolute_lifetime():
    """A request every twenty minutes keeps a session only until twelve hours have passed."""
    client = Client()
    step = timedelta(minutes=20)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        force_login_without_second_factor(client, UserFactory())
        assert client.get("/").status_code == 200
        elapsed = timedelta(0)
        while elapsed + step < timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS):
            clock.shift(step)
            elapsed += step
            assert client.get("/").status_code == 200, elapsed
        clock.shift(step)
        assert client.get("/").status_code == 302


def test_logout_everywhere_ends_every_session_and_optionally_the_tokens():
    """From one browser, every session of the user ends; tokens go only when asked."""
    user = UserFactory(username="traveller")
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        assert page_login(browser, "traveller", PASSWORD).status_code == 302
        assert browser.get("/").status_code == 200
    assert UserSession.objects.filter(user=user).count() == 2
    api_token_create(user=user, name="notebook", read_only=True)

    response = laptop.post("/account/logout-everywhere/")
    assert response.status_code == 302
    for browser in (laptop, phone):
        assert browser.get("/").status_code == 302
    assert ApiToken.objects.get(user=user).revoked_at is None

    assert page_login(laptop, "traveller", PASSWORD).status_code == 302
    laptop.post("/account/logout-everywhere/", {"revoke_tokens": "on"})
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert laptop.get("/").status_code == 302


def test_logout_everywhere_is_a_post_of_a_signed_in_user():
    """Anonymous visitors are sent to log in; a GET changes nothing."""
    user = UserFactory()
    assert Client().post("/account/logout-everywhere/").status_code == 302
    client = Client()
    client.force_login(user)
    assert client.get("/account/logout-everywhere/").status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("path", "shows"),
    [
        ("/accounts/sessions/", "Sessions"),
        ("/accounts/2fa/", "Two-Factor Authentication"),
        ("/accounts/password/change/", "Change Password"),
    ],
)
def test_the_account_pages_answer_a_signed_in_user(path, shows):
    """allauth's pages (sessions, second factor, password) render, never a server error."""
    user = UserFactory(username="traveller-sessions")
    client = Client()
    assert page_login(client, user.username, PASSWORD).status_code == 302
    page = client.get(path)
    assert page.status_code == 200
    assert shows in page.content.decode()

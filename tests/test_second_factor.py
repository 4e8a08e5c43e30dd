"""The second factor: who must give it, at login, before sensitive steps and at the token door."""

import time
import uuid

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from members.models import Delegation
from members.services.delegations import delegation_second_factor_require
from tests.factories import PASSWORD, PartyFactory, UserFactory, delegate, secretariat_user
from tests.mfa import (
    TEST_TOTP_SECRET,
    current_code,
    enrol,
    force_login_without_second_factor,
    mark_second_factor_given,
)

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/totp/activate/"
GIVE = "/accounts/2fa/reauthenticate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": username, "password": password})


def test_unenrolled_secretariat_reaches_nothing_but_enrolment():
    """A secretariat session without a second factor is sent to enrol, pages and API alike."""
    client = Client()
    force_login_without_second_factor(client, secretariat_user())
    for url in ["/", "/sessions/", "/account/tokens/", "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{ENROL}?next={url.replace('/', '%2F')}"
    api = client.get("/api/v1/sessions/")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor"
    assert client.get(ENROL).status_code in {200, 302}


def test_enrolled_secretariat_without_the_factor_in_this_session_is_asked_for_it():
    """A session that skipped the second factor is sent to give it before anything else."""
    secretary = secretariat_user()
    enrol(secretary)
    client = Client()
    force_login_without_second_factor(client, secretary)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(GIVE)
    given = client.post(f"{GIVE}?next=/", {"code": current_code(secretary)})
    assert given.status_code == 302
    assert client.get("/").status_code == 200


def test_admin_staff_without_second_factor_is_sent_to_enrol():
    """A staff user who is not in the secretariat still owes the second factor at /admin/."""
    staff = UserFactory(username="staffer", is_staff=True)
    client = Client()
    force_login_without_second_factor(client, staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)


def test_admin_login_goes_through_the_login_page():
    """/admin/login/ sends visitors to the one login page (password, then second factor)."""
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_login_asks_for_the_code_and_refuses_a_wrong_one():
    """Password first, then the code: a wrong code signs nobody in, the right one does."""
    secretary = secretariat_user()
    enrol(secretary)
    client = Client()
    response = password_step(client, secretary.username)
    assert response.status_code == 302
    assert response["Location"] == AUTHENTICATE
    assert client.get("/").status_code == 302
    wrong = client.post(
        AUTHENTICATE, {"code": "000000" if current_code(secretary) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "code" in wrong.context["form"].errors
    assert client.get("/")["Location"].startswith("/accounts/login/")
    right = client.post(AUTHENTICATE, {"code": current_code(secretary)})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_is_accepted_once():
    """The same code cannot sign a second session in within its period."""
    secretary = secretariat_user()
    enrol(secretary)
    code = current_code(secretary)
    first, second = Client(), Client()
    password_step(first, secretary.username)
    assert first.post(AUTHENTICATE, {"code": code}).status_code == 302
    password_step(second, secretary.username)
    reused = second.post(AUTHENTICATE, {"code": code})
    assert reused.status_code == 200
    assert second.get("/")["Location"].startswith("/accounts/login/")


def test_a_delegation_can_require_the_second_factor():
    """Its delegates are sent to enrol from their next login; other delegates are not."""
    usa = delegate(PartyFactory(code="USA"), "usa-head")
    fra = delegate(PartyFactory(code="FRA"), "fra-head")
    delegation_second_factor_require(
        delegation=Delegation.objects.get(party__code="USA"), required=True
    )
    usa_client, fra_client = Client(), Client()
    force_login_without_second_factor(usa_client, usa)
    force_login_without_second_factor(fra_client, fra)
    assert usa_client.get("/")["Location"].startswith(ENROL)
    assert fra_client.get("/").status_code == 200


def test_issuing_a_token_on_the_page_asks_for_the_code_again():
    """Past the reauthentication window the POST waits for the code, then goes through."""
    analyst = UserFactory(username="reader")
    enrol(analyst)
    client = Client()
    force_login_without_second_factor(client, analyst)
    mark_second_factor_given(client, analyst, at=time.time() - 600)
    response = client.post("/account/tokens/", {"name": "notebook", "read_only": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"{GIVE}?next=%2Faccount%2Ftokens%2F"
    assert analyst.api_tokens.count() == 0
    resumed = client.post(f"{GIVE}?next=/account/tokens/", {"code": current_code(analyst)})
    assert resumed.status_code == 200
    assert analyst.api_tokens.get().name == "notebook"


def test_issuing_a_token_needs_an_enrolled_second_factor():
    """A user with no second factor is sent to enrol before a token is made."""
    analyst = UserFactory(username="reader")
    client = Client()
    force_login_without_second_factor(client, analyst)
    response = client.post("/account/tokens/", {"name": "notebook"})
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)
    assert analyst.api_tokens.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/invitations/{id}/revoke/",
        "/communiques/{id}/publish/",
    ],
)
def test_sensitive_steps_ask_for_the_code_again(url):
    """Revoking an invitation and publishing a communiqué wait for a fresh second factor."""
    secretary = secretariat_user()
    enrol(secretary)
    client = Client()
    force_login_without_second_factor(client, secretary)
    mark_second_factor_given(client, secretary, at=time.time() - 600)
    response = client.post(url.format(id=uuid.uuid4()))
    assert response.status_code == 302
    assert response["Location"].startswith(GIVE)


def test_token_endpoint_asks_for_the_code():
    """Missing, wrong and reused codes are refused with a JSON error on `code`."""
    user = UserFactory(username="scripted")
    enrol(user)
    client = Client()
    credentials = {"username": "scripted", "password": PASSWORD}
    missing = client.post("/api/v1/auth/token/", credentials, content_type="application/json")
    assert missing.status_code == 400
    assert "one-time code" in missing.json()["code"][0]
    code = current_code(user)
    wrong_code = "000000" if code != "000000" else "111111"
    wrong = client.post(
        "/api/v1/auth/token/", {**credentials, "code": wrong_code}, content_type="application/json"
    )
    assert wrong.status_code == 400
    assert "wrong" in wrong.json()["code"][0]
    right = client.post(
        "/api/v1/auth/token/", {**credentials, "code": code}, content_type="application/json"
    )
    assert right.status_code == 200
    assert right.json()["token"]
    reused = client.post(
        "/api/v1/auth/token/", {**credentials, "code": code}, content_type="application/json"
    )
    assert reused.status_code == 400
    assert "already used" in reused.json()["code"][0]


def test_the_demo_code_command_prints_the_code_of_the_secret(settings):
    """`manage.py demo_code` prints what an authenticator app on DEMO_TOTP_SECRET shows."""
    from io import StringIO

    from allauth.mfa.totp.internal.auth import validate_totp_code
    from django.core.management import call_command

    settings.DEMO_TOTP_SECRET = TEST_TOTP_SECRET
    with time_machine.travel(timezone.now(), tick=False):
        out = StringIO()
        call_command("demo_code", stdout=out)
        code = out.getvalue().strip()
        assert len(code) == 6
        assert validate_totp_code(TEST_TOTP_SECRET, code)

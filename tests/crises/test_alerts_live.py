"""The alerts' live channel: each recipient's stream carries their own unacknowledged
alerts raised after the page (with the banner's markup and its acknowledge form), a
reconnecting browser catches up from ``Last-Event-ID``, nobody else is sent anything, and
each pass reads in a constant number of queries; the page's banner stays one query."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crises.models import Alert, AlertDelivery
from crises.services.alerts import alert_acknowledge, alert_raise
from crises.views.alerts import ALERT_LIVE_IDLE_RETRY_MS
from members.models import DelegationMembership
from tests.crises.conftest import CrisisWorld
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("crises:alerts_live")
RECIPIENTS = ["us", "ru", "nato", "eu", "fr", "sec"]


@pytest.fixture(autouse=True)
def _one_pass_streams(settings: Any) -> None:
    settings.EXERCISE_LIVE_SECONDS = 0
    settings.EXERCISE_LIVE_POLL_SECONDS = 0


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _plain_delegate(cw: CrisisWorld) -> Any:
    """An adviser in the United States' delegation: a delegate, not its head."""
    head = DelegationMembership.objects.filter(user=cw.user("us")).select_related("delegation")
    user = UserFactory(username="us-adviser")
    MembershipFactory(
        delegation=head.get().delegation, user=user, role=DelegationMembership.Role.ADVISER
    )
    return user


def _raise(cw: CrisisWorld, who: str = "us", text: str = "Collision near Gotland.") -> Alert:
    return alert_raise(user=cw.user(who), text=text, crisis=cw.crisis, urgency="flash")


def _stream(client: Client, last: int | None = None) -> tuple[str, list[dict[str, Any]]]:
    headers = {"Last-Event-ID": str(last)} if last is not None else {}
    response = client.get(URL, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    events = []
    for block in body.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
        if "data" in lines:
            events.append({"id": int(lines["id"]), **json.loads(lines["data"])})
    return body, events


def test_every_recipient_is_sent_the_banner_of_a_new_alert(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    # The raiser (us) acknowledged it as it raised it: its stream stays quiet.
    assert _stream(_client(cw.user("us")))[1] == []
    for name in [name for name in RECIPIENTS if name != "us"]:
        _body, events = _stream(_client(cw.user(name)))
        assert [event["alert"] for event in events] == [str(alert.public_id)], name
        banner = events[0]["html"]
        assert 'role="alert"' in banner
        assert "Collision near Gotland." in banner
        assert "Baltic Sea airspace incidents" in banner  # the crisis: every head reads it
        action = reverse("crises:alert_acknowledge", kwargs={"public_id": alert.public_id})
        assert f'action="{action}"' in banner
        assert 'name="csrfmiddlewaretoken"' in banner
        assert events[0]["id"] == AlertDelivery.objects.get(alert=alert, user=cw.user(name)).pk


@pytest.mark.parametrize("name", ["de", "csto", "ua", "outsider", "adviser"])
def test_whoever_the_alert_did_not_go_to_is_sent_nothing(cw: CrisisWorld, name: str) -> None:
    user = _plain_delegate(cw) if name == "adviser" else cw.user(name)
    _raise(cw)
    body, events = _stream(_client(user))
    assert events == []
    assert "Collision" not in body
    if name in ("outsider", "adviser"):  # never addressed an alert: asked back much later
        assert body == f"retry: {ALERT_LIVE_IDLE_RETRY_MS}\n\n"


def test_signed_out_the_stream_is_the_login_page(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(URL).status_code in (302, 405)


def test_a_reconnecting_browser_catches_up_from_its_last_event(cw: CrisisWorld) -> None:
    client = _client(cw.user("ru"))
    first = _raise(cw, text="First incident.")
    _body, seen = _stream(client)
    assert [event["alert"] for event in seen] == [str(first.public_id)]
    # While the browser is away: two more alerts, and one acknowledged elsewhere.
    second = _raise(cw, "nato", text="Second incident.")
    third = _raise(cw, "fr", text="Third incident.")
    alert_acknowledge(user=cw.user("ru"), alert=second)
    _body, caught_up = _stream(client, last=seen[-1]["id"])
    assert [event["alert"] for event in caught_up] == [str(third.public_id)]
    _body, nothing_new = _stream(client, last=caught_up[-1]["id"])
    assert nothing_new == []
    # A bad Last-Event-ID replays from the start rather than failing.
    response = client.get(URL, headers={"Last-Event-ID": "not-a-number"})
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert str(first.public_id) in body
    assert str(third.public_id) in body


def test_the_page_tells_the_script_where_the_banner_stands(cw: CrisisWorld) -> None:
    client = _client(cw.user("ru"))
    page = client.get(reverse("crises:threat_list")).content.decode()
    assert f'data-alerts-live="{URL}"' in page
    assert 'data-last-event="0"' in page
    assert "js/alert-live.js" in page
    alert = _raise(cw)
    delivery = AlertDelivery.objects.get(alert=alert, user=cw.user("ru"))
    page = client.get(reverse("crises:threat_list")).content.decode()
    assert f'data-last-event="{delivery.pk}"' in page
    # What the page shows, the stream does not send again.
    _body, events = _stream(client, last=delivery.pk)
    assert events == []


def test_a_pass_of_the_stream_reads_in_constant_queries(cw: CrisisWorld) -> None:
    client = _client(cw.user("ru"))
    _raise(cw)
    with CaptureQueriesContext(connection) as one:
        assert len(_stream(client)[1]) == 1
    for who in ("nato", "fr", "eu"):
        _raise(cw, who)
    with CaptureQueriesContext(connection) as four:
        assert len(_stream(client)[1]) == 4
    assert len(four) == len(one)


def test_the_page_banner_costs_one_plain_query_and_one_more_for_the_crises_it_names(
    cw: CrisisWorld,
) -> None:
    """Every page reads the banner: without alerts, or with alerts naming no crisis, one
    plain query; alerts naming crises add one (which of them the reader may read),
    whatever their number."""
    client = _client(cw.user("ru"))
    url = reverse("crises:threat_list")
    client.get(url)
    with CaptureQueriesContext(connection) as none:
        client.get(url)
    alert_raise(user=cw.user("us"), text="Hotline test.", crisis=None, urgency="routine")
    with CaptureQueriesContext(connection) as no_crisis:
        body = client.get(url).content.decode()
    assert "Hotline test." in body
    banner = [q["sql"] for q in no_crisis.captured_queries if "crises_alertdelivery" in q["sql"]]
    assert len(banner) == 1
    assert len(no_crisis) == len(none)
    _raise(cw)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for who in ("nato", "fr"):
        _raise(cw, who)
    with CaptureQueriesContext(connection) as three:
        body = client.get(url).content.decode()
    assert body.count("data-alert=") == 4
    assert len(one) == len(none) + 1
    assert len(three) == len(one)

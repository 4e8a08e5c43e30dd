"""The alert's pages and API, role by role: the banner on every page for each recipient (and
for nobody else), one-click acknowledgement back to the page, the raise form refusing
whoever is not a seat-holder's head, the secretariat's view of who has acknowledged, and
/api/v1/alerts/ with its filters, in a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crises.models import Alert, AlertDelivery
from crises.services.alerts import alert_acknowledge, alert_raise
from tests.crises.conftest import CrisisWorld

pytestmark = pytest.mark.django_db

HEADS = ["us", "ru", "nato", "eu", "fr"]
ROLES = ["anonymous", "outsider", "us", "ru", "de", "csto", "ua", "sec"]


def _client(cw: CrisisWorld, name: str) -> Client:
    client = Client()
    if name != "anonymous":
        client.force_login(cw.user(name))
    return client


def _raise(cw: CrisisWorld, who: str = "us") -> Alert:
    return alert_raise(
        user=cw.user(who), text="Collision near Gotland.", crisis=cw.crisis, urgency="flash"
    )


# Both readers of the alert (its recipients and the raising delegation) and the rest.
ALERT_PAGE = {
    "anonymous": "login", "outsider": 404, "us": 200, "ru": 200, "de": 404, "csto": 404,
    "ua": 404, "sec": 200,
}  # fmt: skip


def _answer(response: Any) -> Any:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return response.status_code


def test_the_banner_is_on_every_page_of_every_head_and_of_nobody_else(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    for name in ["us", "ru", "nato", "eu", "fr", "sec", "de", "csto", "ua", "outsider"]:
        for url in (reverse("crises:crisis_list"), reverse("crises:threat_list")):
            body = _client(cw, name).get(url).content.decode()
            shown = f'data-alert="{alert.public_id}"' in body
            # Not to us, which raised it: its own row is acknowledged as raised.
            assert shown is (name in [*HEADS, "sec"] and name != "us"), (name, url)


def test_acknowledging_from_the_banner_returns_to_the_page(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    client = _client(cw, "ru")
    back = reverse("crises:threat_list")
    url = reverse("crises:alert_acknowledge", kwargs={"public_id": alert.public_id})
    response = client.post(url, {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert AlertDelivery.objects.get(alert=alert, user=cw.user("ru")).acknowledged_at
    assert f'data-alert="{alert.public_id}"' not in client.get(back).content.decode()
    # Again: harmless; an outside "next" is not followed.
    again = client.post(url, {"next": "https://elsewhere.example/"})
    assert again["Location"] == alert.get_absolute_url()


def test_the_banner_reads_in_one_query_whatever_the_alerts(cw: CrisisWorld) -> None:
    client = _client(cw, "ru")
    url = reverse("crises:threat_list")
    _raise(cw)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        _raise(cw, "nato")
    with CaptureQueriesContext(connection) as four:
        body = client.get(url).content.decode()
    assert body.count("data-alert=") == 4
    assert len(four) == len(one)


def test_the_alert_page_role_by_role(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    url = reverse("crises:alert_detail", kwargs={"public_id": alert.public_id})
    seen = {name: _answer(_client(cw, name).get(url)) for name in ROLES}
    assert seen == ALERT_PAGE


def test_the_secretariat_sees_who_has_not_acknowledged(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    alert_acknowledge(user=cw.user("ru"), alert=alert)
    body = _client(cw, "sec").get(alert.get_absolute_url()).content.decode()
    assert "Who has acknowledged" in body
    # Every head and the secretariat, less Russia and the raiser (acknowledged as raised).
    assert body.count("Not acknowledged") == len(HEADS) + 1 - 2
    delegate_view = _client(cw, "ru").get(alert.get_absolute_url()).content.decode()
    assert "Who has acknowledged" not in delegate_view


@pytest.mark.parametrize("who", ["outsider", "de", "csto", "sec"])
def test_the_raise_form_refuses_whoever_is_not_a_seat_holders_head(
    cw: CrisisWorld, who: str
) -> None:
    response = _client(cw, who).post(
        reverse("crises:alert_raise"), {"text": "Incident", "urgency": "urgent", "crisis": ""}
    )
    assert response.status_code in (400, 403)
    assert "may raise an alert" in response.content.decode()
    assert not Alert.objects.exists()


def test_a_head_raises_from_the_form(cw: CrisisWorld) -> None:
    client = _client(cw, "us")
    assert client.get(reverse("crises:alert_raise")).status_code == 200
    response = client.post(
        reverse("crises:alert_raise"),
        {"text": "Collision near Gotland.", "urgency": "flash", "crisis": str(cw.crisis.public_id)},
    )
    alert = Alert.objects.get()
    assert response["Location"] == alert.get_absolute_url()
    assert alert.crisis == cw.crisis
    assert alert.urgency == "flash"


def test_the_alert_becomes_a_request_from_its_page(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    url = reverse("crises:alert_request_session", kwargs={"public_id": alert.public_id})
    assert _client(cw, "de").post(url).status_code == 404
    _client(cw, "ru").post(url)  # a recipient, not of the raising party: refused
    alert.refresh_from_db()
    assert alert.extraordinary_request is None
    _client(cw, "us").post(url)
    alert.refresh_from_db()
    assert alert.extraordinary_request is not None


def test_the_list_page(cw: CrisisWorld) -> None:
    _raise(cw)
    url = reverse("crises:alert_list")
    assert "Collision near Gotland" in _client(cw, "ru").get(url).content.decode()
    assert "Collision near Gotland" not in _client(cw, "de").get(url).content.decode()


def _api(cw: CrisisWorld, name: str, query: str = "") -> Any:
    return _client(cw, name).get(reverse("alert-list") + query)


def test_the_api_role_by_role_and_its_filters(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    other = alert_raise(user=cw.user("nato"), text="Jamming of GPS.")
    alert_acknowledge(user=cw.user("ru"), alert=alert)
    ids = lambda response: {row["id"] for row in response.json()["results"]}  # noqa: E731
    assert ids(_api(cw, "ru")) == {str(alert.public_id), str(other.public_id)}
    assert ids(_api(cw, "de")) == set()
    assert _api(cw, "anonymous").status_code in (401, 403)
    assert ids(_api(cw, "ru", f"?crisis={cw.crisis.public_id}")) == {str(alert.public_id)}
    assert ids(_api(cw, "ru", "?party=nato")) == {str(other.public_id)}
    assert ids(_api(cw, "ru", "?acknowledged=true")) == {str(alert.public_id)}
    assert ids(_api(cw, "ru", "?acknowledged=false")) == {str(other.public_id)}
    detail_url = reverse("alert-detail", kwargs={"id": alert.public_id})
    detail = _client(cw, "ru").get(detail_url)
    assert detail.json()["acknowledged"] == 2  # Russia, and the raiser as it raised it
    assert detail.json()["addressed_to_me"] is True
    assert _client(cw, "de").get(detail_url).status_code == 404


def test_the_api_answers_in_a_constant_number_of_queries(cw: CrisisWorld) -> None:
    _raise(cw)
    client = _client(cw, "sec")
    client.get("/api/v1/alerts/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/alerts/")
    for _ in range(3):
        _raise(cw, "ru")
    with CaptureQueriesContext(connection) as four:
        assert len(client.get("/api/v1/alerts/").json()["results"]) == 4
    assert len(four) == len(one)


def test_an_alert_names_its_crisis_only_to_readers_of_the_dossier(cw: CrisisWorld) -> None:
    """Every head receives the alert; a dossier kept to the secretariat stays unnamed to them."""
    cw.crisis.distribution = "secretariat"
    cw.crisis.save(update_fields=["distribution"])
    alert = _raise(cw)
    title = cw.crisis.title
    detail = reverse("crises:alert_detail", kwargs={"public_id": alert.public_id})
    for name, named in (("ru", False), ("us", False), ("sec", True)):
        client = _client(cw, name)
        banner = client.get(reverse("agenda:session_list")).content.decode()
        page = client.get(detail).content.decode()
        listed = _api(cw, name).json()["results"][0]
        assert (title in banner) is named, name
        assert (title in page) is named, name
        assert (listed["crisis"] is not None) is named, name

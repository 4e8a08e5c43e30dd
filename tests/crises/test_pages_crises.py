"""The dossier pages: the list and its filters, the dossier with its status history and
its timeline across the record (Chatham House kept), the secretariat's opening,
editing, status changes and links; the threat list; the session page's crises; and
queries that do not grow with rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crises.models import Crisis, CrisisTransition, Threat
from crises.services import assessments as assessment_services
from crises.services import crises as crisis_services
from crises.services import threats as threat_services
from crises.services.assessments import ScoreInput
from minutes.models import Statement
from minutes.services import record as record_services
from minutes.services import review as review_services
from tests.crises.conftest import CrisisWorld

pytestmark = pytest.mark.django_db


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text(response: Any) -> str:
    return response.content.decode()


def dossier(crisis: Crisis) -> str:
    return reverse("crises:crisis_detail", kwargs={"public_id": crisis.public_id})


def _statements(cw: CrisisWorld) -> tuple[Statement, Statement]:
    """Circulated minutes: the US on item 1, Russia on item 2 (Chatham House)."""
    session = cw.table.session
    sec = cw.sec
    minutes = record_services.minutes_create(session=session, user=sec)
    for code in ("USA", "RUS"):
        record_services.attendance_record(minutes=minutes, party=cw.table.parties[code], user=sec)
    open_one = record_services.statement_record(
        minutes=minutes,
        item=cw.table.items[0],
        party=cw.table.parties["USA"],
        user=sec,
        summary="Intercepts must stay professional.",
    )
    chatham = record_services.statement_record(
        minutes=minutes,
        item=cw.table.chatham,
        party=cw.table.parties["RUS"],
        user=sec,
        summary="Signalling is defensive.",
    )
    review_services.minutes_circulate(minutes=minutes, user=sec)
    return open_one, chatham


def test_the_list_filters_by_status_and_region(cw: CrisisWorld) -> None:
    crisis_services.crisis_create(
        user=cw.sec,
        session=cw.table.session,
        title="Black Sea corridor",
        region="Black Sea",
        on=timezone.localdate(),
        status="active",
    )
    us = client_for(cw.user("us"))
    url = reverse("crises:crisis_list")
    page = text(us.get(url))
    assert "Baltic Sea airspace incidents" in page
    assert "Black Sea corridor" in page
    active = text(us.get(url, {"status": "active"}))
    assert "Black Sea corridor" in active
    assert "Baltic Sea airspace incidents" not in active
    baltic = text(us.get(url, {"region": "baltic"}))
    assert "Baltic Sea airspace incidents" in baltic
    assert "Black Sea corridor" not in baltic
    refused = us.get(url, {"status": "smouldering"})
    assert refused.status_code == 400
    assert "Select a valid choice" in text(refused)
    assert "Black Sea corridor" not in text(refused)
    # Not a reader of the session: no dossier at all; not signed in: the login page.
    assert "Baltic Sea airspace incidents" not in text(client_for(cw.user("outsider")).get(url))
    assert Client().get(url)["Location"].startswith(reverse("login"))


def test_the_dossier_reads_as_a_timeline(cw: CrisisWorld) -> None:
    open_one, chatham = _statements(cw)
    for target in (cw.table.items[0], open_one, chatham):
        crisis_services.crisis_link(crisis=cw.crisis, user=cw.sec, target=target)
    crisis_services.crisis_transition(
        crisis=cw.crisis,
        user=cw.sec,
        to_status="active",
        on=timezone.localdate(),
        reason="Two intercepts in a week.",
    )
    response = client_for(cw.user("nato")).get(dossier(cw.crisis))
    assert response.status_code == 200
    page = text(response)
    assert "<p>Close intercepts over the Baltic.</p>" in page  # the sanitised summary
    assert "Active since" in page
    assert "Watch</strong>. Raised at the session." in page
    assert "Watch → <strong>Active</strong>. Two intercepts in a week." in page
    assert "Baltic airspace" in page
    assert "Intercepts must stay professional." in page
    assert "Signalling is defensive." in page
    # Chatham House: the statement reads as a participant's, never Russia's.
    timeline = page.split('id="timeline"')[1].split('id="threats"')[0]
    assert "<small>a participant</small>" in timeline
    assert "Russian Federation" not in timeline
    assert "United States of America" in timeline
    assert f'href="{cw.table.session.get_absolute_url()}#item-1"' in timeline
    # Entries link to their records; no unlinking outside the secretariat.
    assert "Unlink" not in page
    assert "Change the status" not in page
    # The threats of the crisis are listed with the trend (none released yet).
    assert "Mid-air collision" in page
    assert "No released assessment of these threats yet." in page


def test_the_dossier_is_missing_to_who_may_not_read_it(cw: CrisisWorld) -> None:
    assert client_for(cw.user("outsider")).get(dossier(cw.crisis)).status_code == 404
    assert Client().get(dossier(cw.crisis))["Location"].startswith(reverse("login"))
    secret = crisis_services.crisis_create(
        user=cw.sec,
        session=cw.table.session,
        title="Secretariat watch",
        region="Arctic",
        on=timezone.localdate(),
        distribution="secretariat",
    )
    assert client_for(cw.user("us")).get(dossier(secret)).status_code == 404
    assert client_for(cw.sec).get(dossier(secret)).status_code == 200
    assert "Secretariat watch" not in text(
        client_for(cw.user("us")).get(reverse("crises:crisis_list"))
    )


def test_the_secretariat_opens_and_edits_a_dossier(cw: CrisisWorld) -> None:
    url = reverse("crises:crisis_create")
    data = {
        "session": str(cw.table.session.public_id),
        "title": "Black Sea corridor",
        "region": "Black Sea",
        "status": "active",
        "on": timezone.localdate().isoformat(),
        "summary": "<p>Grain ships <script>alert(1)</script>at risk.</p>",
        "distribution": "participants",
    }
    for name in ("us", "de", "outsider"):
        assert client_for(cw.user(name)).post(url, data).status_code == 404, name
    assert Client().post(url, data).status_code == 302
    assert not Crisis.objects.filter(title="Black Sea corridor").exists()
    blank = client_for(cw.sec).post(url, data | {"title": "   "})
    assert blank.status_code == 400
    assert "This field is required." in text(blank)
    not_delegation = client_for(cw.sec).post(url, data | {"distribution": "delegation"})
    assert not_delegation.status_code == 400
    assert not Crisis.objects.filter(title="Black Sea corridor").exists()

    assert client_for(cw.sec).get(url).status_code == 200
    response = client_for(cw.sec).post(url, data)
    assert response.status_code == 302
    crisis = Crisis.objects.get(title="Black Sea corridor")
    assert response["Location"] == dossier(crisis)
    assert crisis.status == "active"
    assert "<script>" not in crisis.summary
    assert CrisisTransition.objects.filter(crisis=crisis, to_status="active").count() == 1

    edit = reverse("crises:crisis_edit", kwargs={"public_id": crisis.public_id})
    assert client_for(cw.user("us")).get(edit).status_code == 404
    assert "Black Sea corridor" in text(client_for(cw.sec).get(edit))
    changes = {"title": "Black Sea grain corridor", "region": "Black Sea", "summary": "<p>x</p>"}
    refused = client_for(cw.user("us")).post(edit, changes | {"distribution": "public"})
    assert refused.status_code == 404
    saved = client_for(cw.sec).post(edit, changes | {"distribution": "public"})
    assert saved.status_code == 302
    crisis.refresh_from_db()
    assert (crisis.title, crisis.distribution) == ("Black Sea grain corridor", "public")


def test_only_the_next_statuses_are_offered(cw: CrisisWorld) -> None:
    page = text(client_for(cw.sec).get(dossier(cw.crisis)))
    form = page.split("Change the status</summary>")[1].split("</form>")[0]
    assert '<option value="active">Active</option>' in form
    assert '<option value="closed">Closed</option>' in form
    assert "de_escalating" not in form
    url = reverse("crises:crisis_transition", kwargs={"public_id": cw.crisis.public_id})
    today = timezone.localdate().isoformat()
    # Not a next status: refused with the reason, nothing changes.
    client = client_for(cw.sec)
    response = client.post(url, {"to_status": "de_escalating", "on": today, "reason": "Calmer."})
    assert response.status_code == 302
    shown = text(client.get(dossier(cw.crisis)))
    assert "The status was not changed." in shown
    cw.crisis.refresh_from_db()
    assert cw.crisis.status == "watch"
    early = (timezone.localdate() - timedelta(days=3)).isoformat()
    client.post(url, {"to_status": "active", "on": early, "reason": "Backdated."})
    assert "cannot take effect before the current status began" in text(
        client.get(dossier(cw.crisis))
    )
    assert (
        client_for(cw.user("us"))
        .post(url, {"to_status": "active", "on": today, "reason": "x"})
        .status_code
        == 404
    )
    cw.crisis.refresh_from_db()
    assert cw.crisis.status == "watch"
    assert (
        client.post(url, {"to_status": "active", "on": today, "reason": "Flare-up."}).status_code
        == 302
    )
    cw.crisis.refresh_from_db()
    assert cw.crisis.status == "active"
    assert "Status changed to Active." in text(client.get(dossier(cw.crisis)))


def test_the_secretariat_links_and_unlinks_records(cw: CrisisWorld) -> None:
    _open_one, chatham = _statements(cw)
    url = reverse("crises:crisis_link", kwargs={"public_id": cw.crisis.public_id})
    assert client_for(cw.user("us")).get(url).status_code == 404
    page = text(client_for(cw.sec).get(url, {"session": str(cw.table.session.public_id)}))
    for label in ("Agenda items", "Statements", "Item 3: Black Sea corridor"):
        assert label in page
    item = cw.table.items[2]
    value = f"items:{item.public_id}"
    assert client_for(cw.user("us")).post(url, {"record": value}).status_code == 404
    assert not cw.crisis.items.exists()
    bad = client_for(cw.sec).post(url, {"record": "items:not-a-record"})
    assert bad.status_code == 400
    assert "Select a valid choice" in text(bad)
    assert client_for(cw.sec).post(url, {"record": value}).status_code == 302
    assert list(cw.crisis.items.all()) == [item]
    assert (
        client_for(cw.sec).post(url, {"record": f"statements:{chatham.public_id}"}).status_code
        == 302
    )
    assert list(cw.crisis.statements.all()) == [chatham]

    dossier_page = text(client_for(cw.sec).get(dossier(cw.crisis)))
    assert dossier_page.count(">Unlink<") == 2
    unlink = reverse("crises:crisis_unlink", kwargs={"public_id": cw.crisis.public_id})
    assert client_for(cw.user("us")).post(unlink, {"record": value}).status_code == 404
    assert cw.crisis.items.exists()
    assert client_for(cw.sec).post(unlink, {"record": value}).status_code == 302
    assert not cw.crisis.items.exists()
    assert cw.crisis.statements.exists()


def test_the_session_page_shows_the_crises_its_items_touch(cw: CrisisWorld) -> None:
    session_url = cw.table.session.get_absolute_url()

    def queries(client: Client) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(session_url)
        assert response.status_code == 200
        return len(captured), text(response)

    us = client_for(cw.user("us"))
    before, page = queries(us)
    assert 'id="crises"' not in page
    crisis_services.crisis_link(crisis=cw.crisis, user=cw.sec, target=cw.table.items[0])
    one, page = queries(us)
    section = page.split('id="crises"')[1].split("</section>")[0]
    assert "Baltic Sea airspace incidents" in section
    item_row = page.split('<li value="1">')[1].split("</li>")[0]
    assert f'href="{dossier(cw.crisis)}"' in item_row
    for n in range(4):
        other = crisis_services.crisis_create(
            user=cw.sec, session=cw.table.session, title=f"Crisis {n}", region="Baltic",
            on=timezone.localdate(),
        )  # fmt: skip
        for item in cw.table.items:
            crisis_services.crisis_link(crisis=other, user=cw.sec, target=item)
    many, page = queries(us)
    assert before == one == many
    assert page.count("Crisis 3") == 4  # the session's list and each of the three items
    # Ukraine reads item 3 only: it sees the crises of item 3, never that item 1 has one.
    ua_page = text(client_for(cw.user("ua")).get(session_url))
    assert "Baltic Sea airspace incidents" not in ua_page


def test_the_threat_list_is_kept_by_the_secretariat(cw: CrisisWorld) -> None:
    url = reverse("crises:threat_list")
    us_page = text(client_for(cw.user("us")).get(url))
    assert "Mid-air collision" in us_page
    assert "Retire" not in us_page
    assert "Mid-air collision" not in text(client_for(cw.user("outsider")).get(url))
    create = reverse("crises:threat_create")
    data = {"title": "Grain ship mines", "region": "Black Sea", "crisis": "", "description": ""}
    assert client_for(cw.user("us")).post(create, data).status_code == 404
    blank = client_for(cw.sec).post(create, data | {"title": ""})
    assert blank.status_code == 400
    assert not Threat.objects.filter(region="Black Sea").exists()
    assert client_for(cw.sec).post(create, data).status_code == 302
    threat = Threat.objects.get(title="Grain ship mines")
    edit = reverse("crises:threat_edit", kwargs={"public_id": threat.public_id})
    changes = data | {"title": "Sea mines", "crisis": str(cw.crisis.public_id)}
    assert client_for(cw.user("us")).post(edit, changes).status_code == 404
    assert client_for(cw.sec).post(edit, changes).status_code == 302
    threat.refresh_from_db()
    assert (threat.title, threat.crisis) == ("Sea mines", cw.crisis)
    retire = reverse("crises:threat_retire", kwargs={"public_id": threat.public_id})
    assert client_for(cw.user("us")).post(retire).status_code == 404
    assert client_for(cw.user("us")).get(retire).status_code == 405
    threat.refresh_from_db()
    assert threat.retired_at is None
    assert client_for(cw.sec).post(retire).status_code == 302
    threat.refresh_from_db()
    assert threat.retired_at is not None
    sec_page = text(client_for(cw.sec).get(url))
    assert sec_page.count(">Retire<") == 3  # the three live threats of the world


def _release(cw: CrisisWorld, names: tuple[str, ...]) -> None:
    for name in names:
        assessment_services.scores_submit(
            user=cw.user(name),
            assessment=cw.assessment,
            answers=[
                ScoreInput(threat=t, likelihood=3, impact=2, trend="rising", confidence="low")
                for t in cw.threats
            ],
        )
    assessment_services.round_release(user=cw.sec, assessment=cw.assessment)


def test_the_threat_picture_over_quarters(cw: CrisisWorld) -> None:
    url = reverse("crises:threat_trend")
    assert "No released assessment you may read yet." in text(client_for(cw.user("us")).get(url))
    _release(cw, ("us", "ru"))
    page = text(client_for(cw.user("ru")).get(url))
    assert page.count('src="data:image/svg+xml;base64,') == 1
    # Each threat named in its language (the authoritative English here, none translated).
    assert '<th scope="row"><span lang="en">Cable sabotage</span></th>' in page
    assert f"<td>{cw.table.session.quarter}</td><td>{cw.table.session.number}</td>" in page
    assert "<td>3 (0)</td>" in page
    narrowed = text(client_for(cw.user("ru")).get(url, {"crisis": str(cw.crisis.public_id)}))
    assert "Baltic Sea airspace incidents" in narrowed
    assert (
        client_for(cw.user("outsider")).get(url, {"crisis": str(cw.crisis.public_id)}).status_code
        == 404
    )
    dossier_page = text(client_for(cw.user("ru")).get(dossier(cw.crisis)))
    assert dossier_page.count('src="data:image/svg+xml;base64,') == 1


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_rows(cw: CrisisWorld) -> None:
    open_one, chatham = _statements(cw)
    pages = [
        reverse("crises:crisis_list"),
        dossier(cw.crisis),
        reverse("crises:threat_list"),
        reverse("crises:assessment_list"),
        reverse("crises:threat_trend"),
    ]
    _release(cw, ("us",))
    # One record of each kind linked already: a kind's related rows are fetched in one query.
    for target in (cw.table.items[0], open_one):
        crisis_services.crisis_link(crisis=cw.crisis, user=cw.sec, target=target)
    clients = {name: client_for(cw.user(name)) for name in ("us", "sec")}
    small = {(n, url): _count(c, url) for n, c in clients.items() for url in pages}
    for n in range(5):
        crisis_services.crisis_create(
            user=cw.sec, session=cw.table.session, title=f"Crisis {n}", region="Baltic",
            on=timezone.localdate(),
        )  # fmt: skip
        threat_services.threat_create(user=cw.sec, title=f"Threat {n}", crisis=cw.crisis)
    for more in (*cw.table.items[1:], chatham):
        crisis_services.crisis_link(crisis=cw.crisis, user=cw.sec, target=more)
    large = {(n, url): _count(c, url) for n, c in clients.items() for url in pages}
    assert large == small


def test_the_threat_list_names_a_crisis_only_to_readers_of_its_dossier(cw: CrisisWorld) -> None:
    """The US reads the threats of the assessment it scores; their dossier, kept to the
    secretariat, stays unnamed on the list."""
    cw.crisis.distribution = "secretariat"
    cw.crisis.save(update_fields=["distribution"])
    url = reverse("crises:threat_list")
    us_page = client_for(cw.user("us")).get(url).content.decode()
    sec_page = client_for(cw.sec).get(url).content.decode()
    assert cw.threats[0].title in us_page
    assert cw.crisis.title not in us_page
    assert cw.crisis.title in sec_page

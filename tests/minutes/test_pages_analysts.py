"""Analysts read, read-only, what their affiliation reads: the secretariat or one delegation.

Checked through the API and the pages for the same users: a secretariat
analyst, an analyst of the US delegation and an analyst of no one.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from consult.errors import ApplicationError
from members.models import AnalystAffiliation
from members.services.users import analyst_affiliation_set
from minutes.services import review as review_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysts(world):
    Group.objects.get_or_create(name="analysts")
    made = {
        name: UserFactory(username=f"analyst-{name}", groups=["analysts"])
        for name in ("sec", "usa", "none")
    }
    analyst_affiliation_set(user=made["sec"], delegation=None)
    analyst_affiliation_set(user=made["usa"], delegation=world.parties["USA"].delegation)
    return made


@pytest.fixture
def record(world, say, minutes):
    """Circulated minutes: the US on item 1, Ukraine on item 3 (ad hoc)."""
    us = say("USA", 1, "The United States proposed a hotline.")
    ua = say("UKR", 3, "Ukraine described the situation.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    return {"minutes": minutes, "us": us, "ua": ua}


def statement_ids(api, session):
    response = api.get("/api/v1/statements/", {"session": str(session.public_id)})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_each_analyst_reads_what_its_affiliation_reads(world, analysts, record, api_for):
    """Sessions and statements: the secretariat's, the US delegation's, or public only."""
    session = world.session
    expected = {
        "sec": statement_ids(api_for(world.user("sec")), session),
        "usa": statement_ids(api_for(world.user("us")), session),
        "none": set(),
    }
    assert expected["sec"] == {str(record["us"].public_id), str(record["ua"].public_id)}
    for name, user in analysts.items():
        api = api_for(user)
        assert statement_ids(api, session) == expected[name], name
        found = api.get(f"/api/v1/sessions/{session.public_id}/").status_code
        assert found == (404 if name == "none" else 200), name


def test_pages_agree_with_the_api_for_analysts(world, analysts, record, client_for):
    """The minutes page opens for affiliated analysts and offers them no form."""
    url = reverse("minutes:minutes_detail", kwargs={"public_id": record["minutes"].public_id})
    for name, user in analysts.items():
        page = client_for(user).get(url)
        assert page.status_code == (404 if name == "none" else 200), name
        if name != "none":
            text = page.content.decode()
            assert record["us"].summary in text
            assert (
                reverse(
                    "minutes:amendment_propose", kwargs={"public_id": record["minutes"].public_id}
                )
                not in text
            )


def test_analysts_never_write(world, analysts, record, api_for, client_for):
    """Through the API (even a token's session) and the pages, every write is refused."""
    for name, user in analysts.items():
        api = api_for(user)
        response = api.post(
            "/api/v1/documents/",
            {"session": str(world.session.public_id), "title": "Mine", "body_html": "<p>x</p>"},
            format="json",
        )
        assert response.status_code == 403, name
        page = client_for(user).post(
            reverse("minutes:amendment_propose", kwargs={"public_id": record["minutes"].public_id}),
            {"party": "USA", "text": "Changed."},
        )
        assert page.status_code in (400, 403, 404), name
    assert not record["minutes"].amendments.exists()


def test_the_analyst_of_a_delegation_reads_its_notes_only(world, analysts, api_for):
    """A US note is read by the US analyst, never by the secretariat's; Russia's by neither."""
    from agenda.services.documents import document_create

    us_note = document_create(
        user=world.user("us"), session=world.session, title="Our line",
        distribution="delegation", owner=world.parties["USA"], category="note",
        body_html="<p>US private line</p>",
    )  # fmt: skip
    ru_note = document_create(
        user=world.user("ru"), session=world.session, title="Notes",
        distribution="delegation", owner=world.parties["RUS"], category="note",
        body_html="<p>Russian private line</p>",
    )  # fmt: skip
    for name, readable in (("usa", {us_note}), ("sec", set()), ("none", set())):
        response = api_for(analysts[name]).get("/api/v1/documents/", {"distribution": "delegation"})
        assert response.status_code == 200
        found = {row["id"] for row in response.json()["results"]}
        assert found == {str(note.public_id) for note in readable}, name
    assert str(ru_note.public_id) not in found


def test_only_an_analyst_gets_an_affiliation(world):
    """A delegate or a stranger is not made an analyst by an affiliation."""
    with pytest.raises(ApplicationError, match="is not an analyst"):
        analyst_affiliation_set(user=world.user("outsider"), delegation=None)
    assert not AnalystAffiliation.objects.exists()


def invitation_rows(api):
    response = api.get("/api/v1/invitations/", {"page_size": 100})
    assert response.status_code == 200
    return {(row["party"], row["status"]) for row in response.json()["results"]}


def test_invitations_are_read_as_the_affiliation_reads_them(world, analysts, api_for, client_for):
    """The US delegation's analyst reads the US invitations (and no other party's), in the
    API and on the page, with only the US offered as a party filter; the secretariat's
    analyst reads every invitation; an analyst of no one reads none."""
    every = invitation_rows(api_for(world.user("sec")))
    us_own = invitation_rows(api_for(world.user("us")))
    assert us_own
    assert us_own < every
    assert invitation_rows(api_for(analysts["usa"])) == us_own
    assert invitation_rows(api_for(analysts["sec"])) == every
    assert invitation_rows(api_for(analysts["none"])) == set()

    page = client_for(analysts["usa"]).get(reverse("agenda:invitation_list"))
    assert page.status_code == 200
    text = page.content.decode()
    party_filter = page.context["listing"].form.fields["party"].widget.choices
    assert [code for code, _label in party_filter if code] == ["USA"]
    assert text.count('<tr id="invitation-') == len(us_own)
    assert "/accept/" not in text
    assert world.parties["UKR"].name_en not in text

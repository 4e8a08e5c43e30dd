"""An attending ad hoc party reads the minutes of the item it spoke on, and amends its statement.

Ukraine is invited to item 3 only. Pages and the API show it the same
minutes and the same statements: its item's, never the others'.
"""

import pytest
from django.urls import reverse

from minutes.models import Amendment, Minutes
from minutes.services import review as review_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def spoken(world, say, minutes):
    """Ukraine spoke on item 3, the United States on item 1; the minutes are circulated."""
    ours = say("UKR", 3, "Ukraine described the situation on the ground.")
    theirs = say("USA", 1, "The United States proposed a hotline.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    return {"minutes": minutes, "ours": ours, "theirs": theirs}


def page_url(minutes):
    return reverse("minutes:minutes_detail", kwargs={"public_id": minutes.public_id})


@pytest.mark.parametrize("username", ["ua", "us"])
def test_pages_and_api_show_the_same_minutes_and_statements(
    world, spoken, client_for, api_for, username
):
    """Each reader gets the minutes in both, and exactly the statements the rule opens to it."""
    user = world.user(username)
    minutes = spoken["minutes"]
    page = client_for(user).get(page_url(minutes))
    assert page.status_code == 200
    api = api_for(user)
    assert api.get(f"/api/v1/minutes/{minutes.public_id}/").status_code == 200
    listed = api.get("/api/v1/statements/", {"session": str(minutes.session.public_id)}).json()
    api_ids = {row["id"] for row in listed["results"]}
    text = page.content.decode()
    shown = {
        str(statement.public_id)
        for statement in (spoken["ours"], spoken["theirs"])
        if statement.summary in text
    }
    assert shown == api_ids
    expected = {str(spoken["ours"].public_id)}
    if username == "us":
        expected.add(str(spoken["theirs"].public_id))
    assert api_ids == expected


def test_the_ad_hoc_party_proposes_an_amendment_to_its_statement(world, spoken, client_for):
    minutes = spoken["minutes"]
    client = client_for(world.user("ua"))
    page = client.get(page_url(minutes)).content.decode()
    assert reverse("minutes:amendment_propose", kwargs={"public_id": minutes.public_id}) in page
    response = client.post(
        reverse("minutes:amendment_propose", kwargs={"public_id": minutes.public_id}),
        {
            "party": "UKR",
            "statement": str(spoken["ours"].public_id),
            "text": "Ukraine described the situation on the ground and asked for monitors.",
            "rationale": "Omitted request.",
        },
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.party, amendment.statement) == (world.parties["UKR"], spoken["ours"])


def test_the_ad_hoc_party_cannot_amend_a_statement_on_another_item(world, spoken, client_for):
    """The statement on item 1 is not offered, and posting it is refused; nothing is saved."""
    minutes = spoken["minutes"]
    client = client_for(world.user("ua"))
    response = client.post(
        reverse("minutes:amendment_propose", kwargs={"public_id": minutes.public_id}),
        {"party": "UKR", "statement": str(spoken["theirs"].public_id), "text": "Changed."},
    )
    assert response.status_code == 400
    assert not Amendment.objects.exists()


def test_a_reader_invited_to_nothing_reads_no_minutes(world, spoken, client_for, api_for):
    """Someone invited to nothing gets the answer of a missing object, in both."""
    minutes = spoken["minutes"]
    outsider = world.user("outsider")
    assert client_for(outsider).get(page_url(minutes)).status_code == 404
    assert api_for(outsider).get(f"/api/v1/minutes/{minutes.public_id}/").status_code == 404


def test_draft_minutes_stay_hidden_from_the_ad_hoc_party(world, say, minutes, client_for):
    say("UKR", 3, "Draft statement.")
    assert minutes.status == Minutes.Status.DRAFT
    assert client_for(world.user("ua")).get(page_url(minutes)).status_code == 404

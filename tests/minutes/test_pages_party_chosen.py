"""The party is chosen for a delegate who belongs to one delegation; never for anyone else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import DelegationMembership
from minutes.models import Position

pytestmark = pytest.mark.django_db


def party_select(html: str, form_action: str) -> str:
    form = html[html.index(f'action="{form_action}"') :]
    return form[form.index('<select name="party"') : form.index("</select>")]


def test_a_delegate_of_one_delegation_finds_their_party_chosen(
    world, circulated_communique, client_for
):
    """The position form offers the USA alone, already chosen, without an empty option;
    the stated position is the USA's."""
    communique = circulated_communique()
    client = client_for(world.user("us"))
    html = client.get(communique.get_absolute_url()).content.decode()
    select = party_select(html, f"/communiques/{communique.public_id}/position/")
    assert re.findall(r'<option value="([^"]*)"', select) == ["USA"]
    assert re.search(r'<option value="USA" selected>', select)

    client.post(
        f"/communiques/{communique.public_id}/position/",
        {"party": "USA", "stance": Position.Stance.ASSOCIATES},
    )
    assert Position.objects.get(version=communique.circulated_version).party.code == "USA"


def test_a_delegate_of_two_delegations_chooses(world, circulated_communique, client_for):
    """Belonging to two delegations, the delegate is asked which one speaks."""
    communique = circulated_communique()
    us = world.user("us")
    DelegationMembership.objects.create(
        delegation=world.parties["FRA"].delegation,
        user=us,
        role="adviser",
        valid_from=timezone.now() - timedelta(days=1),
    )
    html = client_for(us).get(communique.get_absolute_url()).content.decode()
    select = party_select(html, f"/communiques/{communique.public_id}/position/")
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "FRA", "USA"]
    assert "selected" not in select.replace('value="" selected', "")


def test_choosing_for_the_delegate_opens_no_other_party(world, circulated_communique, client_for):
    """A posted party the delegate does not belong to is still refused."""
    communique = circulated_communique()
    client_for(world.user("us")).post(
        f"/communiques/{communique.public_id}/position/",
        {"party": "RUS", "stance": Position.Stance.DISSOCIATES},
    )
    assert not Position.objects.filter(version=communique.circulated_version).exists()

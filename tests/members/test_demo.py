"""The demo data: what seed_demo creates, and that running it again changes nothing."""

import io
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection

from consult.access import current_memberships, is_analyst, is_secretariat
from consult.quarters import Quarter
from members import demo
from members.models import (
    ChairTerm,
    Delegation,
    Party,
    PartyMembership,
    RotationTerm,
    Seat,
    SeatArrangement,
)
from members.selectors.rotation import chair_troika
from members.selectors.seats import seat_holder_parties

pytestmark = pytest.mark.django_db


def seed() -> str:
    """The whole command, every app's demo module included."""
    out = io.StringIO()
    call_command("seed_demo", "--demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, so any insert, delete or update shows."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
    }


def test_seeding_twice_changes_nothing():
    """A second run neither adds, removes nor updates any row (timestamps included)."""
    assert "Demo data ready." in seed()
    before = snapshot()
    seed()
    after = snapshot()
    assert {label: len(rows) for label, rows in after.items()} == {
        label: len(rows) for label, rows in before.items()
    }
    assert after == before


def test_real_member_lists_are_seeded():
    """NATO has 32 members, the EU 27 and the CSTO 6, with names in three languages."""
    demo.seed()
    counts = {
        code: PartyMembership.objects.filter(organisation__code=code).count()
        for code in ["NATO", "EU", "CSTO"]
    }
    assert counts == {"NATO": 32, "EU": 27, "CSTO": 6}
    usa = Party.objects.get(code="USA")
    assert (usa.name_fr, usa.name_ru) == ("États-Unis", "Соединённые Штаты")
    assert Party.objects.filter(code__in=["UKR", "CSTO"]).count() == 2


def test_seats_and_the_next_eight_quarters_are_planned():
    """Four seats and a CSTO observer seat; NATO and EU rotate, the chair rotates."""
    demo.seed()
    quarters = Quarter.current().following(8)
    modes = {
        a.seat.code: (a.mode, a.holders_per_term)
        for a in SeatArrangement.objects.select_related("seat")
    }
    assert modes == {
        "USA": ("own", 1),
        "RUS": ("own", 1),
        "NATO": ("rotating", 1),
        "EU": ("rotating", 2),
        "CSTO": ("institution", 1),
    }
    assert Seat.objects.get(code="CSTO").is_observer
    for quarter in quarters:
        terms = RotationTerm.objects.filter(quarter=str(quarter))
        assert terms.filter(seat__code="NATO").count() == 1
        assert terms.filter(seat__code="EU").count() == 2
        assert ChairTerm.objects.filter(quarter=str(quarter)).exists()
    holders = set(seat_holder_parties(quarter=quarters[0]).values_list("code", flat=True))
    assert {"USA", "RUS", "NATO", "EU"} <= holders
    assert "CSTO" not in holders
    assert len(holders) == 4 + 1 + 2
    assert chair_troika(quarter=quarters[1])[0] is not None


def test_demo_accounts_log_in_with_their_roles(rf):
    """Each demo account signs in with DEMO_PASSWORD and holds its role."""
    demo.seed()
    accounts: dict[str, Any] = {
        name: authenticate(
            rf.post("/accounts/login/"), username=name, password=settings.DEMO_PASSWORD
        )
        for name in [
            "secretariat",
            "delegate-usa",
            "delegate-rus",
            "delegate-nato",
            "delegate-eu",
            "delegate-ukr",
            "analyst",
        ]
    }
    assert all(accounts.values())
    assert is_secretariat(accounts["secretariat"])
    assert accounts["secretariat"].is_staff
    assert is_analyst(accounts["analyst"])
    for name, code in [
        ("delegate-usa", "USA"),
        ("delegate-rus", "RUS"),
        ("delegate-nato", "NATO"),
        ("delegate-eu", "EU"),
        ("delegate-ukr", "UKR"),
    ]:
        memberships = current_memberships(accounts[name])
        assert [m.delegation.party.code for m in memberships] == [code]
    assert all(user.get_full_name() for user in accounts.values())


def test_ukraine_and_csto_delegations_are_not_standing():
    """Ukraine's and the CSTO's delegates read only while accredited."""
    demo.seed()
    standing = dict(Delegation.objects.values_list("party__code", "is_standing"))
    assert standing["UKR"] is False
    assert standing["CSTO"] is False
    assert standing["USA"] is True
    assert len(standing) == Party.objects.count()


def test_seeding_is_refused_with_debug_off_unless_asked_for_a_demo(settings):
    """With DEBUG off the demo accounts and their shared password are not created by accident."""
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--demo"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()

"""The pack's off-ramps and norms, read back from the PDFs and the reader: the off-ramps of
each crisis on the agenda with every party's current stance (a stance kept to a party and
the secretariat only in that party's copy and the secretariat's), and the norms on the
agenda with their adherence table and the incidents since the last session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from briefings.selectors.audiences import pack_audience
from briefings.selectors.content import pack_content
from briefings.selectors.versions import pack_content_version
from crises.models import Crisis, Norm, OffRamp
from crises.selectors.registers import off_ramp_list
from crises.services import crises as crisis_services
from crises.services import registers as register_services
from tests.briefings.packs import Table, build_packs, copy_of, pages_text, read

CORRIDOR = "Joint monitoring of the grain corridor"
HOTLINE = "A naval hotline between the fleets"
PRECONDITION = "A ceasefire at sea holds for a week"
SAFE_DISTANCE = "Safe distances between aircraft"
RECENT_PLACE = "Over the Baltic near Kaliningrad"
OLD_PLACE = "Off Sevastopol in the old days"
RESPONSE = "The intercept was conducted safely."


def _crisis(table: Table) -> Crisis:
    sec = table.secretary
    crisis = crisis_services.crisis_create(
        user=sec, session=table.session, title="Black Sea corridor", region="Black Sea",
        on=timezone.localdate(),
    )  # fmt: skip
    crisis_services.crisis_link(crisis=crisis, user=sec, target=table.ukraine_item)
    return crisis


def _off_ramps(table: Table, crisis: Crisis, extra: int = 0) -> list[OffRamp]:
    """Two off-ramps: the corridor (US supports in public then is open in private, Russia
    opposes) and the hotline (Russia supports in private); ``extra`` more with stances."""
    sec, usa, rus = table.secretary, table.user("USA"), table.user("RUS")
    corridor = register_services.off_ramp_create(
        user=sec, crisis=crisis, title=CORRIDOR, proposer=table.parties["USA"],
        preconditions=PRECONDITION,
    )  # fmt: skip
    hotline = register_services.off_ramp_create(user=sec, crisis=crisis, title=HOTLINE)
    register_services.stance_state(user=usa, off_ramp=corridor, position="supports")
    register_services.stance_state(user=rus, off_ramp=corridor, position="opposes")
    register_services.stance_state(user=usa, off_ramp=corridor, position="open", private=True)
    register_services.stance_state(user=rus, off_ramp=hotline, position="supports", private=True)
    more = []
    for number in range(extra):
        off_ramp = register_services.off_ramp_create(
            user=sec, crisis=crisis, title=f"Extra option {number}"
        )
        register_services.stance_state(user=usa, off_ramp=off_ramp, position="open", private=True)
        register_services.stance_state(user=rus, off_ramp=off_ramp, position="opposes")
        more.append(off_ramp)
    return [corridor, hotline, *more]


def _norm(table: Table, incidents: int = 1) -> Norm:
    """A norm with adherence stated by the US and Russia, ``incidents`` reported since the
    previous session (with a response) and one reported before it."""
    sec, usa, rus = table.secretary, table.user("USA"), table.user("RUS")
    norm = register_services.norm_create(
        user=sec, session=table.session, title=SAFE_DISTANCE,
        text="<p>Keep at least five nautical miles.</p>", source="CUES",
    )  # fmt: skip
    register_services.adherence_state(user=usa, norm=norm, level="adheres")
    register_services.adherence_state(user=rus, norm=norm, level="with_reservations")
    today = timezone.localdate()
    register_services.incident_report(
        user=usa, norm=norm, occurred_on=today - timedelta(days=90), place=OLD_PLACE,
        parties_involved=[table.parties["USA"], table.parties["RUS"]],
        description="An intercept long ago.",
    )  # fmt: skip
    for number in range(incidents):
        incident = register_services.incident_report(
            user=usa, norm=norm, occurred_on=today - timedelta(days=10 + number),
            place=RECENT_PLACE if number == 0 else f"Elsewhere {number}",
            parties_involved=[table.parties["USA"], table.parties["RUS"]],
            description="A fighter passed within fifty metres.",
        )  # fmt: skip
        register_services.incident_respond(user=rus, incident=incident, text=RESPONSE)
    return norm


def _text(table: Table, user: Any) -> str:
    return " ".join(pages_text(read(copy_of(user, table.session).file)))


@pytest.mark.django_db
def test_each_copy_shows_the_off_ramps_with_only_the_stances_its_reader_may_read(
    table: Table,
) -> None:
    _off_ramps(table, _crisis(table))
    build_packs(table.session, only=[table.user("USA"), table.user("RUS"), table.user("NATO")])
    usa, rus, nato = (_text(table, table.user(code)) for code in ("USA", "RUS", "NATO"))
    for text in (usa, rus, nato):
        assert "Off-ramps" in text
        assert "Black Sea corridor" in text
        assert CORRIDOR in text
        assert HOTLINE in text
        assert PRECONDITION in text
        assert "Proposed" in text
        assert "RUS: Opposes" in text
    # The US's private "open" replaces its public "supports" in its own copy only.
    assert "USA: Open (kept to the party)" in usa
    assert "USA: Supports" not in usa
    assert "USA: Supports" in rus
    assert "USA: Supports" in nato
    assert "USA: Open" not in rus
    assert "USA: Open" not in nato
    # Russia's private stance on the hotline: in the Russian copy only.
    assert "RUS: Supports (kept to the party)" in rus
    assert "RUS: Supports" not in usa
    assert "RUS: Supports" not in nato
    assert "1 supports, 0 open, 1 opposes" in nato  # the corridor at a glance
    assert "0 supports, 1 open, 1 opposes" in usa
    renders = {copy_of(table.user(code), table.session).render_id for code in ("USA", "RUS")}
    assert len(renders) == 2
    # The secretariat reads every stance, kept or not.
    secretariat = pack_content(
        session=table.session,
        audience=pack_audience(user=table.secretary, session=table.session),
        viewer=table.secretary,
    )
    cells = {
        (off_ramp.title, cell.party): cell.label
        for crisis in secretariat.off_ramps
        for off_ramp in crisis.off_ramps
        for cell in off_ramp.stances
    }
    assert cells == {
        (CORRIDOR, "USA"): "Open",
        (CORRIDOR, "RUS"): "Opposes",
        (HOTLINE, "RUS"): "Supports",
    }


@pytest.mark.django_db
def test_a_crisis_not_on_the_agenda_or_not_read_brings_no_off_ramps(table: Table) -> None:
    crisis = _crisis(table)
    _off_ramps(table, crisis)
    # Ukraine reads the item it is invited to ad hoc, not the crisis linked to it.
    ukraine = pack_audience(user=table.user("UKR"), session=table.session)
    assert table.ukraine_item.pk in ukraine.items
    assert not off_ramp_list(user=table.user("UKR")).exists()
    assert (ukraine.off_ramps, ukraine.private_stances) == ((), ())
    nato = pack_audience(user=table.user("NATO"), session=table.session)
    assert (len(nato.off_ramps), nato.private_stances) == (2, ())
    # Kept to the secretariat: no delegation's copy shows its off-ramps.
    Crisis.objects.filter(pk=crisis.pk).update(distribution="secretariat")
    assert pack_audience(user=table.user("USA"), session=table.session).off_ramps == ()
    # Unlinked from the agenda: not in anyone's pack.
    Crisis.objects.filter(pk=crisis.pk).update(distribution="participants")
    crisis_services.crisis_link(
        crisis=crisis, user=table.secretary, target=table.ukraine_item, linked=False
    )
    assert pack_audience(user=table.secretary, session=table.session).off_ramps == ()


@pytest.mark.django_db
def test_the_norms_on_the_agenda_with_adherence_and_incidents_since_the_last_session(
    table: Table,
) -> None:
    _norm(table)
    build_packs(table.session, only=[table.user("RUS"), table.user("UKR")])
    rus = _text(table, table.user("RUS"))
    assert "Norms of behaviour" in rus
    assert SAFE_DISTANCE in rus
    assert "Source: CUES" in rus
    assert "USA Adheres" in rus
    assert "RUS With reservations" in rus
    assert "Incidents since the last session" in rus
    assert RECENT_PLACE in rus
    assert f"RUS: {RESPONSE}" in rus
    assert OLD_PLACE not in rus  # reported before the previous session began
    # Ukraine does not read the seat-holders' norms item: no norms in its copy.
    ukraine = _text(table, table.user("UKR"))
    assert SAFE_DISTANCE not in ukraine


@pytest.mark.django_db
def test_the_reader_shows_the_same_sections(client: Any, table: Table) -> None:
    _off_ramps(table, _crisis(table))
    _norm(table)
    build_packs(table.session, only=[table.user("RUS")])
    client.force_login(table.user("RUS"))
    page = client.get(
        reverse("briefings:pack_detail", kwargs={"public_id": table.session.public_id})
    ).content.decode()
    assert CORRIDOR in page
    assert "RUS: Supports (kept to the party)" in page
    assert "USA: Supports" in page
    assert "USA: Open" not in page
    assert SAFE_DISTANCE in page
    assert RECENT_PLACE in page
    assert OLD_PLACE not in page


def _queries(table: Table) -> tuple[int, int]:
    user = table.user("USA")
    with CaptureQueriesContext(connection) as audience_queries:
        audience = pack_audience(user=user, session=table.session)
    with CaptureQueriesContext(connection) as content_queries:
        content = pack_content(session=table.session, audience=audience, viewer=user)
    assert content.off_ramps
    assert content.norms
    return len(audience_queries), len(content_queries)


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_off_ramps_stances_and_incidents(table: Table) -> None:
    crisis = _crisis(table)
    _off_ramps(table, crisis)
    _norm(table)
    few = _queries(table)
    _off_ramps(table, crisis, extra=6)
    _norm(table, incidents=6)
    assert _queries(table) == few


@pytest.mark.django_db
def test_a_new_stance_changes_the_content_version(table: Table) -> None:
    off_ramps = _off_ramps(table, _crisis(table))
    norm = _norm(table)
    before = pack_content_version(session=table.session)
    register_services.stance_state(user=table.user("RUS"), off_ramp=off_ramps[0], position="open")
    after_stance = pack_content_version(session=table.session)
    assert after_stance != before
    register_services.adherence_state(user=table.user("USA"), norm=norm, level="does_not")
    assert pack_content_version(session=table.session) != after_stance

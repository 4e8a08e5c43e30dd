"""Off-ramps and the register of norms: the secretariat records options and norms; each
delegation states its own party's stances and adherence, reports incidents and responds;
every refusal leaves nothing behind; private stances are sealed to their party and the
secretariat; the board reads in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consult.access import Distribution
from consult.errors import ApplicationError
from crises.models import Adherence, Incident, IncidentResponse, Norm, OffRamp, Stance
from crises.selectors import registers as selectors
from crises.services import registers as services
from tests.crises.conftest import CrisisWorld

pytestmark = pytest.mark.django_db


def ramp(cw: CrisisWorld, title: str = "Maritime humanitarian corridor") -> OffRamp:
    return services.off_ramp_create(
        user=cw.sec,
        crisis=cw.crisis,
        title=title,
        text="<p>Escorted <b>grain</b> convoys.</p><script>alert(1)</script>",
        proposer=cw.table.parties["USA"],
        preconditions="A 30-day ceasefire at sea.",
    )


def norm(cw: CrisisWorld, **kwargs: object) -> Norm:
    values: dict[str, object] = {
        "user": cw.sec,
        "session": cw.table.session,
        "title": "Safe distances between aircraft",
        "text": "<p>No closer than 500 feet.</p>",
        "source": "1972 US-Soviet Incidents at Sea agreement",
    }
    values.update(kwargs)
    return services.norm_create(**values)  # type: ignore[arg-type]


# --- Off-ramps -------------------------------------------------------------------------


def test_the_secretariat_records_an_option_sanitised_with_its_first_status(
    cw: CrisisWorld,
) -> None:
    off_ramp = ramp(cw)
    assert off_ramp.status == OffRamp.Status.PROPOSED
    assert "<script>" not in off_ramp.text
    assert "<b>grain</b>" in off_ramp.text
    assert [t.to_status for t in selectors.off_ramp_transition_list(off_ramp=off_ramp)] == [
        "proposed"
    ]


@pytest.mark.parametrize("who", ["us", "ru", "outsider"])
def test_only_the_secretariat_records_options(cw: CrisisWorld, who: str) -> None:
    with pytest.raises(PermissionDenied):
        ramp(cw) if who == "sec" else services.off_ramp_create(
            user=cw.user(who), crisis=cw.crisis, title="Mine"
        )
    assert not OffRamp.objects.exists()


def test_an_option_without_a_title_is_refused(cw: CrisisWorld) -> None:
    with pytest.raises(ApplicationError, match="title"):
        services.off_ramp_create(user=cw.sec, crisis=cw.crisis, title="  ")
    assert not OffRamp.objects.exists()


def test_options_move_through_their_statuses_with_dated_transitions(cw: CrisisWorld) -> None:
    off_ramp = ramp(cw)
    today = timezone.localdate()
    services.off_ramp_transition(
        user=cw.sec, off_ramp=off_ramp, to_status="discussed", on=today, reason="Item 3"
    )
    with pytest.raises(ApplicationError, match="can move to Endorsed by some, Dropped"):
        services.off_ramp_transition(user=cw.sec, off_ramp=off_ramp, to_status="taken_up", on=today)
    with pytest.raises(ApplicationError, match="before the current status"):
        services.off_ramp_transition(
            user=cw.sec, off_ramp=off_ramp, to_status="endorsed_by_some", on=today - timedelta(1)
        )
    with pytest.raises(ApplicationError, match="is not one of"):
        services.off_ramp_transition(user=cw.sec, off_ramp=off_ramp, to_status="won", on=today)
    with pytest.raises(PermissionDenied):
        services.off_ramp_transition(
            user=cw.user("us"), off_ramp=off_ramp, to_status="endorsed_by_some", on=today
        )
    services.off_ramp_transition(
        user=cw.sec, off_ramp=off_ramp, to_status="endorsed_by_some", on=today
    )
    services.off_ramp_transition(user=cw.sec, off_ramp=off_ramp, to_status="taken_up", on=today)
    off_ramp.refresh_from_db()
    assert off_ramp.status == "taken_up"
    history = selectors.off_ramp_transition_list(off_ramp=off_ramp)
    assert [t.to_status for t in history] == [
        "proposed",
        "discussed",
        "endorsed_by_some",
        "taken_up",
    ]
    with pytest.raises(ApplicationError, match="can move to nothing"):
        services.off_ramp_transition(user=cw.sec, off_ramp=off_ramp, to_status="dropped", on=today)


def test_a_delegate_at_the_table_states_stances_and_the_history_is_kept(
    cw: CrisisWorld,
) -> None:
    off_ramp = ramp(cw)
    first = services.stance_state(
        user=cw.user("ru"), off_ramp=off_ramp, position="opposes", note="Not without guarantees."
    )
    second = services.stance_state(user=cw.user("ru"), off_ramp=off_ramp, position="open")
    assert first.party == second.party == cw.table.parties["RUS"]
    assert Stance.objects.filter(off_ramp=off_ramp).count() == 2
    (entry,) = selectors.off_ramp_stances(user=cw.user("us"), off_ramp=off_ramp)
    assert entry.current == second
    assert entry.history == [second, first]


def test_a_stance_by_a_party_not_at_the_table_is_refused(cw: CrisisWorld) -> None:
    """Ukraine, invited to one item only, reads a public dossier but is not at its table."""
    cw.crisis.distribution = Distribution.PUBLIC
    cw.crisis.save(update_fields=["distribution"])
    off_ramp = ramp(cw)
    assert selectors.off_ramp_get(user=cw.user("ua"), public_id=off_ramp.public_id) == off_ramp
    with pytest.raises(PermissionDenied, match="not at the table"):
        services.stance_state(user=cw.user("ua"), off_ramp=off_ramp, position="supports")
    for who in ("outsider", "sec"):
        with pytest.raises(PermissionDenied, match="not at the table"):
            services.stance_state(user=cw.user(who), off_ramp=off_ramp, position="supports")
    with pytest.raises(PermissionDenied, match="not at the table"):
        services.stance_state(
            user=cw.user("us"),
            off_ramp=off_ramp,
            position="supports",
            party=cw.table.parties["RUS"],
        )
    assert not Stance.objects.exists()


def test_a_stance_on_an_unreadable_option_or_a_closed_one_or_a_bad_value_is_refused(
    cw: CrisisWorld,
) -> None:
    off_ramp = ramp(cw)
    with pytest.raises(PermissionDenied, match="do not read"):
        services.stance_state(user=cw.user("ua"), off_ramp=off_ramp, position="supports")
    with pytest.raises(ApplicationError, match="is not one of"):
        services.stance_state(user=cw.user("us"), off_ramp=off_ramp, position="maybe")
    services.off_ramp_transition(
        user=cw.sec, off_ramp=off_ramp, to_status="dropped", on=timezone.localdate()
    )
    off_ramp.refresh_from_db()
    with pytest.raises(ApplicationError, match="dropped: stances are closed"):
        services.stance_state(user=cw.user("us"), off_ramp=off_ramp, position="supports")
    assert not Stance.objects.exists()


def test_a_private_stance_is_read_only_by_its_party_and_the_secretariat(
    cw: CrisisWorld,
) -> None:
    off_ramp = ramp(cw)
    public = services.stance_state(user=cw.user("ru"), off_ramp=off_ramp, position="opposes")
    private = services.stance_state(
        user=cw.user("ru"), off_ramp=off_ramp, position="supports", private=True
    )
    for who in ("us", "fr", "de", "nato", "csto"):
        assert list(selectors.stance_list(user=cw.user(who))) == [public]
        (entry,) = selectors.off_ramp_stances(user=cw.user(who), off_ramp=off_ramp)
        assert entry.current == public
        with pytest.raises(Http404):
            selectors.stance_get(user=cw.user(who), public_id=private.public_id)
    for who in ("ru", "sec"):
        assert list(selectors.stance_list(user=cw.user(who))) == [public, private]
        board = selectors.off_ramp_board(user=cw.user(who), crisis=cw.crisis)
        assert board.rows[0].stances == [private]
    assert list(selectors.stance_list(user=cw.user("outsider"))) == []
    assert list(selectors.stance_list(user=cw.user("ua"))) == []


def test_options_are_read_as_their_crisis(cw: CrisisWorld) -> None:
    off_ramp = ramp(cw)
    services.stance_state(user=cw.user("us"), off_ramp=off_ramp, position="supports")
    for who in ("us", "ru", "de", "csto", "sec"):
        assert list(selectors.off_ramp_list(user=cw.user(who))) == [off_ramp]
    for who in ("ua", "outsider"):
        assert list(selectors.off_ramp_list(user=cw.user(who))) == []
        assert list(selectors.stance_list(user=cw.user(who))) == []
        with pytest.raises(Http404):
            selectors.off_ramp_get(user=cw.user(who), public_id=off_ramp.public_id)
    cw.crisis.distribution = Distribution.SECRETARIAT
    cw.crisis.save(update_fields=["distribution"])
    assert list(selectors.off_ramp_list(user=cw.user("us"))) == []
    assert list(selectors.stance_list(user=cw.user("us"))) == []
    assert list(selectors.off_ramp_list(user=cw.sec)) == [off_ramp]


def test_the_board_groups_options_by_status_with_current_stances(cw: CrisisWorld) -> None:
    corridor = ramp(cw)
    hotline = ramp(cw, "Military hotline")
    services.off_ramp_transition(
        user=cw.sec, off_ramp=hotline, to_status="discussed", on=timezone.localdate()
    )
    services.stance_state(user=cw.user("us"), off_ramp=corridor, position="supports")
    services.stance_state(user=cw.user("ru"), off_ramp=corridor, position="opposes")
    services.stance_state(user=cw.user("ru"), off_ramp=corridor, position="open")
    board = selectors.off_ramp_board(user=cw.user("de"), crisis=cw.crisis)
    assert [p.code for p in board.parties] == ["RUS", "USA"]
    columns = {column.status: column for column in board.columns}
    assert [row.off_ramp for row in columns["proposed"].rows] == [corridor]
    assert [row.off_ramp for row in columns["discussed"].rows] == [hotline]
    row = columns["proposed"].rows[0]
    assert [s.position if s else None for s in row.stances] == ["open", "supports"]
    assert row.count("open") == 1
    assert row.count("opposes") == 0
    assert len(row.history) == 3
    assert columns["discussed"].rows[0].stances == [None, None]


def test_the_board_reads_in_a_constant_number_of_queries(cw: CrisisWorld) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            board = selectors.off_ramp_board(user=cw.user("de"), crisis=cw.crisis)
            [stance.party.code for row in board.rows for stance in row.history]
            [row.off_ramp.proposer for row in board.rows]
        return len(captured)

    services.stance_state(user=cw.user("us"), off_ramp=ramp(cw, "One"), position="supports")
    queries()  # warm the caches (content types, permissions)
    few = queries()
    for n in range(4):
        off_ramp = ramp(cw, f"Option {n}")
        for who in ("us", "ru", "fr", "nato"):
            services.stance_state(user=cw.user(who), off_ramp=off_ramp, position="open")
    assert queries() == few


def test_links_to_statements_and_communiques_are_read_through_their_rules(
    cw: CrisisWorld,
) -> None:
    from minutes.services import record as record_services

    off_ramp = ramp(cw)
    minutes = record_services.minutes_create(session=cw.table.session, user=cw.sec)
    usa = cw.table.parties["USA"]
    record_services.attendance_record(
        minutes=minutes, party=usa, user=cw.sec, delegates=[cw.user("us")]
    )
    statement = record_services.statement_record(
        minutes=minutes,
        item=cw.table.items[0],
        party=usa,
        user=cw.sec,
        summary="The corridor could open.",
    )
    with pytest.raises(PermissionDenied):
        services.off_ramp_link(user=cw.user("us"), off_ramp=off_ramp, target=statement)
    with pytest.raises(ApplicationError, match="Only statements and communiqués"):
        services.off_ramp_link(user=cw.sec, off_ramp=off_ramp, target=cw.table.items[0])  # type: ignore[arg-type]
    services.off_ramp_link(user=cw.sec, off_ramp=off_ramp, target=statement)
    assert selectors.off_ramp_mentions(user=cw.sec, off_ramp=off_ramp).statements == [statement]
    services.off_ramp_link(user=cw.sec, off_ramp=off_ramp, target=statement, linked=False)
    assert selectors.off_ramp_mentions(user=cw.sec, off_ramp=off_ramp).statements == []


# --- Norms -----------------------------------------------------------------------------


def test_only_the_secretariat_registers_norms_and_never_for_one_delegation(
    cw: CrisisWorld,
) -> None:
    with pytest.raises(PermissionDenied):
        norm(cw, user=cw.user("us"))
    with pytest.raises(ApplicationError, match="cannot be limited to one delegation"):
        norm(cw, distribution=Distribution.DELEGATION)
    with pytest.raises(ApplicationError, match="The text is empty"):
        norm(cw, text="<script>x</script>")
    assert not Norm.objects.exists()
    registered = norm(cw)
    assert registered.source == "1972 US-Soviet Incidents at Sea agreement"


def test_norms_are_read_by_their_distribution_against_their_session(cw: CrisisWorld) -> None:
    participants = norm(cw)
    seated = norm(cw, title="Notice before exercises", distribution=Distribution.SEAT_HOLDERS)
    public = norm(cw, title="Hotline use", distribution=Distribution.PUBLIC)
    assert set(selectors.norm_list(user=cw.user("us"))) == {participants, seated, public}
    assert set(selectors.norm_list(user=cw.user("de"))) == {participants, public}
    assert list(selectors.norm_list(user=cw.user("outsider"))) == [public]
    with pytest.raises(Http404):
        selectors.norm_get(user=cw.user("de"), public_id=seated.public_id)
    services.adherence_state(user=cw.user("us"), norm=seated, level="adheres")
    assert list(selectors.adherence_list(user=cw.user("de"))) == []
    assert len(selectors.adherence_list(user=cw.user("ru"))) == 1


def test_adherence_is_stated_by_each_delegation_for_its_own_party_with_history(
    cw: CrisisWorld,
) -> None:
    registered = norm(cw)
    first = services.adherence_state(user=cw.user("ru"), norm=registered, level="adheres")
    second = services.adherence_state(
        user=cw.user("ru"), norm=registered, level="with_reservations", note="Not over the Baltic."
    )
    services.adherence_state(user=cw.user("us"), norm=registered, level="adheres")
    table = selectors.norm_adherence_table(user=cw.user("de"), norm=registered)
    assert [(e.party.code, e.current.level) for e in table] == [
        ("RUS", "with_reservations"),
        ("USA", "adheres"),
    ]
    assert table[0].history == [second, first]
    with pytest.raises(PermissionDenied):
        services.adherence_state(user=cw.sec, norm=registered, level="adheres")
    with pytest.raises(PermissionDenied):
        services.adherence_state(user=cw.user("outsider"), norm=registered, level="adheres")
    with pytest.raises(PermissionDenied):
        services.adherence_state(
            user=cw.user("us"), norm=registered, level="adheres", party=cw.table.parties["RUS"]
        )
    with pytest.raises(ApplicationError, match="is not one of"):
        services.adherence_state(user=cw.user("us"), norm=registered, level="sometimes")
    assert Adherence.objects.count() == 3


def test_incidents_are_reported_refused_when_malformed_and_answered_by_the_others(
    cw: CrisisWorld,
) -> None:
    registered = norm(cw)
    parties = cw.table.parties
    today = timezone.localdate()
    kwargs = {
        "norm": registered,
        "place": "International airspace over the Baltic",
        "description": "An intercept closer than 20 feet.",
    }
    with pytest.raises(ApplicationError, match="in the future"):
        services.incident_report(
            user=cw.user("ru"),
            occurred_on=today + timedelta(days=1),
            parties_involved=[parties["USA"]],
            **kwargs,  # type: ignore[arg-type]
        )
    with pytest.raises(ApplicationError, match="parties involved"):
        services.incident_report(
            user=cw.user("ru"),
            occurred_on=today,
            parties_involved=[],
            **kwargs,  # type: ignore[arg-type]
        )
    with pytest.raises(PermissionDenied):
        services.incident_report(
            user=cw.user("outsider"),
            occurred_on=today,
            parties_involved=[parties["USA"]],
            **kwargs,  # type: ignore[arg-type]
        )
    assert not Incident.objects.exists()
    incident = services.incident_report(
        user=cw.user("ru"),
        occurred_on=today - timedelta(days=3),
        parties_involved=[parties["USA"], parties["RUS"]],
        **kwargs,  # type: ignore[arg-type]
    )
    assert incident.reporting_party == parties["RUS"]
    with pytest.raises(PermissionDenied, match="another party than the reporting one"):
        services.incident_respond(user=cw.user("ru"), incident=incident, text="We insist.")
    with pytest.raises(ApplicationError, match="The response"):
        services.incident_respond(user=cw.user("us"), incident=incident, text="  ")
    assert not IncidentResponse.objects.exists()
    response = services.incident_respond(
        user=cw.user("us"), incident=incident, text="The distance was 200 feet."
    )
    (listed,) = selectors.incident_list(user=cw.user("de"), norm=registered)
    assert list(listed.responses.all()) == [response]
    assert [p.code for p in listed.parties_involved.all()] == ["RUS", "USA"]
    assert list(selectors.incident_list(user=cw.user("de"), party=parties["USA"])) == [incident]
    assert list(selectors.incident_list(user=cw.user("de"), party=parties["FRA"])) == []


def test_an_incident_at_secretariat_distribution_is_read_by_its_reporter_and_the_secretariat(
    cw: CrisisWorld,
) -> None:
    registered = norm(cw)
    incident = services.incident_report(
        user=cw.user("ru"),
        norm=registered,
        occurred_on=timezone.localdate(),
        place="Black Sea",
        parties_involved=[cw.table.parties["USA"]],
        description="A drone intercepted.",
        distribution=Distribution.SECRETARIAT,
    )
    for who in ("ru", "sec"):
        assert selectors.incident_get(user=cw.user(who), public_id=incident.public_id) == incident
    for who in ("us", "de", "outsider"):
        with pytest.raises(Http404):
            selectors.incident_get(user=cw.user(who), public_id=incident.public_id)
        assert list(selectors.incident_response_list(user=cw.user(who))) == []
    with pytest.raises(PermissionDenied, match="do not read"):
        services.incident_respond(user=cw.user("us"), incident=incident, text="Noted.")


def test_incident_lists_read_in_a_constant_number_of_queries(cw: CrisisWorld) -> None:
    registered = norm(cw)
    parties = cw.table.parties

    def report(n: int) -> None:
        for _ in range(n):
            incident = services.incident_report(
                user=cw.user("ru"),
                norm=registered,
                occurred_on=timezone.localdate(),
                place="Baltic",
                parties_involved=[parties["USA"], parties["FRA"]],
                description="Intercept.",
            )
            services.incident_respond(user=cw.user("us"), incident=incident, text="Noted.")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for incident in selectors.incident_list(user=cw.user("de"), norm=registered):
                [p.code for p in incident.parties_involved.all()]
                [r.party.code for r in incident.responses.all()]
            [
                e.current.level
                for e in selectors.norm_adherence_table(user=cw.user("de"), norm=registered)
            ]
        return len(captured)

    report(1)
    services.adherence_state(user=cw.user("us"), norm=registered, level="adheres")
    queries()  # warm the caches (content types, permissions)
    few = queries()
    report(5)
    for who in ("ru", "fr", "nato"):
        services.adherence_state(user=cw.user(who), norm=registered, level="adheres")
    assert queries() == few

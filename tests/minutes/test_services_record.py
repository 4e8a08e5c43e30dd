from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from agenda.models import Document
from consult.errors import ApplicationError
from minutes.models import ActionPoint, Amendment, Attendance, Minutes, MinutesRevision, Statement
from minutes.services import action_points as action_points_services
from minutes.services import record as record_services
from minutes.services import review as review_services

from .conftest import reload

pytestmark = pytest.mark.django_db


def test_minutes_open_once_per_session(world):
    """A session has one set of minutes; opening them twice is refused."""
    record_services.minutes_create(session=world.session, user=world.user("sec"))
    with pytest.raises(ApplicationError, match="already has minutes"):
        record_services.minutes_create(session=world.session, user=world.user("sec"))
    assert Minutes.objects.count() == 1


def test_only_the_secretariat_opens_minutes(world):
    """A delegate cannot open the minutes."""
    with pytest.raises(PermissionDenied, match="Only the secretariat"):
        record_services.minutes_create(session=world.session, user=world.user("us"))
    assert not Minutes.objects.exists()


def test_attendance_of_an_uninvited_party_is_refused(world, attend):
    """Only invited parties attend; nothing is recorded for another."""
    minutes = attend("USA")
    world.session.invitations.filter(party=world.parties["DEU"]).update(status="revoked")
    with pytest.raises(ApplicationError, match="not invited"):
        record_services.attendance_record(
            minutes=minutes, party=world.parties["DEU"], user=world.user("sec")
        )
    assert not Attendance.objects.filter(party=world.parties["DEU"]).exists()


def test_attendance_names_only_the_party_s_delegates(world, attend):
    """A user of another delegation cannot be listed as a party's delegate."""
    minutes = attend("USA")
    with pytest.raises(ApplicationError, match="did not belong to the delegation"):
        record_services.attendance_record(
            minutes=minutes,
            party=world.parties["USA"],
            user=world.user("sec"),
            delegates=[world.user("ru")],
        )
    assert list(Attendance.objects.get(party=world.parties["USA"]).delegates.all()) == [
        world.user("us")
    ]


def test_statements_take_the_next_place_in_speaking_order(world, say):
    """Statements on an item are numbered in the order they are recorded."""
    first = say("USA", 1, "Calls for restraint.")
    second = say("RUS", 1, "Rejects the premise.")
    other_item = say("NATO", 3, "Supports a corridor.")
    assert (first.order, second.order, other_item.order) == (1, 2, 1)
    assert first.speaker_name == "Ursula Statesman"


def test_a_statement_by_a_party_not_attending_is_refused(world, attend):
    """A party with no attendance record cannot take the floor; nothing is saved."""
    minutes = attend("USA")
    with pytest.raises(ApplicationError, match="Russian Federation is not recorded as attending"):
        record_services.statement_record(
            minutes=minutes,
            item=world.items[0],
            party=world.parties["RUS"],
            user=world.user("sec"),
            summary="Speaks anyway.",
        )
    assert not Statement.objects.exists()


def test_an_ad_hoc_party_speaks_only_on_its_item(world, say):
    """Ukraine, invited for item 3, is refused the floor on item 1."""
    with pytest.raises(ApplicationError, match="not item 1"):
        say("UKR", 1, "On airspace.")
    assert say("UKR", 3, "On the corridor.").order == 1


def test_statement_needs_a_summary_and_an_item_of_the_session(world, say, minutes):
    """An empty summary or another session's item is refused."""
    with pytest.raises(ApplicationError, match="summary is required"):
        say("USA", 1, "   ")
    from .conftest import build_world

    other = build_world(number="CCB/T/2", starts_at=world.session.starts_at - timedelta(days=100))
    with pytest.raises(ApplicationError, match="another session"):
        record_services.statement_record(
            minutes=minutes,
            item=other.items[0],
            party=world.parties["USA"],
            user=world.user("sec"),
            summary="Wrong item.",
        )
    assert not Statement.objects.exists()


def test_full_text_is_sanitised(world, say):
    """Scripts and event handlers never reach the stored text."""
    statement = say(
        "USA", 1, "Summary.", full_text='<p onclick="x()">Text<script>alert(1)</script></p>'
    )
    assert statement.full_text == "<p>Text</p>"


def test_statement_on_a_narrow_item_defaults_to_its_level(world, say):
    """An item for the seat-holders only keeps its statements for the seat-holders."""
    world.items[0].distribution = "seat_holders"
    world.items[0].save()
    assert say("USA", 1, "Narrow.").distribution == "seat_holders"
    assert say("USA", 3, "Wide.").distribution == "participants"


def test_a_statement_cannot_be_limited_to_one_delegation(world, say):
    """Statements belong to the record, not to a delegation."""
    with pytest.raises(ApplicationError, match="cannot be limited to one delegation"):
        say("USA", 1, "Private.", distribution="delegation")


def test_interpretative_statement_is_attached_by_the_delegation(world, minutes):
    """A delegation attaches its own interpretative statement, not another party's."""
    statement = record_services.interpretative_statement_attach(
        minutes=minutes,
        item=world.items[0],
        party=world.parties["RUS"],
        user=world.user("ru"),
        summary="Russia understands the text as non-binding.",
    )
    assert statement.kind == Statement.Kind.INTERPRETATIVE
    with pytest.raises(ApplicationError, match="delegation of United States"):
        record_services.interpretative_statement_attach(
            minutes=minutes,
            item=world.items[0],
            party=world.parties["USA"],
            user=world.user("ru"),
            summary="In the US's name.",
        )
    assert Statement.objects.count() == 1


def test_workflow_draft_circulated_approved(world, say, minutes):
    """Circulating keeps revision 1, approving the last; both states move forward only."""
    say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    minutes = reload(minutes)
    assert minutes.status == "circulated"
    assert minutes.revision == 1
    with pytest.raises(ApplicationError, match="already circulated"):
        review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    review_services.minutes_approve(minutes=minutes, user=world.user("sec"))
    minutes = reload(minutes)
    assert minutes.status == "approved"
    assert list(minutes.revisions.values_list("number", "reason")) == [
        (1, MinutesRevision.Reason.CIRCULATED),
        (2, MinutesRevision.Reason.APPROVED),
    ]
    with pytest.raises(ApplicationError, match="only circulated minutes are approved"):
        review_services.minutes_approve(minutes=minutes, user=world.user("sec"))


def test_draft_minutes_cannot_be_approved_nor_empty_ones_circulated(world, minutes):
    """Approval needs circulation; circulation needs at least one statement."""
    with pytest.raises(ApplicationError, match="only circulated minutes are approved"):
        review_services.minutes_approve(minutes=minutes, user=world.user("sec"))
    with pytest.raises(ApplicationError, match="nothing to circulate"):
        review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    assert reload(minutes).status == "draft"


def test_approved_minutes_are_locked(world, say, minutes):
    """After approval no statement, attendance, statement or action point is added."""
    say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    review_services.minutes_approve(minutes=minutes, user=world.user("sec"))
    sec = world.user("sec")
    refusals = [
        lambda: say("RUS", 1, "Late."),
        lambda: record_services.attendance_record(
            minutes=minutes, party=world.parties["USA"], user=sec
        ),
        lambda: record_services.interpretative_statement_attach(
            minutes=minutes,
            item=world.items[0],
            party=world.parties["RUS"],
            user=world.user("ru"),
            summary="Late.",
        ),
        lambda: action_points_services.action_point_create(
            minutes=minutes, user=sec, description="Late.", due_date=date(2030, 1, 1)
        ),
    ]
    for refuse in refusals:
        with pytest.raises(ApplicationError, match="approved and locked"):
            refuse()
    assert Statement.objects.count() == 1
    assert not ActionPoint.objects.exists()
    assert reload(minutes).revision == 2


def test_amendment_cycle(world, say, minutes):
    """An attending delegation proposes; the secretariat accepts with a reason; a revision."""
    statement = say("RUS", 1, "Russia rejected the premise.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    amendment = review_services.amendment_propose(
        minutes=minutes,
        party=world.parties["RUS"],
        user=world.user("ru"),
        text="Russia questioned the premise.",
        statement=statement,
    )
    with pytest.raises(ApplicationError, match="awaits a decision"):
        review_services.minutes_approve(minutes=minutes, user=world.user("sec"))
    with pytest.raises(ApplicationError, match="reason is required"):
        review_services.amendment_decide(
            amendment=amendment, user=world.user("sec"), accept=True, reason=""
        )
    review_services.amendment_decide(
        amendment=amendment, user=world.user("sec"), accept=True, reason="Matches the recording."
    )
    assert reload(statement).summary == "Russia questioned the premise."
    assert reload(amendment).status == Amendment.Status.ACCEPTED
    assert reload(minutes).revision == 2
    with pytest.raises(ApplicationError, match="already accepted"):
        review_services.amendment_decide(
            amendment=amendment, user=world.user("sec"), accept=False, reason="No."
        )


def test_rejected_amendment_changes_nothing(world, say, minutes):
    """A rejection keeps its reason and leaves the text and revisions as they were."""
    statement = say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    amendment = review_services.amendment_propose(
        minutes=minutes, party=world.parties["USA"], user=world.user("us"), text="Firmness."
    )
    review_services.amendment_decide(
        amendment=amendment, user=world.user("sec"), accept=False, reason="Not what was said."
    )
    assert reload(statement).summary == "Restraint."
    assert reload(amendment).decision_reason == "Not what was said."
    assert reload(minutes).revision == 1


def test_amendments_are_refused_before_circulation_and_after_approval(world, say, minutes):
    """Amendments are proposed only while the minutes are circulated."""
    say("USA", 1, "Restraint.")
    propose = lambda: review_services.amendment_propose(  # noqa: E731
        minutes=minutes, party=world.parties["USA"], user=world.user("us"), text="Changed."
    )
    with pytest.raises(ApplicationError, match="not circulated yet"):
        propose()
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    review_services.minutes_approve(minutes=minutes, user=world.user("sec"))
    with pytest.raises(ApplicationError, match="approved and locked"):
        propose()
    assert not Amendment.objects.exists()


def test_amendments_come_from_attending_delegations_only(world, attend):
    """A delegation not attending, or a user speaking for another party, is refused."""
    minutes = attend("USA", "RUS")
    record_services.statement_record(
        minutes=minutes,
        item=world.items[0],
        party=world.parties["USA"],
        user=world.user("sec"),
        summary="Restraint.",
    )
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    with pytest.raises(ApplicationError, match="North Atlantic"):
        review_services.amendment_propose(
            minutes=minutes, party=world.parties["NATO"], user=world.user("nato"), text="x"
        )
    with pytest.raises(ApplicationError, match="delegation of Russian"):
        review_services.amendment_propose(
            minutes=minutes, party=world.parties["RUS"], user=world.user("us"), text="x"
        )
    assert not Amendment.objects.exists()


def test_changes_while_circulated_keep_a_revision(world, say, minutes):
    """A statement added to circulated minutes is kept as a new revision."""
    say("USA", 1, "Restraint.")
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    say("RUS", 1, "Reply.")
    assert list(MinutesRevision.objects.values_list("number", "reason")) == [
        (1, MinutesRevision.Reason.CIRCULATED),
        (2, MinutesRevision.Reason.STATEMENT_ADDED),
    ]


def test_action_points_follow_up_after_approval(world, say, minutes):
    """The owner marks its action point done, also once the minutes are locked; others cannot."""
    say("USA", 1, "Restraint.")
    point = action_points_services.action_point_create(
        minutes=minutes,
        user=world.user("sec"),
        description="Circulate a paper on notification of exercises.",
        due_date=date.today() + timedelta(days=30),
        owner=world.parties["USA"],
        item=world.items[0],
    )
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    review_services.minutes_approve(minutes=minutes, user=world.user("sec"))
    with pytest.raises(PermissionDenied, match="delegation of United States"):
        action_points_services.action_point_update_status(
            action_point=point, user=world.user("ru"), status="done"
        )
    action_points_services.action_point_update_status(
        action_point=point, user=world.user("us"), status="done"
    )
    point = reload(point)
    assert point.status == ActionPoint.Status.DONE
    assert point.done_at is not None
    with pytest.raises(ApplicationError, match="Status “closed”"):
        action_points_services.action_point_update_status(
            action_point=point, user=world.user("us"), status="closed"
        )


def test_action_point_owner_must_attend(world, attend):
    """An action point is owned by an attending party (or the secretariat)."""
    minutes = attend("USA")
    with pytest.raises(ApplicationError, match="not recorded as attending"):
        action_points_services.action_point_create(
            minutes=minutes,
            user=world.user("sec"),
            description="x",
            due_date=date(2030, 1, 1),
            owner=world.parties["RUS"],
        )
    assert not ActionPoint.objects.exists()


def test_speaker_must_belong_to_the_party(world, say):
    """A speaker from another delegation is refused."""
    with pytest.raises(ApplicationError, match="did not belong"):
        say("USA", 1, "x", speaker=world.user("ru"))
    stranger = get_user_model().objects.create_user("x")
    with pytest.raises(ApplicationError, match="did not belong"):
        say("USA", 1, "x", speaker=stranger)
    assert not Statement.objects.exists()


def test_a_statement_cannot_cite_a_paper_its_recorder_may_not_read(world, say):
    """The secretariat may not read Russia's private note, so a statement citing it is
    refused without naming it, and nothing is saved."""
    note = Document.objects.create(
        symbol="CCB.NOTE.RUS/1/26",
        title="RUS talking points",
        session=world.session,
        owner=world.parties["RUS"],
        distribution="delegation",
        created_by=world.user("sec"),
    )
    with pytest.raises(ApplicationError, match="does not exist") as refusal:
        say("RUS", 1, "On airspace.", documents=[note])
    assert "CCB.NOTE" not in str(refusal.value)
    assert not Statement.objects.exists()

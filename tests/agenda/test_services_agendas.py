from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agenda.models import Agenda, AgendaItem, Invitation, Objection, Session
from agenda.selectors.agendas import agenda_get, agenda_item_list, objection_list
from agenda.services import agendas as services
from agenda.services import items as items_services
from agenda.services import objections as objections_services
from consult.access import Distribution
from consult.errors import ApplicationError
from tests.factories import AgendaItemFactory, SessionFactory


def revision(session) -> int:
    return Agenda.objects.get(session=session).revision


def circulate(cycle, **kwargs):
    return services.agenda_circulate(session=cycle.session, user=cycle.secretary, **kwargs)


# Building the draft


def test_items_are_appended_in_order_and_default_to_the_session_level(cycle):
    """A new item goes to the end of the draft with the session's distribution."""
    cycle.session.distribution = Distribution.SEAT_HOLDERS
    item = items_services.agenda_item_add(
        session=cycle.session,
        user=cycle.secretary,
        title="Norms for military aviation",
        kind=AgendaItem.Kind.NORMS,
        proposer=cycle.parties["NATO"],
    )
    assert item.order == 3
    assert item.distribution == Distribution.SEAT_HOLDERS
    assert item.proposer == cycle.parties["NATO"]


@pytest.mark.parametrize("who", ["USA", "UKR", "outsider", "analyst"])
def test_only_the_secretariat_builds_the_agenda(cycle, who):
    """Delegates, analysts and strangers cannot add items; nothing is saved."""
    user = getattr(cycle, who) if who in {"outsider", "analyst"} else cycle.user(who)
    with pytest.raises(PermissionDenied, match="Only the secretariat"):
        items_services.agenda_item_add(
            session=cycle.session, user=user, title="Mine", kind=AgendaItem.Kind.NORMS
        )
    assert AgendaItem.objects.filter(title="Mine").count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  ", "kind": "norms"}, "The title is required"),
        ({"title": "x", "kind": "gossip"}, "Kind “gossip” is not one of"),
        ({"title": "x", "kind": "norms", "distribution": "everyone"}, "Distribution “everyone”"),
        ({"title": "x", "kind": "norms", "distribution": "delegation"}, "cannot be restricted"),
    ],
)
def test_bad_item_input_is_refused_with_a_clear_message(cycle, fields, message):
    """Blank titles, unknown kinds and impossible distributions are refused; nothing saved."""
    before = revision(cycle.session)
    with pytest.raises(ApplicationError, match=message):
        items_services.agenda_item_add(session=cycle.session, user=cycle.secretary, **fields)
    assert AgendaItem.objects.filter(session=cycle.session).count() == 2
    assert revision(cycle.session) == before


def test_every_change_bumps_the_revision(cycle):
    """Add, edit, reorder, remove, circulate, reopen, adopt: each bumps the agenda revision."""
    seen = [revision(cycle.session)]

    def step(action):
        action()
        seen.append(revision(cycle.session))

    new = items_services.agenda_item_add(
        session=cycle.session, user=cycle.secretary, title="AOB", kind="any_other_business"
    )
    seen.append(revision(cycle.session))
    step(lambda: items_services.agenda_item_update(item=new, user=cycle.secretary, title="Other"))
    step(
        lambda: items_services.agenda_item_reorder(
            session=cycle.session,
            user=cycle.secretary,
            item_ids=[new.public_id, cycle.other_item.public_id, cycle.ukraine_item.public_id],
        )
    )
    step(lambda: items_services.agenda_item_remove(item=new, user=cycle.secretary))
    step(lambda: circulate(cycle))
    step(lambda: services.agenda_reopen(session=cycle.session, user=cycle.secretary))
    assert seen == sorted(set(seen)), seen
    assert len(seen) == 7


def test_reorder_takes_every_item_once(cycle):
    """The new order is applied as given; a partial or repeated list is refused."""
    items_services.agenda_item_reorder(
        session=cycle.session,
        user=cycle.secretary,
        item_ids=[cycle.other_item.public_id, cycle.ukraine_item.public_id],
    )
    assert list(
        AgendaItem.objects.filter(session=cycle.session)
        .order_by("order")
        .values_list("title", "order")
    ) == [("Incidents at sea", 1), ("The situation in and around Ukraine", 2)]
    for wrong in (
        [cycle.other_item.public_id],
        [cycle.other_item.public_id, cycle.other_item.public_id],
    ):
        with pytest.raises(ApplicationError, match="exactly once"):
            items_services.agenda_item_reorder(
                session=cycle.session, user=cycle.secretary, item_ids=wrong
            )


def test_move_swaps_neighbours_and_stops_at_the_ends(cycle):
    """Moving the first item up leaves it first; moving it down swaps it with the second."""
    items_services.agenda_item_move(item=cycle.ukraine_item, user=cycle.secretary, offset=-1)
    cycle.ukraine_item.refresh_from_db()
    assert cycle.ukraine_item.order == 1
    items_services.agenda_item_move(item=cycle.ukraine_item, user=cycle.secretary, offset=1)
    cycle.ukraine_item.refresh_from_db()
    cycle.other_item.refresh_from_db()
    assert (cycle.other_item.order, cycle.ukraine_item.order) == (1, 2)


def test_removing_an_item_closes_ranks(cycle):
    """The items after a removed one move up, so orders stay 1..n."""
    third = items_services.agenda_item_add(
        session=cycle.session, user=cycle.secretary, title="AOB", kind="any_other_business"
    )
    items_services.agenda_item_remove(item=cycle.other_item, user=cycle.secretary)
    third.refresh_from_db()
    assert third.order == 2
    assert not AgendaItem.objects.filter(pk=cycle.other_item.pk).exists()


def test_an_item_with_ad_hoc_guests_is_not_removed(cycle):
    """Ukraine's item cannot be removed while Ukraine is invited to it (its grants depend on it)."""
    with pytest.raises(ApplicationError, match=r"ad hoc invitations \(UKR\)"):
        items_services.agenda_item_remove(item=cycle.ukraine_item, user=cycle.secretary)
    assert AgendaItem.objects.filter(pk=cycle.ukraine_item.pk).exists()
    assert Invitation.objects.filter(item=cycle.ukraine_item).exists()


# Circulation and objections


def test_circulation_opens_a_ten_day_window_by_default(cycle, time_machine):
    """The objection deadline is ten days after circulation unless configured otherwise."""
    time_machine.move_to(timezone.now(), tick=False)
    agenda = circulate(cycle)
    assert agenda.status == Agenda.Status.CIRCULATED
    assert agenda.objection_deadline - agenda.circulated_at == timedelta(days=10)


def test_the_window_length_is_configurable(cycle, settings, time_machine):
    """AGENDA_OBJECTION_WINDOW_DAYS sets the default; the secretariat may choose per agenda."""
    time_machine.move_to(timezone.now(), tick=False)
    settings.AGENDA_OBJECTION_WINDOW_DAYS = 5
    agenda = circulate(cycle)
    assert agenda.objection_deadline - agenda.circulated_at == timedelta(days=5)
    services.agenda_reopen(session=cycle.session, user=cycle.secretary)
    agenda = circulate(cycle, window_days=14)
    assert agenda.objection_deadline - agenda.circulated_at == timedelta(days=14)


def opening_in(cycle, delta, *, kind=Session.Kind.REGULAR):
    Session.objects.filter(pk=cycle.session.pk).update(
        starts_at=timezone.now() + delta, ends_at=timezone.now() + delta + timedelta(hours=8),
        kind=kind,
    )  # fmt: skip
    cycle.session.refresh_from_db()
    return cycle.session


def test_a_window_closes_a_day_before_a_regular_session_opens(cycle, time_machine):
    """A session a week away: the ten-day default is shortened to close 24 hours before."""
    time_machine.move_to(timezone.now(), tick=False)
    session = opening_in(cycle, timedelta(days=7))
    agenda = circulate(cycle)
    assert agenda.objection_deadline == session.starts_at - timedelta(hours=24)
    services.agenda_reopen(session=session, user=cycle.secretary)
    agenda = circulate(cycle, window_days=2)
    assert agenda.objection_deadline == timezone.now() + timedelta(days=2)


def test_an_extraordinary_session_keeps_hours(cycle, time_machine):
    """Two days out, a ten-day window is shortened to close three hours before the opening."""
    time_machine.move_to(timezone.now(), tick=False)
    session = opening_in(cycle, timedelta(days=2), kind=Session.Kind.EXTRAORDINARY)
    agenda = circulate(cycle, window_days=10)
    assert agenda.objection_deadline == session.starts_at - timedelta(hours=3)
    assert agenda.objection_deadline < session.starts_at


@pytest.mark.parametrize(
    ("kind", "left"),
    [(Session.Kind.REGULAR, timedelta(hours=23)), (Session.Kind.EXTRAORDINARY, timedelta(hours=2))],
)
def test_no_window_fits_too_close_to_the_opening(cycle, kind, left):
    """With less time left than the window must leave before the opening, circulation is refused."""
    opening_in(cycle, left, kind=kind)
    with pytest.raises(ApplicationError, match=r"window must close by .* which has passed"):
        circulate(cycle)
    agenda = Agenda.objects.get(session=cycle.session)
    assert agenda.status == Agenda.Status.DRAFT
    assert agenda.objection_deadline is None


def test_the_agenda_is_adopted_at_the_opening_once_the_window_passed(cycle, time_machine):
    """The window closed before the session: at the opening the agenda can be adopted."""
    time_machine.move_to(timezone.now(), tick=False)
    session = opening_in(cycle, timedelta(days=5))
    agenda = circulate(cycle)
    with pytest.raises(ApplicationError, match="objection window is open until"):
        services.agenda_adopt(session=session, user=cycle.secretary)
    time_machine.move_to(session.starts_at, tick=False)
    adopted = services.agenda_adopt(session=session, user=cycle.secretary)
    assert adopted.status == Agenda.Status.ADOPTED
    assert agenda.objection_deadline < adopted.adopted_at == session.starts_at


def test_circulation_notifies_the_seat_holders_once(
    cycle, mailoutbox, django_capture_on_commit_callbacks
):
    """Each seat-holder delegate gets one e-mail per circulation; the guest and observer none."""
    with django_capture_on_commit_callbacks(execute=True):
        circulate(cycle)
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted(cycle.user(code).email for code in ("USA", "RUS", "NATO", "EU"))
    assert "objections" in mailoutbox[0].subject
    assert "may object until" in mailoutbox[0].body
    services.agenda_reopen(session=cycle.session, user=cycle.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        circulate(cycle)
    assert len(mailoutbox) == 8


@pytest.mark.parametrize("days", [0, -1, 61])
def test_an_impossible_window_is_refused(cycle, days):
    """A window of no days, negative days or more than sixty days is refused; still a draft."""
    with pytest.raises(ApplicationError, match="1 to 60 days"):
        circulate(cycle, window_days=days)
    assert Agenda.objects.get(session=cycle.session).status == Agenda.Status.DRAFT


def test_an_empty_agenda_is_not_circulated(cycle):
    """Nothing to object to: circulation of an empty agenda is refused."""
    with pytest.raises(ApplicationError, match="empty agenda"):
        services.agenda_circulate(session=cycle.next_session, user=cycle.secretary)


def test_a_circulated_agenda_is_not_edited(cycle):
    """While seat-holders read it, items are not changed: reopen first."""
    circulate(cycle)
    with pytest.raises(ApplicationError, match="reopen it to change it"):
        items_services.agenda_item_update(item=cycle.other_item, user=cycle.secretary, title="New")
    cycle.other_item.refresh_from_db()
    assert cycle.other_item.title == "Incidents at sea"


@pytest.mark.parametrize("code", ["USA", "RUS", "NATO", "EU"])
def test_seat_holders_object_during_the_window(cycle, code):
    """Each seat-holder delegation may object, to the whole agenda or to one item."""
    circulate(cycle)
    objection = objections_services.objection_raise(
        session=cycle.session,
        user=cycle.user(code),
        text="Item 2 prejudges the outcome.",
        item=cycle.other_item,
    )
    assert objection.party == cycle.parties[code]
    assert objection.item == cycle.other_item


def test_the_same_objection_sent_twice_is_one_objection(cycle):
    """A repeated text from one delegation on one item answers the objection already raised;
    another text, another item or another delegation is a new objection."""
    circulate(cycle)
    first = objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="Item 2 prejudges the outcome."
    )
    again = objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="  Item 2 prejudges the outcome. "
    )
    assert again.pk == first.pk
    objections_services.objection_raise(
        session=cycle.session,
        user=cycle.user("RUS"),
        text="Item 2 prejudges the outcome.",
        item=cycle.other_item,
    )
    objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="Drop item 1."
    )
    objections_services.objection_raise(
        session=cycle.session, user=cycle.user("USA"), text="Item 2 prejudges the outcome."
    )
    assert Objection.objects.count() == 4


def test_a_new_circulation_takes_the_same_objection_again(cycle):
    """After the agenda is reopened and circulated again, the same text is a new objection,
    pending until answered."""
    circulate(cycle)
    first = objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="No."
    )
    services.agenda_reopen(session=cycle.session, user=cycle.secretary)
    agenda = circulate(cycle)
    second = objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="No."
    )
    assert second.pk != first.pk
    assert list(services.pending_objections(agenda)) == [second]


def test_objections_after_the_window_are_refused(cycle, time_machine):
    """One minute after the deadline an objection is refused, saying when the window closed."""
    agenda = circulate(cycle)
    time_machine.move_to(agenda.objection_deadline + timedelta(minutes=1))
    with pytest.raises(ApplicationError, match="The objection window closed on"):
        objections_services.objection_raise(
            session=cycle.session, user=cycle.user("RUS"), text="Too late"
        )
    assert Objection.objects.count() == 0


def test_objections_up_to_the_deadline_are_accepted(cycle, time_machine):
    """The last minute of the window still counts."""
    agenda = circulate(cycle)
    time_machine.move_to(agenda.objection_deadline - timedelta(minutes=1))
    objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="Just in time"
    )
    assert Objection.objects.count() == 1


def test_objections_before_circulation_are_refused(cycle):
    """A draft has not been circulated: there is nothing to object to yet."""
    with pytest.raises(ApplicationError, match="has not been circulated"):
        objections_services.objection_raise(
            session=cycle.session, user=cycle.user("USA"), text="No"
        )


@pytest.mark.parametrize("who", ["UKR", "CSTO", "outsider", "secretary"])
def test_only_seat_holders_object(cycle, who):
    """The ad hoc guest, the observer, strangers and the secretariat cannot object."""
    user = getattr(cycle, who) if who in {"outsider", "secretary"} else cycle.user(who)
    circulate(cycle)
    with pytest.raises(PermissionDenied, match="Only delegations holding a seat"):
        objections_services.objection_raise(session=cycle.session, user=user, text="We object")
    assert Objection.objects.count() == 0


def test_an_objection_needs_text_and_an_item_of_this_agenda(cycle):
    """Blank objections and items of another session are refused."""
    circulate(cycle)
    with pytest.raises(ApplicationError, match="text is required"):
        objections_services.objection_raise(
            session=cycle.session, user=cycle.user("USA"), text="   "
        )
    elsewhere = AgendaItemFactory(agenda__session=cycle.next_session)
    with pytest.raises(ApplicationError, match="not on this agenda"):
        objections_services.objection_raise(
            session=cycle.session, user=cycle.user("USA"), text="x", item=elsewhere
        )
    assert Objection.objects.count() == 0


# Adoption, the lock, reopening


def test_adoption_waits_for_the_window_to_close(cycle, time_machine):
    """During the window the agenda cannot be adopted; after it, it can."""
    agenda = circulate(cycle)
    with pytest.raises(ApplicationError, match="objection window is open until"):
        services.agenda_adopt(session=cycle.session, user=cycle.secretary)
    time_machine.move_to(agenda.objection_deadline + timedelta(seconds=1))
    adopted = services.agenda_adopt(session=cycle.session, user=cycle.secretary)
    assert adopted.status == Agenda.Status.ADOPTED
    assert adopted.adopted_at is not None


def test_adoption_waits_for_every_objection_to_be_answered(cycle, time_machine):
    """An unanswered objection blocks adoption; once answered, the agenda is adopted."""
    agenda = circulate(cycle)
    objection = objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="Item 1 is one-sided."
    )
    time_machine.move_to(agenda.objection_deadline + timedelta(seconds=1))
    with pytest.raises(ApplicationError, match="1 objection awaits an answer"):
        services.agenda_adopt(session=cycle.session, user=cycle.secretary)
    objections_services.objection_answer(
        objection=objection, user=cycle.secretary, response="The title is neutral."
    )
    assert (
        services.agenda_adopt(session=cycle.session, user=cycle.secretary).status
        == Agenda.Status.ADOPTED
    )


def test_only_the_secretariat_answers_and_only_once(cycle):
    """Delegates cannot answer objections; an answered objection is not answered again."""
    circulate(cycle)
    objection = objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="x"
    )
    with pytest.raises(PermissionDenied):
        objections_services.objection_answer(
            objection=objection, user=cycle.user("USA"), response="No"
        )
    objections_services.objection_answer(
        objection=objection, user=cycle.secretary, response="Noted."
    )
    with pytest.raises(ApplicationError, match="already been answered"):
        objections_services.objection_answer(
            objection=objection, user=cycle.secretary, response="Again"
        )


def test_a_draft_is_not_adopted(cycle):
    """Adoption needs a circulation first."""
    with pytest.raises(ApplicationError, match="must be circulated"):
        services.agenda_adopt(session=cycle.session, user=cycle.secretary)


def adopt(cycle, time_machine):
    agenda = circulate(cycle)
    time_machine.move_to(agenda.objection_deadline + timedelta(seconds=1))
    return services.agenda_adopt(session=cycle.session, user=cycle.secretary)


def test_an_adopted_agenda_is_locked(cycle, time_machine):
    """Adding, editing, reordering or removing items of an adopted agenda is refused."""
    adopt(cycle, time_machine)
    message = "adopted; later changes need a new circulation"
    with pytest.raises(ApplicationError, match=message):
        items_services.agenda_item_add(
            session=cycle.session, user=cycle.secretary, title="Late", kind="norms"
        )
    with pytest.raises(ApplicationError, match=message):
        items_services.agenda_item_update(item=cycle.other_item, user=cycle.secretary, title="Late")
    with pytest.raises(ApplicationError, match=message):
        items_services.agenda_item_remove(item=cycle.other_item, user=cycle.secretary)
    with pytest.raises(ApplicationError, match="already adopted"):
        services.agenda_adopt(session=cycle.session, user=cycle.secretary)
    with pytest.raises(ApplicationError, match="adopted; objections are closed"):
        objections_services.objection_raise(session=cycle.session, user=cycle.user("USA"), text="x")
    assert AgendaItem.objects.filter(session=cycle.session).count() == 2


def test_reopening_needs_a_new_circulation(cycle, time_machine):
    """Reopened, the agenda is a draft again with a higher revision; it is edited and
    adopted only after a new circulation, whose window starts afresh."""
    adopted = adopt(cycle, time_machine)
    reopened = services.agenda_reopen(session=cycle.session, user=cycle.secretary)
    assert reopened.status == Agenda.Status.DRAFT
    assert reopened.revision > adopted.revision
    assert reopened.adopted_at is None
    assert reopened.objection_deadline is None
    items_services.agenda_item_update(item=cycle.other_item, user=cycle.secretary, title="Amended")
    with pytest.raises(ApplicationError, match="must be circulated"):
        services.agenda_adopt(session=cycle.session, user=cycle.secretary)
    again = circulate(cycle)
    assert again.objection_deadline > adopted.objection_deadline


def test_a_draft_is_not_reopened(cycle):
    """Reopening a draft is refused: it is open already."""
    with pytest.raises(ApplicationError, match="already a draft"):
        services.agenda_reopen(session=cycle.session, user=cycle.secretary)


def test_objections_of_an_earlier_circulation_do_not_block_the_next(cycle, time_machine):
    """An objection answered by reopening and changing the agenda is history afterwards."""
    circulate(cycle)
    objections_services.objection_raise(
        session=cycle.session, user=cycle.user("RUS"), text="Drop item 2"
    )
    services.agenda_reopen(session=cycle.session, user=cycle.secretary)
    time_machine.move_to(timezone.now() + timedelta(minutes=1))
    adopt(cycle, time_machine)
    assert Agenda.objects.get(session=cycle.session).status == Agenda.Status.ADOPTED


def test_delegates_cannot_reopen_or_adopt(cycle):
    """Reopening and adopting are the secretariat's."""
    circulate(cycle)
    for action in (services.agenda_reopen, services.agenda_adopt):
        with pytest.raises(PermissionDenied):
            action(session=cycle.session, user=cycle.user("USA"))
    assert Agenda.objects.get(session=cycle.session).status == Agenda.Status.CIRCULATED


# Carrying open items over


def test_open_items_are_carried_to_the_next_session(cycle):
    """Open items are copied to the end of the next agenda, closed where they were, and
    linked to their origin; carrying twice carries nothing twice."""
    items_services.agenda_item_update(item=cycle.other_item, user=cycle.secretary, is_open=False)
    carried = items_services.agenda_items_carry_over(
        from_session=cycle.session, to_session=cycle.next_session, user=cycle.secretary
    )
    assert [(item.title, item.order, item.carried_from_id) for item in carried] == [
        ("The situation in and around Ukraine", 1, cycle.ukraine_item.pk)
    ]
    cycle.ukraine_item.refresh_from_db()
    assert cycle.ukraine_item.is_open is False
    assert (
        items_services.agenda_items_carry_over(
            from_session=cycle.session, to_session=cycle.next_session, user=cycle.secretary
        )
        == []
    )
    assert AgendaItem.objects.filter(session=cycle.next_session).count() == 1


def test_items_carry_forward_only_and_into_a_draft(cycle, time_machine):
    """Carrying to an earlier session, or into an adopted agenda, is refused."""
    with pytest.raises(ApplicationError, match="carry forward only"):
        items_services.agenda_items_carry_over(
            from_session=cycle.next_session, to_session=cycle.session, user=cycle.secretary
        )
    earlier = SessionFactory(starts_at=cycle.session.starts_at - timedelta(days=90))
    AgendaItemFactory(agenda__session=earlier, title="Left over")
    adopt(cycle, time_machine)
    with pytest.raises(ApplicationError, match="later changes need a new circulation"):
        items_services.agenda_items_carry_over(
            from_session=earlier, to_session=cycle.session, user=cycle.secretary
        )
    assert not AgendaItem.objects.filter(session=cycle.session, title="Left over").exists()
    assert AgendaItem.objects.get(title="Left over").is_open


def test_a_held_session_s_agenda_does_not_change(cycle):
    """Once the session is held its agenda is history."""
    cycle.session.status = "held"
    cycle.session.save()
    with pytest.raises(ApplicationError, match="can no longer change"):
        items_services.agenda_item_update(item=cycle.other_item, user=cycle.secretary, title="x")


# Reads


def titles(items):
    return sorted(item.title for item in items)


def test_each_reader_sees_the_items_the_rule_allows(cycle):
    """Seat-holders and the observer see every participants item; Ukraine only its own
    item; a stranger and an anonymous visitor none; the secretariat all."""
    from django.contrib.auth.models import AnonymousUser

    both = titles([cycle.ukraine_item, cycle.other_item])
    for code in ("USA", "RUS", "NATO", "EU", "CSTO"):
        assert titles(agenda_item_list(user=cycle.user(code), session=cycle.session)) == both
    assert titles(agenda_item_list(user=cycle.user("UKR"))) == [cycle.ukraine_item.title]
    assert titles(agenda_item_list(user=cycle.outsider)) == []
    assert titles(agenda_item_list(user=AnonymousUser())) == []
    assert titles(agenda_item_list(user=cycle.secretary, session=cycle.session)) == both


def test_seat_holder_items_are_hidden_from_the_observer_and_guests(cycle):
    """An item restricted to seat-holders is not shown to CSTO or Ukraine."""
    items_services.agenda_item_update(
        item=cycle.ukraine_item, user=cycle.secretary, distribution=Distribution.SEAT_HOLDERS
    )
    assert titles(agenda_item_list(user=cycle.user("UKR"))) == []
    assert titles(agenda_item_list(user=cycle.user("CSTO"))) == [cycle.other_item.title]
    assert len(agenda_item_list(user=cycle.user("RUS"))) == 2


def test_objections_are_read_by_the_secretariat_and_the_objector_only(cycle):
    """Russia's objection is visible to Russia and the secretariat, not to the others."""
    circulate(cycle)
    objections_services.objection_raise(session=cycle.session, user=cycle.user("RUS"), text="x")
    assert objection_list(user=cycle.secretary).count() == 1
    assert objection_list(user=cycle.user("RUS")).count() == 1
    for code in ("USA", "NATO", "EU", "UKR", "CSTO"):
        assert objection_list(user=cycle.user(code)).count() == 0
    agenda = agenda_get(user=cycle.user("USA"), session=cycle.session)
    assert getattr(agenda, "visible_objections", None) == []
    assert titles(getattr(agenda, "visible_items", [])) == titles(
        [cycle.ukraine_item, cycle.other_item]
    )


@pytest.mark.parametrize("rows", [1, 50])
def test_item_list_queries_do_not_grow_with_items(cycle, rows, django_assert_max_num_queries):
    """Items, proposers, sessions and ad hoc guests load in a fixed number of queries."""
    for n in range(rows):
        AgendaItemFactory(
            agenda=cycle.ukraine_item.agenda, order=10 + n, proposer=cycle.parties["USA"]
        )
    user = cycle.user("USA")
    with django_assert_max_num_queries(6):
        items = list(agenda_item_list(user=user, session=cycle.session))
        summary = [
            (
                item.proposer and item.proposer.code,
                item.session.number,
                item.carried_from,
                [i.party.code for i in getattr(item, "live_invitations", [])],
            )
            for item in items
        ]
    assert len(items) == rows + 2
    assert summary

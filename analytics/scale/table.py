"""The table at scale: parties and their people, sessions with their items, and the grants."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from django.contrib.auth.models import Group, User

from agenda.models import (
    Agenda,
    AgendaItem,
    AgendaItemGrant,
    Invitation,
    Session,
    SessionGrant,
)
from analytics.scale.rows import (
    SEAT_HOLDERS,
    Scale,
    ScaleReport,
    insert_rows,
    permission_of,
    sentence,
    weighted_choice,
)
from consult.access import (
    ANALYST_GROUP,
    ATTEND_ITEM,
    ATTEND_SESSION,
    SECRETARIAT_GROUP,
    SIT_SESSION,
    VIEW_SESSION,
    Distribution,
)
from consult.quarters import Quarter
from members.models import (
    ChairTerm,
    Delegation,
    DelegationMembership,
    Party,
    Seat,
    SeatArrangement,
)


def people_seed(
    *, rng: random.Random, now: datetime, years: int, parties: int, report: ScaleReport
) -> Scale:
    # Parties, seats, delegations and their people.
    party_rows = [Party(code=code, name_en=name, kind=kind) for code, name, kind in SEAT_HOLDERS]
    party_rows += [
        Party(code=f"S{index:03d}", name_en=f"State {index:03d}", kind=Party.Kind.STATE)
        for index in range(parties - len(SEAT_HOLDERS))
    ]
    Party.objects.bulk_create(party_rows)
    all_parties = list(Party.objects.order_by("pk"))
    holders = all_parties[: len(SEAT_HOLDERS)]
    seats = Seat.objects.bulk_create(
        Seat(code=party.code, name=party.name_en, party=party, order=order)
        for order, party in enumerate(holders, start=1)
    )
    SeatArrangement.objects.bulk_create(
        SeatArrangement(seat=seat, mode=SeatArrangement.Mode.OWN, effective_from="2000Q1")
        for seat in seats
    )
    groups = Group.objects.bulk_create(
        Group(name=f"delegation-{party.code}") for party in all_parties
    )
    delegations = Delegation.objects.bulk_create(
        Delegation(party=party, group=group)
        for party, group in zip(all_parties, groups, strict=True)
    )
    people = User.objects.bulk_create(
        User(username=f"bench-{party.code.lower()}", password="!") for party in all_parties
    )
    DelegationMembership.objects.bulk_create(
        DelegationMembership(
            delegation=delegation,
            user=person,
            role=DelegationMembership.Role.HEAD,
            valid_from=now - timedelta(days=365 * (years + 1)),
        )
        for delegation, person in zip(delegations, people, strict=True)
    )
    secretary, analyst, outsider = User.objects.bulk_create(
        [
            User(username="bench-secretary", password="!", is_staff=True),
            User(username="bench-analyst", password="!"),
            User(username="bench-outsider", password="!"),
        ]
    )
    secretary.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    analyst.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])
    report.users = {
        "secretariat": secretary.username,
        "analyst": analyst.username,
        "delegate": people[0].username,
        "outsider": outsider.username,
    }

    return Scale(
        rng=rng,
        now=now,
        report=report,
        all_parties=all_parties,
        holders=holders,
        members=all_parties[: max(len(holders), len(all_parties) // 2)],
        seats=seats,
        delegations=delegations,
        secretary=secretary,
    )


def sessions_seed(scale: Scale, *, years: int, items_per_session: int) -> None:
    rng, now, report, seats = scale.rng, scale.now, scale.report, scale.seats
    # Sessions: one regular per quarter, an extraordinary one now and then.
    last = Quarter.current()
    quarters = [last - step for step in range(years * 4 - 1, -1, -1)]
    ChairTerm.objects.bulk_create(
        ChairTerm(quarter=str(quarter), seat=seats[index % len(seats)])
        for index, quarter in enumerate([quarters[0] - 1, *quarters, last + 1])
    )
    session_rows: list[Session] = []
    for index, quarter in enumerate(quarters):
        middle = datetime.combine(quarter.first_day + timedelta(days=45), time(9), tzinfo=UTC)
        past = middle < now
        session_rows.append(
            Session(
                number=f"CCB/{quarter.year}/Q{quarter.q}",
                kind=Session.Kind.REGULAR,
                quarter=str(quarter),
                title=f"Regular session {quarter}",
                starts_at=middle,
                ends_at=middle + timedelta(hours=8),
                venue="Hofburg, Vienna",
                chair=seats[index % len(seats)],
                status=Session.Status.CLOSED if past else Session.Status.SCHEDULED,
                distribution=weighted_choice(
                    rng, {Distribution.PARTICIPANTS: 8, Distribution.PUBLIC: 2}
                ),
            )
        )
        if rng.random() < 0.5:
            start = middle + timedelta(days=20, hours=rng.randrange(48))
            session_rows.append(
                Session(
                    number=f"CCB/{quarter.year}/X{quarter.q}",
                    kind=Session.Kind.EXTRAORDINARY,
                    quarter=str(Quarter.of(start)),
                    title="Extraordinary session",
                    starts_at=start,
                    ends_at=start + timedelta(hours=4),
                    venue="Hofburg, Vienna",
                    status=Session.Status.CLOSED if start < now else Session.Status.SCHEDULED,
                    distribution=weighted_choice(
                        rng, {Distribution.PARTICIPANTS: 8, Distribution.SEAT_HOLDERS: 2}
                    ),
                )
            )
    sessions = Session.objects.bulk_create(session_rows)
    report.sessions = len(sessions)
    agendas = Agenda.objects.bulk_create(
        Agenda(session=session, status=Agenda.Status.ADOPTED) for session in sessions
    )
    kinds = AgendaItem.Kind.values
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            agenda=agenda,
            session=session,
            order=order,
            title=sentence(rng, mention=rng.random() < 0.1)[:120],
            kind=kinds[order % len(kinds)],
            distribution=session.distribution,
            chatham_house=rng.random() < 0.15,
            is_open=session.status != Session.Status.CLOSED,
        )
        for session, agenda in zip(sessions, agendas, strict=True)
        for order in range(1, items_per_session + 1)
    )
    report.items = len(items)
    items_by_session: dict[int, list[AgendaItem]] = {}
    for item in items:
        items_by_session.setdefault(item.session_id, []).append(item)

    scale.sessions, scale.items, scale.items_by_session = sessions, items, items_by_session


def grants_seed(scale: Scale, *, grants: int) -> None:
    rng, report, sessions, items = scale.rng, scale.report, scale.sessions, scale.items
    all_parties, holders, members = scale.all_parties, scale.holders, scale.members
    delegations = scale.delegations
    # Invitations and grants: every delegation attends every session, the
    # seat-holders sit; the rest of the requested grants are ad hoc item
    # grants (with their invitations) to parties not invited to the session.
    # The defaults (200 parties, 16 items a session) leave room for ~100k.
    attend = permission_of(Session, ATTEND_SESSION)
    sit = permission_of(Session, SIT_SESSION)
    view = permission_of(Session, VIEW_SESSION)
    attend_item = permission_of(AgendaItem, ATTEND_ITEM)
    guests = all_parties[len(members) :]
    Invitation.objects.bulk_create(
        Invitation(session=session, party=party, kind=Invitation.Kind.MEMBER, status="accepted")
        for session in sessions
        for party in members
    )
    group_of = {delegation.party_id: delegation.group_id for delegation in delegations}
    session_grants = [
        SessionGrant(content_object=session, group_id=group_of[party.pk], permission=attend)
        for session in sessions
        for party in members
    ] + [
        SessionGrant(content_object=session, group_id=group_of[party.pk], permission=sit)
        for session in sessions
        for party in holders
    ]
    report.grants = insert_rows(SessionGrant, session_grants)
    ad_hoc_pairs = [(item, party) for item in items for party in guests]
    rng.shuffle(ad_hoc_pairs)
    wanted = max(0, grants - report.grants)
    ad_hoc = ad_hoc_pairs[:wanted]
    insert_rows(
        Invitation,
        (
            Invitation(
                session_id=item.session_id,
                item=item,
                party=party,
                kind=Invitation.Kind.AD_HOC,
                status="accepted",
                reason="Affected party",
            )
            for item, party in ad_hoc
        ),
    )
    report.grants += insert_rows(
        AgendaItemGrant,
        (
            AgendaItemGrant(
                content_object=item, group_id=group_of[party.pk], permission=attend_item
            )
            for item, party in ad_hoc
        ),
    )
    viewing = {(item.session_id, party.pk) for item, party in ad_hoc}
    report.grants += insert_rows(
        SessionGrant,
        (
            SessionGrant(content_object_id=session_id, group_id=group_of[party_id], permission=view)
            for session_id, party_id in sorted(viewing)
        ),
    )

"""The record's rules, shared by its services: who speaks for a party, when minutes are
open, how a change is revised, which item, attendance and distribution a write may use.
Each refusal is an ApplicationError."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext

from agenda.models import AgendaItem, Session
from consult.access import Distribution, current_memberships
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.quarters import Quarter
from consult.times import utc_text
from consult.validation import check_choice
from members.models import Party
from members.selectors.seats import seat_holder_parties
from minutes.models import Attendance, Communique, Minutes, MinutesRevision
from minutes.snapshots import minutes_snapshot

# Statements default to the item's level when it is narrower than the session's participants.
NARROWER_THAN_PARTICIPANTS = (Distribution.SEAT_HOLDERS, Distribution.SECRETARIAT)


def utc_when(value: datetime | None) -> str:
    """A time in UTC for a refusal, worded as the reader's language writes dates."""
    return utc_text(value, pgettext("date format", "j E Y, H:i"))


def speaks_for(user: Actor, party: Party) -> bool:
    """A current (accredited) member of ``party``'s delegation."""
    return current_memberships(user).filter(delegation__party=party).exists()


def require_delegate(user: Actor, party: Party, doing: str) -> None:
    """The user speaks for the ``party`` they named: a refused choice of input (400)."""
    if not speaks_for(user, party):
        raise ApplicationError(
            gettext("Only a current member of the delegation of %(party)s may %(doing)s.")
            % {"party": party.display_name, "doing": doing},
            fields={"party": [gettext("You do not belong to this delegation.")]},
        )


# The minutes


def locked_minutes(minutes: Minutes) -> Minutes:
    """The minutes row locked for this transaction, so concurrent changes serialise."""
    return (
        Minutes.objects.select_for_update(of=("self",)).select_related("session").get(pk=minutes.pk)
    )


def require_open(minutes: Minutes, doing: str) -> None:
    if minutes.status == Minutes.Status.APPROVED:
        raise ApplicationError(
            gettext(
                "The minutes of %(number)s are approved and locked; no one may %(doing)s any more."
            )
            % {"number": minutes.session.number, "doing": doing}
        )


def revise(minutes: Minutes, *, user: Actor, reason: MinutesRevision.Reason) -> MinutesRevision:
    minutes.revision += 1
    minutes.save(update_fields=["revision", "updated_at"])
    return MinutesRevision.objects.create(
        minutes=minutes,
        number=minutes.revision,
        reason=reason,
        snapshot=minutes_snapshot(minutes),
        created_by=signed_in(user),
    )


def revise_if_circulated(minutes: Minutes, *, user: Actor, reason: MinutesRevision.Reason) -> None:
    # A draft changes freely; once readers have a circulated text, each change is kept.
    if minutes.status == Minutes.Status.CIRCULATED:
        revise(minutes, user=user, reason=reason)


def item_of(minutes: Minutes, item: AgendaItem) -> AgendaItem:
    if item.session_id != minutes.session_id:
        raise ApplicationError(
            gettext("That item belongs to another session than %(number)s.")
            % {"number": minutes.session.number},
            fields={"item": [gettext("Choose an item of this session.")]},
        )
    return item


def attendance_of(minutes: Minutes, party: Party) -> Attendance:
    attendance = Attendance.objects.filter(minutes=minutes, party=party).first()
    if attendance is None:
        raise ApplicationError(
            gettext(
                "%(party)s is not recorded as attending %(number)s; record its attendance first."
            )
            % {"party": party.display_name, "number": minutes.session.number},
            fields={"party": [gettext("Not attending.")]},
        )
    return attendance


def distribution_for(item: AgendaItem, distribution: str | None) -> str:
    if distribution is None:
        if item.distribution in NARROWER_THAN_PARTICIPANTS:
            return item.distribution
        return Distribution.PARTICIPANTS
    if distribution == Distribution.DELEGATION:
        raise ApplicationError(
            gettext("A statement belongs to the record; it cannot be limited to one delegation."),
            fields={
                "distribution": [
                    gettext("Choose public, participants, seat-holders or secretariat.")
                ]
            },
        )
    return check_choice(
        distribution, Distribution, field="distribution", label=gettext("Distribution")
    )


# A communiqué under circulation


def communique_locking() -> QuerySet[Communique]:
    return Communique.objects.select_for_update(of=("self",)).select_related(
        "session", "session__chair", "circulated_version"
    )


def communique_locked(communique: Communique) -> Communique:
    return communique_locking().get(pk=communique.pk)


def session_seat_holders(session: Session) -> QuerySet[Party]:
    return seat_holder_parties(quarter=Quarter.parse(session.quarter))


def require_seat_holder(communique: Communique, party: Party, doing: str) -> None:
    session = communique.session
    if not session_seat_holders(session).filter(pk=party.pk).exists():
        raise ApplicationError(
            gettext(
                "%(party)s holds no seat in %(quarter)s; only the seat-holders may %(doing)s "
                "(observers and ad hoc parties have no position on texts)."
            )
            % {"party": party.display_name, "quarter": session.quarter, "doing": doing},
            fields={"party": [gettext("Not a seat-holder this quarter.")]},
        )


def require_before_deadline(communique: Communique, now: datetime, doing: str) -> None:
    if communique.status == Communique.Status.PUBLISHED:
        raise ApplicationError(
            gettext("“%(text)s” is already published; no one may %(doing)s.")
            % {"text": communique, "doing": doing}
        )
    if communique.status != Communique.Status.CIRCULATED or communique.deadline is None:
        raise ApplicationError(
            gettext("“%(title)s” is not circulated; no one may %(doing)s yet.")
            % {"title": communique.title, "doing": doing}
        )
    if now >= communique.deadline:
        raise ApplicationError(
            gettext(
                "The deadline for “%(title)s” passed on %(deadline)s; "
                "no one may %(doing)s any more."
            )
            % {
                "title": communique.title,
                "deadline": utc_when(communique.deadline),
                "doing": doing,
            }
        )

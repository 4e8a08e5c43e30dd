"""The minutes of a session as it is held: opening, attendance, statements.

Minutes go ``draft → circulated → approved`` (``minutes.services.review``).
The secretariat records while they are a draft or circulated; every change
made while circulated keeps a revision, and approval locks the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from agenda.models import AgendaItem, Document, Invitation, Session
from agenda.selectors.documents import document_list
from consult.access import require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.sanitize import sanitize_html
from consult.validation import clean_text
from members.models import DelegationMembership, Party
from minutes.models import Attendance, Minutes, MinutesRevision, Statement
from minutes.services.rules import (
    attendance_of,
    distribution_for,
    item_of,
    locked_minutes,
    require_delegate,
    require_open,
    revise_if_circulated,
)


def _check_invited_to_item(minutes: Minutes, party: Party, item: AgendaItem) -> None:
    """An ad hoc party takes the floor only on the items it was invited to."""
    live = Invitation.objects.filter(session=minutes.session, party=party).exclude(
        status=Invitation.Status.REVOKED
    )
    if live.filter(item__isnull=True).exists() or live.filter(item=item).exists():
        return
    raise ApplicationError(
        gettext("%(party)s is invited to %(number)s for other items only, not item %(order)s.")
        % {"party": party.display_name, "number": minutes.session.number, "order": item.order},
        fields={"item": [gettext("The party was not invited to this item.")]},
    )


def _delegates_of(party: Party, session: Session, users: Iterable[Any]) -> list[Any]:
    """The users, each a delegate of ``party`` at some point during the session."""
    users = list(users)
    members = set(
        DelegationMembership.objects.filter(
            delegation__party=party,
            user__in=users,
            valid_from__lte=session.ends_at,
        )
        .exclude(valid_until__lte=session.starts_at)
        .values_list("user_id", flat=True)
    )
    strangers = [user for user in users if user.pk not in members]
    if strangers:
        names = ", ".join(user.get_full_name() or user.get_username() for user in strangers)
        raise ApplicationError(
            gettext("%(names)s did not belong to the delegation of %(party)s during %(number)s.")
            % {"names": names, "party": party.display_name, "number": session.number},
            fields={"delegates": [gettext("Not a delegate of this party.")]},
        )
    return users


def _session_documents(
    minutes: Minutes, documents: Sequence[Document], user: Actor
) -> list[Document]:
    foreign = [doc.symbol for doc in documents if doc.session_id != minutes.session_id]
    if foreign:
        raise ApplicationError(
            gettext("%(symbols)s belong to another session.") % {"symbols": ", ".join(foreign)},
            fields={"documents": [gettext("Refer only to papers of this session.")]},
        )
    # A paper the recorder may not read (another delegation's private note) is
    # refused as if it did not exist: its symbol is not named back.
    readable = set(
        document_list(user=user, session=minutes.session)
        .filter(pk__in=[doc.pk for doc in documents])
        .values_list("pk", flat=True)
    )
    if any(doc.pk not in readable for doc in documents):
        raise ApplicationError(
            gettext("A paper referred to does not exist."),
            fields={"documents": [gettext("Refer only to papers you may read.")]},
        )
    return list(documents)


def _next_order(item: AgendaItem) -> int:
    last = Statement.objects.filter(item=item).aggregate(last=Max("order"))["last"]
    return (last or 0) + 1


@transaction.atomic
def minutes_create(*, session: Session, user: Actor) -> Minutes:
    require_secretariat(user, gettext("open the minutes of a session"))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise ApplicationError(
            gettext("%(number)s was cancelled; it has no minutes.") % {"number": session.number}
        )
    if Minutes.objects.filter(session=session).exists():
        raise ApplicationError(
            gettext("%(number)s already has minutes.") % {"number": session.number}
        )
    return Minutes.objects.create(session=session, created_by=signed_in(user))


@transaction.atomic
def attendance_record(
    *,
    minutes: Minutes,
    party: Party,
    user: Actor,
    delegates: Sequence[Any] = (),
    arrived_at: datetime | None = None,
    left_at: datetime | None = None,
) -> Attendance:
    """Record (or correct) who attended for a party; the party must be invited."""
    require_secretariat(user, gettext("record attendance"))
    minutes = locked_minutes(minutes)
    require_open(minutes, gettext("change the attendance"))
    invited = (
        Invitation.objects.filter(session=minutes.session, party=party)
        .exclude(status__in=[Invitation.Status.REVOKED, Invitation.Status.DECLINED])
        .exists()
    )
    if not invited:
        raise ApplicationError(
            gettext(
                "%(party)s was not invited to %(number)s (or declined); it cannot be recorded "
                "as attending."
            )
            % {"party": party.display_name, "number": minutes.session.number},
            fields={"party": [gettext("Not invited.")]},
        )
    if arrived_at and left_at and left_at <= arrived_at:
        raise ApplicationError(
            gettext("A delegation leaves after it arrives."),
            fields={"left_at": [gettext("Before the arrival.")]},
        )
    members = _delegates_of(party, minutes.session, delegates)
    attendance, _ = Attendance.objects.update_or_create(
        minutes=minutes,
        party=party,
        defaults={"arrived_at": arrived_at, "left_at": left_at},
    )
    attendance.delegates.set(members)
    revise_if_circulated(minutes, user=user, reason=MinutesRevision.Reason.ATTENDANCE_CORRECTED)
    return attendance


@transaction.atomic
def attendance_record_all(
    *, minutes: Minutes, user: Actor, attending: Mapping[Party, Sequence[Any]]
) -> list[Attendance]:
    """Record the attendance of several parties at once: all of it, or (on any refusal) none."""
    if not attending:
        raise ApplicationError(gettext("Tick at least one party that attended."))
    return [
        attendance_record(minutes=minutes, party=party, user=user, delegates=delegates)
        for party, delegates in attending.items()
    ]


def _statement_create(
    *,
    minutes: Minutes,
    item: AgendaItem,
    party: Party,
    kind: str,
    user: Actor,
    summary: str,
    full_text: str,
    speaker: Any | None,
    speaker_name: str,
    documents: Sequence[Document],
    distribution: str | None,
) -> Statement:
    item_of(minutes, item)
    attendance = attendance_of(minutes, party)
    _check_invited_to_item(minutes, party, item)
    summary = clean_text(summary, field="summary", label=gettext("The summary"))
    name = (speaker_name or "").strip()
    if speaker is not None:
        if not attendance.delegates.filter(pk=speaker.pk).exists():
            _delegates_of(party, minutes.session, [speaker])
        name = speaker.get_full_name() or speaker.get_username()
    if len(name) > 200:
        raise ApplicationError(
            gettext("The speaker's name is longer than 200 characters."),
            fields={"speaker_name": [gettext("At most 200 characters.")]},
        )
    statement = Statement.objects.create(
        minutes=minutes,
        item=item,
        party=party,
        kind=kind,
        speaker=speaker,
        speaker_name=name,
        order=_next_order(item),
        summary=summary,
        full_text=sanitize_html(full_text or "").html,
        distribution=distribution_for(item, distribution),
        recorded_by=signed_in(user),
    )
    statement.documents.set(_session_documents(minutes, documents, user))
    return statement


@transaction.atomic
def statement_record(
    *,
    minutes: Minutes,
    item: AgendaItem,
    party: Party,
    user: Actor,
    summary: str,
    full_text: str = "",
    speaker: Any | None = None,
    speaker_name: str = "",
    documents: Sequence[Document] = (),
    distribution: str | None = None,
) -> Statement:
    """Record a statement as it is made; it takes the next place in the item's speaking order."""
    require_secretariat(user, gettext("record statements"))
    minutes = locked_minutes(minutes)
    require_open(minutes, gettext("record statements"))
    statement = _statement_create(
        minutes=minutes,
        item=item,
        party=party,
        kind=Statement.Kind.STATEMENT,
        user=user,
        summary=summary,
        full_text=full_text,
        speaker=speaker,
        speaker_name=speaker_name,
        documents=documents,
        distribution=distribution,
    )
    revise_if_circulated(minutes, user=user, reason=MinutesRevision.Reason.STATEMENT_ADDED)
    return statement


@transaction.atomic
def interpretative_statement_attach(
    *,
    minutes: Minutes,
    item: AgendaItem,
    party: Party,
    user: Actor,
    summary: str,
    full_text: str = "",
    documents: Sequence[Document] = (),
) -> Statement:
    """A delegation has its interpretative statement on an item attached to the record."""
    require_delegate(user, party, gettext("attach an interpretative statement"))
    minutes = locked_minutes(minutes)
    require_open(minutes, gettext("attach interpretative statements"))
    statement = _statement_create(
        minutes=minutes,
        item=item,
        party=party,
        kind=Statement.Kind.INTERPRETATIVE,
        user=user,
        summary=summary,
        full_text=full_text,
        # Made in the delegation's name, not by one speaker.
        speaker=None,
        speaker_name="",
        documents=documents,
        distribution=None,
    )
    revise_if_circulated(minutes, user=user, reason=MinutesRevision.Reason.INTERPRETATIVE_STATEMENT)
    return statement

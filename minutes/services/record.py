"""The minutes of a session: attendance, statements, amendments, approval, action points.

Minutes go ``draft → circulated → approved``. The secretariat records while
they are a draft or circulated; while circulated, attending delegations
propose amendments that the secretariat accepts or rejects with a reason.
Circulation, every change made while circulated, and approval each keep a
revision. Approval locks the record: every later change is refused, except
the status of action points, which are followed up after the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agenda.models import AgendaItem, Document, Invitation, Session
from consult.access import Distribution, is_secretariat
from consult.errors import ApplicationError
from consult.sanitize import sanitize_html
from members.models import DelegationMembership, Party
from minutes.models import (
    ActionPoint,
    Amendment,
    Attendance,
    Minutes,
    MinutesRevision,
    Statement,
)
from minutes.services.common import (
    User,
    check_choice,
    clean_text,
    require_delegate,
    require_secretariat,
)
from minutes.snapshots import minutes_snapshot

# Statements default to the item's level when it is narrower than the session's participants.
_NARROWER_THAN_PARTICIPANTS = (Distribution.SEAT_HOLDERS, Distribution.SECRETARIAT)


def _locked(minutes: Minutes) -> Minutes:
    """The minutes row locked for this transaction, so concurrent changes serialise."""
    return (
        Minutes.objects.select_for_update(of=("self",)).select_related("session").get(pk=minutes.pk)
    )


def _require_open(minutes: Minutes, doing: str) -> None:
    if minutes.status == Minutes.Status.APPROVED:
        raise ApplicationError(
            f"The minutes of {minutes.session.number} are approved and locked; "
            f"no one may {doing} any more."
        )


def _revise(minutes: Minutes, *, user: User, reason: str) -> MinutesRevision:
    minutes.revision += 1
    minutes.save(update_fields=["revision", "updated_at"])
    return MinutesRevision.objects.create(
        minutes=minutes,
        number=minutes.revision,
        reason=reason,
        snapshot=minutes_snapshot(minutes),
        created_by=user,
    )


def _revise_if_circulated(minutes: Minutes, *, user: User, reason: str) -> None:
    # A draft changes freely; once readers have a circulated text, each change is kept.
    if minutes.status == Minutes.Status.CIRCULATED:
        _revise(minutes, user=user, reason=reason)


def _item_of(minutes: Minutes, item: AgendaItem) -> AgendaItem:
    if item.session_id != minutes.session_id:
        raise ApplicationError(
            f"That item belongs to another session than {minutes.session.number}.",
            fields={"item": ["Choose an item of this session."]},
        )
    return item


def _attendance_of(minutes: Minutes, party: Party) -> Attendance:
    attendance = Attendance.objects.filter(minutes=minutes, party=party).first()
    if attendance is None:
        raise ApplicationError(
            f"{party.name_en} is not recorded as attending {minutes.session.number}; "
            "record its attendance first.",
            fields={"party": ["Not attending."]},
        )
    return attendance


def _check_invited_to_item(minutes: Minutes, party: Party, item: AgendaItem) -> None:
    """An ad hoc party takes the floor only on the items it was invited to."""
    live = Invitation.objects.filter(session=minutes.session, party=party).exclude(
        status=Invitation.Status.REVOKED
    )
    if live.filter(item__isnull=True).exists() or live.filter(item=item).exists():
        return
    raise ApplicationError(
        f"{party.name_en} is invited to {minutes.session.number} for other items only, "
        f"not item {item.order}.",
        fields={"item": ["The party was not invited to this item."]},
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
            f"{names} did not belong to the delegation of {party.name_en} during {session.number}.",
            fields={"delegates": ["Not a delegate of this party."]},
        )
    return users


def _distribution_for(item: AgendaItem, distribution: str | None) -> str:
    if distribution is None:
        if item.distribution in _NARROWER_THAN_PARTICIPANTS:
            return item.distribution
        return Distribution.PARTICIPANTS
    if distribution == Distribution.DELEGATION:
        raise ApplicationError(
            "A statement belongs to the record; it cannot be limited to one delegation.",
            fields={"distribution": ["Choose public, participants, seat-holders or secretariat."]},
        )
    return check_choice(distribution, Distribution, field="distribution", label="Distribution")


def _session_documents(minutes: Minutes, documents: Sequence[Document]) -> list[Document]:
    foreign = [doc.symbol for doc in documents if doc.session_id != minutes.session_id]
    if foreign:
        raise ApplicationError(
            f"{', '.join(foreign)} belong to another session.",
            fields={"documents": ["Refer only to papers of this session."]},
        )
    return list(documents)


def _next_order(item: AgendaItem) -> int:
    last = Statement.objects.filter(item=item).aggregate(last=Max("order"))["last"]
    return (last or 0) + 1


@transaction.atomic
def minutes_create(*, session: Session, user: User) -> Minutes:
    require_secretariat(user, "open the minutes of a session")
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise ApplicationError(f"{session.number} was cancelled; it has no minutes.")
    if Minutes.objects.filter(session=session).exists():
        raise ApplicationError(f"{session.number} already has minutes.")
    return Minutes.objects.create(session=session, created_by=user)


@transaction.atomic
def attendance_record(
    *,
    minutes: Minutes,
    party: Party,
    user: User,
    delegates: Sequence[Any] = (),
    arrived_at: datetime | None = None,
    left_at: datetime | None = None,
) -> Attendance:
    """Record (or correct) who attended for a party; the party must be invited."""
    require_secretariat(user, "record attendance")
    minutes = _locked(minutes)
    _require_open(minutes, "change the attendance")
    invited = (
        Invitation.objects.filter(session=minutes.session, party=party)
        .exclude(status__in=[Invitation.Status.REVOKED, Invitation.Status.DECLINED])
        .exists()
    )
    if not invited:
        raise ApplicationError(
            f"{party.name_en} was not invited to {minutes.session.number} "
            "(or declined); it cannot be recorded as attending.",
            fields={"party": ["Not invited."]},
        )
    if arrived_at and left_at and left_at <= arrived_at:
        raise ApplicationError(
            "A delegation leaves after it arrives.", fields={"left_at": ["Before the arrival."]}
        )
    members = _delegates_of(party, minutes.session, delegates)
    attendance, _ = Attendance.objects.update_or_create(
        minutes=minutes,
        party=party,
        defaults={"arrived_at": arrived_at, "left_at": left_at},
    )
    attendance.delegates.set(members)
    _revise_if_circulated(minutes, user=user, reason="Attendance corrected")
    return attendance


def _statement_create(
    *,
    minutes: Minutes,
    item: AgendaItem,
    party: Party,
    kind: str,
    user: User,
    summary: str,
    full_text: str,
    speaker: Any | None,
    speaker_name: str,
    documents: Sequence[Document],
    distribution: str | None,
) -> Statement:
    _item_of(minutes, item)
    attendance = _attendance_of(minutes, party)
    _check_invited_to_item(minutes, party, item)
    summary = clean_text(summary, field="summary", label="The summary")
    name = (speaker_name or "").strip()
    if speaker is not None:
        if not attendance.delegates.filter(pk=speaker.pk).exists():
            _delegates_of(party, minutes.session, [speaker])
        name = speaker.get_full_name() or speaker.get_username()
    if len(name) > 200:
        raise ApplicationError(
            "The speaker's name is longer than 200 characters.",
            fields={"speaker_name": ["At most 200 characters."]},
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
        distribution=_distribution_for(item, distribution),
        recorded_by=user,
    )
    statement.documents.set(_session_documents(minutes, documents))
    return statement


@transaction.atomic
def statement_record(
    *,
    minutes: Minutes,
    item: AgendaItem,
    party: Party,
    user: User,
    summary: str,
    full_text: str = "",
    speaker: Any | None = None,
    speaker_name: str = "",
    documents: Sequence[Document] = (),
    distribution: str | None = None,
) -> Statement:
    """Record a statement as it is made; it takes the next place in the item's speaking order."""
    require_secretariat(user, "record statements")
    minutes = _locked(minutes)
    _require_open(minutes, "record statements")
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
    _revise_if_circulated(minutes, user=user, reason="Statement added")
    return statement


@transaction.atomic
def interpretative_statement_attach(
    *,
    minutes: Minutes,
    item: AgendaItem,
    party: Party,
    user: User,
    summary: str,
    full_text: str = "",
    documents: Sequence[Document] = (),
) -> Statement:
    """A delegation has its interpretative statement on an item attached to the record."""
    require_delegate(user, party, "attach an interpretative statement")
    minutes = _locked(minutes)
    _require_open(minutes, "attach interpretative statements")
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
    _revise_if_circulated(minutes, user=user, reason="Interpretative statement attached")
    return statement


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, user: User) -> Minutes:
    require_secretariat(user, "circulate minutes")
    minutes = _locked(minutes)
    if minutes.status != Minutes.Status.DRAFT:
        raise ApplicationError(
            f"The minutes of {minutes.session.number} are already "
            f"{minutes.get_status_display().lower()}; only a draft is circulated."
        )
    if not Statement.objects.filter(minutes=minutes).exists():
        raise ApplicationError(
            "The minutes record no statement yet; there is nothing to circulate."
        )
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.save(update_fields=["status", "circulated_at", "updated_at"])
    _revise(minutes, user=user, reason="Circulated for amendments")
    return minutes


@transaction.atomic
def amendment_propose(
    *,
    minutes: Minutes,
    party: Party,
    user: User,
    text: str,
    statement: Statement | None = None,
    rationale: str = "",
) -> Amendment:
    """An attending delegation proposes a correction while the minutes are circulated."""
    require_delegate(user, party, "propose amendments on its behalf")
    minutes = _locked(minutes)
    _require_open(minutes, "propose amendments")
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ApplicationError(
            f"The minutes of {minutes.session.number} are not circulated yet; "
            "amendments are proposed once they are."
        )
    _attendance_of(minutes, party)
    if statement is not None and statement.minutes_id != minutes.pk:
        raise ApplicationError(
            "That statement belongs to other minutes.",
            fields={"statement": ["Choose a statement of these minutes."]},
        )
    return Amendment.objects.create(
        minutes=minutes,
        statement=statement,
        party=party,
        text=clean_text(text, field="text", label="The amended text"),
        rationale=(rationale or "").strip(),
        proposed_by=user,
    )


@transaction.atomic
def amendment_decide(*, amendment: Amendment, user: User, accept: bool, reason: str) -> Amendment:
    """The secretariat accepts or rejects a proposed amendment, giving its reason."""
    require_secretariat(user, "decide on amendments")
    minutes = _locked(amendment.minutes)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    _require_open(minutes, "change them")
    if amendment.status != Amendment.Status.PROPOSED:
        raise ApplicationError(
            f"This amendment was already {amendment.get_status_display().lower()}."
        )
    amendment.decision_reason = clean_text(reason, field="reason", label="The reason")
    amendment.status = Amendment.Status.ACCEPTED if accept else Amendment.Status.REJECTED
    amendment.decided_by = user
    amendment.decided_at = timezone.now()
    amendment.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    if accept:
        if amendment.statement_id is not None:
            Statement.objects.filter(pk=amendment.statement_id).update(
                summary=amendment.text, updated_at=amendment.decided_at
            )
        _revise(minutes, user=user, reason="Amendment accepted")
    return amendment


@transaction.atomic
def minutes_approve(*, minutes: Minutes, user: User) -> Minutes:
    """Approve circulated minutes; from now on the record is locked."""
    require_secretariat(user, "approve minutes")
    minutes = _locked(minutes)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ApplicationError(
            f"The minutes of {minutes.session.number} are "
            f"{minutes.get_status_display().lower()}; only circulated minutes are approved."
        )
    pending = Amendment.objects.filter(minutes=minutes, status=Amendment.Status.PROPOSED).count()
    if pending:
        raise ApplicationError(
            f"{pending} proposed amendment(s) await a decision; decide them before approving."
        )
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = user
    minutes.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    _revise(minutes, user=user, reason="Approved")
    return minutes


@transaction.atomic
def action_point_create(
    *,
    minutes: Minutes,
    user: User,
    description: str,
    due_date: date,
    owner: Party | None = None,
    item: AgendaItem | None = None,
    distribution: str | None = None,
) -> ActionPoint:
    require_secretariat(user, "record action points")
    minutes = _locked(minutes)
    _require_open(minutes, "add action points")
    if item is not None:
        _item_of(minutes, item)
    if owner is not None:
        _attendance_of(minutes, owner)
    if distribution is None:
        distribution = (
            _distribution_for(item, None) if item is not None else Distribution.PARTICIPANTS
        )
    elif distribution == Distribution.DELEGATION:
        raise ApplicationError(
            "An action point is part of the record; it cannot be limited to one delegation.",
            fields={"distribution": ["Choose public, participants, seat-holders or secretariat."]},
        )
    check_choice(distribution, Distribution, field="distribution", label="Distribution")
    point = ActionPoint.objects.create(
        minutes=minutes,
        item=item,
        owner=owner,
        description=clean_text(description, field="description", label="The action"),
        due_date=due_date,
        distribution=distribution,
        created_by=user,
    )
    _revise_if_circulated(minutes, user=user, reason="Action point added")
    return point


@transaction.atomic
def action_point_update_status(
    *, action_point: ActionPoint, user: User, status: str
) -> ActionPoint:
    """Mark an action point done (or open again): the secretariat or the owning delegation."""
    check_choice(status, ActionPoint.Status, field="status", label="Status")
    point = (
        ActionPoint.objects.select_for_update(of=("self",))
        .select_related("owner")
        .get(pk=action_point.pk)
    )
    if not is_secretariat(user):
        if point.owner is None:
            raise ApplicationError("Only the secretariat follows up its own action points.")
        require_delegate(user, point.owner, "update this action point")
    if point.status == status:
        return point
    point.status = status
    point.done_at = timezone.now() if status == ActionPoint.Status.DONE else None
    point.save(update_fields=["status", "done_at", "updated_at"])
    return point

"""Circulation, amendments and approval of the minutes.

While circulated, attending delegations propose amendments that the
secretariat accepts or rejects with a reason; circulation, each accepted
amendment and approval keep a revision. Approval locks the record.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.validation import clean_text
from members.models import Party
from minutes.models import Amendment, Minutes, MinutesRevision, Statement
from minutes.services.rules import (
    attendance_of,
    locked_minutes,
    require_delegate,
    require_open,
    revise,
)


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, user: Actor) -> Minutes:
    require_secretariat(user, gettext("circulate minutes"))
    minutes = locked_minutes(minutes)
    if minutes.status != Minutes.Status.DRAFT:
        raise ApplicationError(
            gettext("The minutes of %(number)s are already %(status)s; only a draft is circulated.")
            % {"number": minutes.session.number, "status": minutes.get_status_display().lower()}
        )
    if not Statement.objects.filter(minutes=minutes).exists():
        raise ApplicationError(
            gettext("The minutes record no statement yet; there is nothing to circulate.")
        )
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.save(update_fields=["status", "circulated_at", "updated_at"])
    revise(minutes, user=user, reason=MinutesRevision.Reason.CIRCULATED)
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=minutes,
        summary=f"The minutes of {minutes.session.number} were circulated.",
    )
    return minutes


@transaction.atomic
def amendment_propose(
    *,
    minutes: Minutes,
    party: Party,
    user: Actor,
    text: str,
    statement: Statement | None = None,
    rationale: str = "",
) -> Amendment:
    """An attending delegation proposes a correction while the minutes are circulated."""
    require_delegate(user, party, gettext("propose amendments on its behalf"))
    minutes = locked_minutes(minutes)
    require_open(minutes, gettext("propose amendments"))
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ApplicationError(
            gettext(
                "The minutes of %(number)s are not circulated yet; amendments are proposed "
                "once they are."
            )
            % {"number": minutes.session.number}
        )
    attendance_of(minutes, party)
    if statement is not None and statement.minutes_id != minutes.pk:
        raise ApplicationError(
            gettext("That statement belongs to other minutes."),
            fields={"statement": [gettext("Choose a statement of these minutes.")]},
        )
    return Amendment.objects.create(
        minutes=minutes,
        statement=statement,
        party=party,
        text=clean_text(text, field="text", label=gettext("The amended text")),
        rationale=(rationale or "").strip(),
        proposed_by=signed_in(user),
    )


@transaction.atomic
def amendment_decide(*, amendment: Amendment, user: Actor, accept: bool, reason: str) -> Amendment:
    """The secretariat accepts or rejects a proposed amendment, giving its reason."""
    require_secretariat(user, gettext("decide on amendments"))
    minutes = locked_minutes(amendment.minutes)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    require_open(minutes, gettext("change them"))
    if amendment.status != Amendment.Status.PROPOSED:
        raise ApplicationError(
            gettext("This amendment was already %(status)s.")
            % {"status": amendment.get_status_display().lower()}
        )
    amendment.decision_reason = clean_text(reason, field="reason", label=gettext("The reason"))
    amendment.status = Amendment.Status.ACCEPTED if accept else Amendment.Status.REJECTED
    amendment.decided_by = signed_in(user)
    amendment.decided_at = timezone.now()
    amendment.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    if accept:
        if amendment.statement_id is not None:
            Statement.objects.filter(pk=amendment.statement_id).update(
                summary=amendment.text, updated_at=amendment.decided_at
            )
        revise(minutes, user=user, reason=MinutesRevision.Reason.AMENDMENT_ACCEPTED)
    return amendment


@transaction.atomic
def minutes_approve(*, minutes: Minutes, user: Actor) -> Minutes:
    """Approve circulated minutes; from now on the record is locked."""
    require_secretariat(user, gettext("approve minutes"))
    minutes = locked_minutes(minutes)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ApplicationError(
            gettext(
                "The minutes of %(number)s are %(status)s; only circulated minutes are approved."
            )
            % {"number": minutes.session.number, "status": minutes.get_status_display().lower()}
        )
    pending = Amendment.objects.filter(minutes=minutes, status=Amendment.Status.PROPOSED).count()
    if pending:
        raise ApplicationError(
            ngettext(
                "%(count)d proposed amendment awaits a decision; decide it before approving.",
                "%(count)d proposed amendments await a decision; decide them before approving.",
                pending,
            )
            % {"count": pending}
        )
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = signed_in(user)
    minutes.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    revise(minutes, user=user, reason=MinutesRevision.Reason.APPROVED)
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=minutes,
        summary=f"The minutes of {minutes.session.number} were approved.",
    )
    return minutes

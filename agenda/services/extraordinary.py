"""Extraordinary sessions: a seat-holder's request, and the secretariat convening one
within 72 hours (invitations and notices go out at once)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agenda.models import ExtraordinaryRequest, Session
from agenda.services.notifications import session_delegates_notify, worded
from agenda.services.sessions import session_create, session_invite_table, session_times_check
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import Distribution, current_memberships, is_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.quarters import Quarter
from consult.times import utc_text
from members.models import DelegationMembership, Party

EXTRAORDINARY_NOTICE = timedelta(hours=72)


def _check_request_author(
    *, user: Actor, party: Party | None, at: datetime
) -> DelegationMembership:
    from members.selectors.seats import seat_holder_parties

    memberships = list(current_memberships(user, at=at).select_related("delegation__party"))
    if party is not None:
        memberships = [m for m in memberships if m.delegation.party_id == party.pk]
    if not memberships:
        raise ApplicationError(
            _(
                "Only the head of a seat-holder's delegation may request an extraordinary "
                "session; you are not a current member of a delegation."
            )
        )
    heads = [m for m in memberships if m.role == DelegationMembership.Role.HEAD]
    if not heads:
        roles = ", ".join(
            _("%(role)s of %(party)s")
            % {"role": m.get_role_display(), "party": m.delegation.party.code}
            for m in memberships
        )
        raise ApplicationError(
            _(
                "Only the head of delegation may request an extraordinary session; "
                "you are %(roles)s."
            )
            % {"roles": roles}
        )
    quarter = Quarter.of(at)
    holder_ids = set(seat_holder_parties(quarter=quarter).values_list("pk", flat=True))
    for head in heads:
        if head.delegation.party_id in holder_ids:
            return head
    names = ", ".join(h.delegation.party.display_name for h in heads)
    raise ApplicationError(
        _(
            "%(parties)s holds no seat in %(quarter)s; only seat-holders may request an "
            "extraordinary session."
        )
        % {"parties": names, "quarter": quarter}
    )


@transaction.atomic
def extraordinary_request_create(
    *,
    user: Actor,
    reason: str,
    party: Party | None = None,
    alert_raised_at: datetime | None = None,
    alert_about: str = "",
    now: datetime | None = None,
) -> ExtraordinaryRequest:
    """A seat-holder's head of delegation asks for an extraordinary session, with a reason.

    A request made from a crisis alert gives the alert's text as ``reason``, with when it was
    raised and the title of its crisis: the request names the alert in each reader's
    language (``ExtraordinaryRequest.display_reason``)."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Give the reason for the extraordinary session."),
            fields={"reason": [_("Required.")]},
        )
    head = _check_request_author(user=user, party=party, at=now)
    requesting = head.delegation.party
    pending = (
        ExtraordinaryRequest.objects.select_for_update()
        .filter(party=requesting, status=ExtraordinaryRequest.Status.PENDING)
        .first()
    )
    if pending is not None:
        raise ApplicationError(
            _(
                "%(party)s already has a pending request (made %(date)s); "
                "the secretariat is considering it."
            )
            % {"party": requesting.display_name, "date": utc_text(pending.created_at, "d F Y H:i")}
        )
    return ExtraordinaryRequest.objects.create(
        party=requesting,
        requested_by=signed_in(user),
        reason=reason,
        alert_raised_at=alert_raised_at,
        alert_about=alert_about,
    )


@transaction.atomic
def session_convene_extraordinary(
    *,
    user: Actor,
    starts_at: datetime,
    ends_at: datetime,
    venue: str,
    reason: str,
    venue_timezone: str = "Europe/Vienna",
    title: str = "",
    request: ExtraordinaryRequest | None = None,
    distribution: str = Distribution.PARTICIPANTS,
    now: datetime | None = None,
) -> Session:
    """Convene an extraordinary session within 72 hours; invitations and notices go out at once."""
    if user is None or not is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat may convene an extraordinary session."))
    now = now or timezone.now()
    session_times_check(starts_at=starts_at, ends_at=ends_at, venue_timezone=venue_timezone)
    if starts_at <= now:
        raise ApplicationError(
            _("An extraordinary session cannot start in the past."),
            fields={"starts_at": [_("In the past.")]},
        )
    if starts_at - now > EXTRAORDINARY_NOTICE:
        hours = int((starts_at - now).total_seconds() // 3600)
        raise ApplicationError(
            ngettext(
                "An extraordinary session is convened to start within 72 hours; "
                "this one would start in %(hours)s hour. Plan a regular session instead.",
                "An extraordinary session is convened to start within 72 hours; "
                "this one would start in %(hours)s hours. Plan a regular session instead.",
                hours,
            )
            % {"hours": hours},
            fields={"starts_at": [_("More than 72 hours away.")]},
        )
    if request is not None:
        request = ExtraordinaryRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ExtraordinaryRequest.Status.PENDING:
            raise ApplicationError(
                _("This request is already %(status)s.")
                % {"status": request.get_status_display().lower()}
            )
    reason = reason.strip() or (request.reason if request else "")
    if not reason:
        raise ApplicationError(
            _("Give the reason for convening."), fields={"reason": [_("Required.")]}
        )
    session = session_create(
        kind=Session.Kind.EXTRAORDINARY,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        venue_timezone=venue_timezone,
        title=title,
        distribution=distribution,
        status=Session.Status.SCHEDULED,
        requested_by=request.party if request else None,
        request_reason=reason,
        user=user,
    )
    if request is not None:
        request.status = ExtraordinaryRequest.Status.CONVENED
        request.session = session
        request.save(update_fields=["status", "session"])
    session_invite_table(session=session)
    session_delegates_notify(
        session=session,
        key="convened",
        subject=worded(
            lambda: _("Extraordinary session convened: %(number)s") % {"number": session.number}
        ),
        intro=worded(
            lambda: (
                _("The secretariat convenes an extraordinary session.\n\nReason: %(reason)s")
                % {"reason": reason}
            )
        ),
    )
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=session,
        summary=f"Convened extraordinary session {session.number}.",
    )
    return session

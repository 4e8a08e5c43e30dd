"""Invitations of parties to sessions and items, and the object grants they carry.

Grants are derived, never edited by hand: after every change to a party's
invitations for a session, ``invitation_grants_sync`` recomputes the grants
that party's delegation group should hold on that session and its items from
all of the party's non-revoked invitations, and writes exactly those. Two
invitations of one party (the whole session, and ad hoc for one item) thus
never strip each other's grants, and revoking one leaves the other intact.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import AgendaItem, AgendaItemGrant, Invitation, Session, SessionGrant
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.services.notifications import worded
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import (
    ATTEND_ITEM,
    ATTEND_SESSION,
    SIT_SESSION,
    VIEW_SESSION,
    current_memberships,
    forget_readings,
    is_secretariat,
    require_secretariat,
)
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.parallel import served_title
from consult.quarters import Quarter
from consult.times import utc_text
from consult.validation import check_choice
from members.models import Delegation, Party
from notices.services.notifications import notifications_create

GRANTING_STATUSES = (
    Invitation.Status.SENT,
    Invitation.Status.ACCEPTED,
    Invitation.Status.DECLINED,
)
FINISHED_SESSION_STATUSES = (Session.Status.CLOSED, Session.Status.CANCELLED)


def _permission(model: type[models.Model], codename: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model), codename=codename
    )


def _widest(current: datetime | None, until: datetime | None) -> datetime | None:
    """The later of two ends of validity; None means without end."""
    if current is None or until is None:
        return None
    return max(current, until)


def _delegation_group(party: Party) -> Group:
    try:
        return party.delegation.group
    except Delegation.DoesNotExist:
        raise ApplicationError(
            _("%(party)s has no delegation yet; set one up before inviting it.")
            % {"party": party.display_name}
        ) from None


def _is_seat_holder(*, party: Party, quarter: str) -> bool:
    from members.selectors.seats import seat_holder_parties

    return seat_holder_parties(quarter=Quarter.parse(quarter)).filter(pk=party.pk).exists()


def invitation_grants_sync(*, session: Session, party: Party) -> None:
    """Make the party's delegation hold exactly the grants its live invitations give."""
    group = _delegation_group(party)
    invitations = list(
        Invitation.objects.filter(session=session, party=party, status__in=GRANTING_STATUSES)
    )
    session_wanted: dict[str, datetime | None] = {}
    item_wanted: dict[int, datetime | None] = {}

    def want(store: dict[Any, datetime | None], key: Any, until: datetime | None) -> None:
        store[key] = _widest(store[key], until) if key in store else until

    sits: bool | None = None
    for invitation in invitations:
        until = invitation.valid_until
        if invitation.kind == Invitation.Kind.MEMBER:
            want(session_wanted, ATTEND_SESSION, until)
            if sits is None:
                sits = _is_seat_holder(party=party, quarter=session.quarter)
            if sits:
                want(session_wanted, SIT_SESSION, until)
        elif invitation.kind == Invitation.Kind.AD_HOC and invitation.item_id is not None:
            want(item_wanted, invitation.item_id, until)
            want(session_wanted, VIEW_SESSION, until)
        else:
            want(session_wanted, ATTEND_SESSION, until)

    session_perms = {
        codename: _permission(Session, codename)
        for codename in (ATTEND_SESSION, SIT_SESSION, VIEW_SESSION)
    }
    SessionGrant.objects.filter(
        group=group, content_object=session, permission__in=session_perms.values()
    ).exclude(permission__codename__in=list(session_wanted)).delete()
    for codename, until in session_wanted.items():
        SessionGrant.objects.update_or_create(
            group=group,
            content_object=session,
            permission=session_perms[codename],
            defaults={"valid_until": until},
        )

    item_perm = _permission(AgendaItem, ATTEND_ITEM)
    AgendaItemGrant.objects.filter(
        group=group, content_object__session=session, permission=item_perm
    ).exclude(content_object_id__in=list(item_wanted)).delete()
    for item_id, until in item_wanted.items():
        AgendaItemGrant.objects.update_or_create(
            group=group,
            content_object_id=item_id,
            permission=item_perm,
            defaults={"valid_until": until},
        )
    forget_readings()


def _live_duplicate(*, session: Session, party: Party, item: AgendaItem | None) -> str | None:
    live = Invitation.objects.filter(session=session, party=party).exclude(
        status=Invitation.Status.REVOKED
    )
    whole = live.filter(item__isnull=True).first()
    if whole is not None:
        return _(
            "%(party)s is already invited to the whole of %(session)s (%(kind)s, %(status)s)."
        ) % {
            "party": party.display_name,
            "session": session.number,
            "kind": whole.get_kind_display().lower(),
            "status": whole.get_status_display().lower(),
        }
    if item is not None:
        same_item = live.filter(item=item).first()
        if same_item is not None:
            return _(
                "%(party)s is already invited to item %(order)s of %(session)s (%(status)s)."
            ) % {
                "party": party.display_name,
                "order": item.order,
                "session": session.number,
                "status": same_item.get_status_display().lower(),
            }
    return None


@transaction.atomic
def invitation_create(
    *,
    session: Session,
    party: Party,
    kind: str,
    user: Actor | None,
    item: AgendaItem | None = None,
    reason: str = "",
    reason_code: str = "",
    valid_until: datetime | None = None,
    notify: bool = True,
) -> Invitation:
    """Invite a party to a session (or, ad hoc, to one item) and grant its delegation access.

    ``reason`` is a person's, kept as typed; ``reason_code`` one of the reasons the platform
    gives itself (``Invitation.ReasonCode``), worded in each reader's language when read."""
    require_secretariat(user, _("invite parties"))
    if kind not in Invitation.Kind.values:
        raise ApplicationError(
            _("Unknown invitation kind %(kind)r.") % {"kind": kind},
            fields={"kind": [_("Unknown.")]},
        )
    if reason_code:
        check_choice(reason_code, Invitation.ReasonCode, field="reason_code", label=_("Reason"))
    # Invitations to one session are serialised so the duplicate check holds.
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status in FINISHED_SESSION_STATUSES:
        raise ApplicationError(
            _("%(session)s is %(status)s; it takes no more invitations.")
            % {"session": session.number, "status": session.get_status_display().lower()}
        )
    if item is not None and item.session_id != session.pk:
        raise ApplicationError(
            _("Item %(order)s belongs to another session.") % {"order": item.order},
            fields={"item": [_("Wrong session.")]},
        )
    if item is not None and kind != Invitation.Kind.AD_HOC:
        raise ApplicationError(
            _("Only an ad hoc invitation can be limited to one item."),
            fields={"item": [_("Leave empty for a member or observer invitation.")]},
        )
    if valid_until is not None and valid_until <= timezone.now():
        raise ApplicationError(
            _("The invitation would already have expired; choose a later end of validity."),
            fields={"valid_until": [_("In the past.")]},
        )
    _delegation_group(party)
    duplicate = _live_duplicate(session=session, party=party, item=item)
    if duplicate:
        raise ApplicationError(duplicate, fields={"party": [duplicate]})
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                session=session,
                party=party,
                item=item,
                kind=kind,
                reason=reason,
                reason_code=reason_code,
                valid_until=valid_until,
            )
    except IntegrityError:
        raise ApplicationError(
            _("%(party)s is already invited to %(session)s.")
            % {"party": party.display_name, "session": session.number},
            fields={"party": [_("Already invited.")]},
        ) from None
    invitation_grants_sync(session=session, party=party)
    if notify:
        from members.selectors.delegations import delegation_users

        notifications_create(
            session=session,
            users=delegation_users(party_ids=[party.pk]),
            key=f"invitation-{invitation.pk}",
            subject=worded(lambda: _invitation_subject(invitation)),
            body=worded(lambda: _invitation_body(invitation)),
        )
    scope = f"item {item.order} of " if item is not None else ""
    audit_record(
        kind=AuditEntry.Kind.INVITATION,
        user=user,
        obj=invitation,
        summary=f"Invited {party.code} to {scope}{session.number} as {kind}.",
    )
    return invitation


def _invitation_subject(invitation: Invitation) -> str:
    """The invitation notice's subject, in the active language."""
    item = invitation.item
    if item is None:
        return _("Invitation to %(session)s") % {"session": invitation.session.number}
    return _("Invitation to item %(order)s (%(title)s) of %(session)s") % {
        "order": item.order,
        "title": served_title(item, AGENDA_ITEM_PARALLEL),
        "session": invitation.session.number,
    }


def _invitation_body(invitation: Invitation) -> str:
    """The invitation notice's text, in the active language; the secretariat's reason is
    quoted as it was written, the planner's worded in that language."""
    item = invitation.item
    values = {
        "party": invitation.party.display_name,
        "session": invitation.session.number,
        "kind": invitation.get_kind_display().lower(),
    }
    if item is None:
        invites = (
            _("The secretariat invites the delegation of %(party)s to %(session)s as %(kind)s.")
            % values
        )
    else:
        invites = _(
            "The secretariat invites the delegation of %(party)s to item %(order)s (%(title)s) "
            "of %(session)s as %(kind)s."
        ) % {**values, "order": item.order, "title": served_title(item, AGENDA_ITEM_PARALLEL)}
    paragraphs = [
        invites,
        invitation.display_reason,
        _("Please accept or decline on the platform."),
    ]
    return "\n\n".join(p for p in paragraphs if p)


def invitation_closed_reason(invitation: Invitation) -> str | None:
    """Why ``invitation`` can no longer be answered by anyone (revoked, its session held
    or over, expired), or None while it can: the page offers its answers only then."""
    if invitation.status == Invitation.Status.REVOKED:
        return _("This invitation was revoked by the secretariat.")
    if invitation.session.status in (*FINISHED_SESSION_STATUSES, Session.Status.HELD):
        return _("%(session)s is %(status)s; the invitation can no longer be answered.") % {
            "session": invitation.session.number,
            "status": invitation.session.get_status_display().lower(),
        }
    if invitation.valid_until is not None and invitation.valid_until <= timezone.now():
        return _("This invitation expired on %(date)s.") % {
            "date": utc_text(invitation.valid_until, "d F Y H:i")
        }
    return None


def _require_answerable(invitation: Invitation, user: Actor) -> None:
    if not is_secretariat(user) and not (
        current_memberships(user).filter(delegation__party_id=invitation.party_id).exists()
    ):
        raise PermissionDenied(_("Only the invited party's delegation may answer this invitation."))
    reason = invitation_closed_reason(invitation)
    if reason is not None:
        raise ApplicationError(reason)


def _answer(*, invitation: Invitation, user: Actor, status: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=invitation.pk)
    )
    _require_answerable(invitation, user)
    if invitation.status == status:
        raise ApplicationError(
            _("This invitation is already %(status)s.")
            % {"status": invitation.get_status_display().lower()}
        )
    invitation.status = status
    invitation.responded_by = signed_in(user)
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_by", "responded_at", "updated_at"])
    audit_record(
        kind=AuditEntry.Kind.INVITATION,
        user=user,
        obj=invitation,
        summary=f"Invitation of {invitation.party.code} to {invitation.session.number} {status}.",
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Actor) -> Invitation:
    """The party's delegation (or the secretariat on its note) accepts."""
    return _answer(invitation=invitation, user=user, status=Invitation.Status.ACCEPTED)


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: Actor) -> Invitation:
    """The party will not take part; its delegation keeps reading until the secretariat revokes."""
    return _answer(invitation=invitation, user=user, status=Invitation.Status.DECLINED)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user: Actor) -> Invitation:
    """Withdraw an invitation and its grants; the delegation's next request is refused."""
    require_secretariat(user, _("revoke invitations"))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.REVOKED:
        raise ApplicationError(_("This invitation is already revoked."))
    invitation.status = Invitation.Status.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_at", "updated_at"])
    invitation_grants_sync(session=invitation.session, party=invitation.party)
    audit_record(
        kind=AuditEntry.Kind.INVITATION,
        user=user,
        obj=invitation,
        summary=f"Revoked the invitation of {invitation.party.code} "
        f"to {invitation.session.number}.",
    )
    return invitation

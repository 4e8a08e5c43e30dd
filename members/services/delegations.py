"""Delegations, their members, and the accreditation of non-standing delegates.

Access follows the membership and accreditation dates (``consult.access``), so
ending a membership or revoking an accreditation takes effect on the next
request. The delegation group's user list mirrors memberships that have not
ended, for guardian and the admin.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext

from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import forget_readings, is_secretariat, live_grant_q
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.times import utc_text
from members.models import Accreditation, Delegation, DelegationMembership, Party
from members.selectors.parties import party_title

Role = DelegationMembership.Role


def delegation_group_name(party: Party) -> str:
    return f"delegation:{party.code}"


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _party_after_of(party: Party) -> str:
    """The party as it reads after "the delegation of": "the United States" in English,
    the party's own name in the reader's language otherwise."""
    return party_title(party) if (get_language() or "en").startswith("en") else party.display_name


@transaction.atomic
def delegation_create(*, party: Party, is_standing: bool = True) -> Delegation:
    """A party's delegation and the group its grants go to."""
    if Delegation.objects.filter(party=party).exists():
        raise ApplicationError(
            gettext("%(party)s already has a delegation.") % {"party": party.display_name}
        )
    group, _ = Group.objects.get_or_create(name=delegation_group_name(party))
    if Delegation.objects.filter(group=group).exists():
        raise ApplicationError(
            gettext("The group %(group)s already belongs to another delegation.")
            % {"group": group.name}
        )
    return Delegation.objects.create(party=party, group=group, is_standing=is_standing)


@transaction.atomic
def delegation_second_factor_require(*, delegation: Delegation, required: bool) -> Delegation:
    """Whether its delegates must log in with a second factor (from their next login)."""
    delegation.requires_second_factor = required
    delegation.save(update_fields=["requires_second_factor"])
    return delegation


def _overlapping(start: datetime, end: datetime | None) -> Q:
    """Memberships whose period meets [start, end)."""
    rule = live_grant_q(at=start)
    if end is not None:
        rule &= Q(valid_from__lt=end)
    return rule


def _sync_group(delegation: Delegation, user: User, *, at: datetime) -> None:
    """Keep the user in the delegation's group while any membership of it has not ended."""
    open_membership = DelegationMembership.objects.filter(
        live_grant_q(at=at), delegation=delegation, user=user
    ).exists()
    if open_membership:
        user.groups.add(delegation.group)
    else:
        user.groups.remove(delegation.group)
    forget_readings()


@transaction.atomic
def delegation_member_add(
    *,
    delegation: Delegation,
    user: User,
    role: str,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> DelegationMembership:
    """Add a delegate; a person belongs to one delegation at a time, a delegation has one head."""
    if role not in Role.values:
        raise ApplicationError(
            gettext("Unknown role %(role)s; choose head, deputy, adviser or expert.")
            % {"role": repr(role)},
            fields={"role": [gettext("Unknown role.")]},
        )
    now = timezone.now()
    valid_from = valid_from or now
    if valid_until is not None and valid_until <= valid_from:
        raise ApplicationError(
            gettext("A membership must end after it starts."),
            fields={"valid_until": [gettext("Before the start.")]},
        )
    # Lock the person so that two concurrent additions cannot both pass the checks.
    user = type(user).objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ApplicationError(
            gettext("%(person)s's account is deactivated.") % {"person": _person(user)}
        )
    clash = (
        DelegationMembership.objects.filter(_overlapping(valid_from, valid_until), user=user)
        .select_related("delegation__party")
        .first()
    )
    if clash is not None:
        if clash.delegation_id == delegation.pk:
            message = gettext(
                "%(person)s is already a member of this delegation for those dates; "
                "a delegate belongs to one delegation at a time."
            ) % {"person": _person(user)}
        else:
            message = gettext(
                "%(person)s is already a member of the delegation of %(party)s for those dates; "
                "a delegate belongs to one delegation at a time."
            ) % {"person": _person(user), "party": _party_after_of(clash.delegation.party)}
        raise ApplicationError(
            message,
            fields={"user": [gettext("Already in a delegation for those dates.")]},
        )
    if role == Role.HEAD:
        head = (
            DelegationMembership.objects.filter(
                _overlapping(valid_from, valid_until), delegation=delegation, role=Role.HEAD
            )
            .select_related("user")
            .first()
        )
        if head is not None:
            raise ApplicationError(
                gettext(
                    "The delegation of %(party)s already has a head (%(person)s) for those dates."
                )
                % {"party": _party_after_of(delegation.party), "person": _person(head.user)},
                fields={"role": [gettext("The delegation has a head.")]},
            )
    membership = DelegationMembership.objects.create(
        delegation=delegation, user=user, role=role, valid_from=valid_from, valid_until=valid_until
    )
    _sync_group(delegation, user, at=now)
    audit_record(
        kind=AuditEntry.Kind.GRANT,
        obj=membership,
        summary=f"Added {user.get_username()} to the delegation of {delegation.party.code} "
        f"as {role}.",
    )
    return membership


@transaction.atomic
def delegation_member_end(
    *, membership: DelegationMembership, at: datetime | None = None
) -> DelegationMembership:
    """End a membership at ``at`` (now by default): access ends with it."""
    now = timezone.now()
    at = at or now
    membership = (
        DelegationMembership.objects.select_for_update()
        .select_related("delegation__group", "user")
        .get(pk=membership.pk)
    )
    if membership.valid_until is not None and membership.valid_until <= at:
        raise ApplicationError(
            gettext("This membership already ended on %(when)s.")
            % {"when": utc_text(membership.valid_until, "Y-m-d H:i")}
        )
    if at <= membership.valid_from:
        raise ApplicationError(
            gettext("A membership cannot end before it starts (%(start)s).")
            % {"start": utc_text(membership.valid_from, "Y-m-d H:i")},
            fields={"at": [gettext("Before the start.")]},
        )
    membership.valid_until = at
    membership.save(update_fields=["valid_until"])
    _sync_group(membership.delegation, membership.user, at=now)
    audit_record(
        kind=AuditEntry.Kind.GRANT,
        obj=membership,
        summary=f"Ended {membership.user.get_username()}'s membership of the delegation "
        f"{membership.delegation.group.name} at {at:%Y-%m-%d %H:%M} UTC.",
    )
    return membership


@transaction.atomic
def accreditation_grant(
    *,
    delegation: Delegation,
    user: User,
    reference: str,
    valid_from: datetime,
    valid_until: datetime,
    accredited_by: Actor,
) -> Accreditation:
    """Admit a delegate of an ad hoc or observer delegation for a period (on a note verbale)."""
    if not is_secretariat(accredited_by):
        raise PermissionDenied(gettext("Only the secretariat accredits delegates."))
    if valid_until <= valid_from:
        raise ApplicationError(
            gettext("An accreditation must end after it starts."),
            fields={"valid_until": [gettext("Not after the start.")]},
        )
    if delegation.is_standing:
        raise ApplicationError(
            gettext("The delegation of %(party)s is standing; its delegates need no accreditation.")
            % {"party": _party_after_of(delegation.party)}
        )
    reference = reference.strip()
    if not reference:
        raise ApplicationError(
            gettext("Give the note verbale the accreditation answers."),
            fields={"reference": [gettext("Required.")]},
        )
    is_member = DelegationMembership.objects.filter(
        _overlapping(valid_from, valid_until), delegation=delegation, user=user
    ).exists()
    if not is_member:
        raise ApplicationError(
            gettext(
                "%(person)s is not a member of the delegation of %(party)s for those dates; "
                "add them to it first."
            )
            % {"person": _person(user), "party": _party_after_of(delegation.party)},
            fields={"user": [gettext("Not a member of the delegation.")]},
        )
    accreditation = Accreditation.objects.create(
        delegation=delegation,
        user=user,
        reference=reference,
        valid_from=valid_from,
        valid_until=valid_until,
        accredited_by=accredited_by,
    )
    forget_readings()
    audit_record(
        kind=AuditEntry.Kind.ACCREDITATION,
        user=accredited_by,
        obj=accreditation,
        summary=f"Accredited {user.get_username()} to the delegation of {delegation.party.code} "
        f"until {valid_until:%Y-%m-%d} ({reference}).",
    )
    return accreditation


@transaction.atomic
def accreditation_revoke(*, accreditation: Accreditation, revoked_by: Actor) -> Accreditation:
    """Withdraw an accreditation now; the delegate's next request is refused."""
    if not is_secretariat(revoked_by):
        raise PermissionDenied(gettext("Only the secretariat revokes accreditations."))
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if accreditation.revoked_at is not None:
        raise ApplicationError(
            gettext("This accreditation was already revoked on %(when)s.")
            % {"when": utc_text(accreditation.revoked_at, "Y-m-d H:i")}
        )
    accreditation.revoked_at = timezone.now()
    accreditation.revoked_by = revoked_by
    accreditation.save(update_fields=["revoked_at", "revoked_by"])
    forget_readings()
    audit_record(
        kind=AuditEntry.Kind.ACCREDITATION,
        user=revoked_by,
        obj=accreditation,
        summary=f"Revoked accreditation {accreditation.reference}.",
    )
    return accreditation

"""Delegations, their current members as a reader may see them, and accreditations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from consult.access import (
    active_party_ids,
    live_accreditation_exists,
    live_membership_q,
    reads_as_secretariat,
)
from consult.actors import Actor
from members.models import Accreditation, Delegation, DelegationMembership


def delegation_member_list(
    *, user: Actor, at: datetime | None = None
) -> QuerySet[DelegationMembership]:
    """Current memberships ``user`` may see: all of them for the secretariat and for
    the delegation's own members; only heads of delegation for everyone else."""
    at = at or timezone.now()
    members = (
        DelegationMembership.objects.filter(live_membership_q(at=at), user__is_active=True)
        .select_related("user", "delegation__party")
        .order_by("delegation", "role", "user__last_name", "user__username")
    )
    if not reads_as_secretariat(user):
        members = members.filter(
            Q(role=DelegationMembership.Role.HEAD)
            | Q(delegation__party_id__in=active_party_ids(user, at=at))
        )
    return members


def delegation_list(*, user: Actor, at: datetime | None = None) -> QuerySet[Delegation]:
    """Delegations with ``visible_members``, the current memberships ``user`` may see."""
    return Delegation.objects.select_related("party", "group").prefetch_related(
        Prefetch(
            "memberships",
            queryset=delegation_member_list(user=user, at=at),
            to_attr="visible_members",
        )
    )


def delegation_get(*, public_id: UUID | str, user: Actor) -> Delegation:
    return delegation_list(user=user).get(public_id=public_id)


def delegation_users(
    *, party_ids: Iterable[int] | QuerySet[Any, Any], at: datetime | None = None
) -> QuerySet[User]:
    """Users with a current membership of these parties' delegations, accredited where
    the delegation is not standing."""
    at = at or timezone.now()
    memberships = DelegationMembership.objects.filter(
        live_membership_q(at=at),
        user=OuterRef("pk"),
        delegation__party_id__in=party_ids,
    ).filter(Q(delegation__is_standing=True) | live_accreditation_exists(at=at))
    return User.objects.filter(Exists(memberships), is_active=True)


def accreditation_list(*, delegation: Delegation | None = None) -> QuerySet[Accreditation]:
    accreditations = Accreditation.objects.select_related("user", "delegation__party")
    if delegation is not None:
        accreditations = accreditations.filter(delegation=delegation)
    return accreditations

"""Accounts and what a person is here: secretariat, analyst, delegate."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import QuerySet

from consult.access import current_memberships, is_analyst, is_secretariat
from consult.actors import Actor
from members.models import Delegation, DelegationMembership


def user_active_list() -> QuerySet[User]:
    """Accounts that may still sign in, by user name."""
    return User.objects.filter(is_active=True).order_by("username")


@dataclass(frozen=True)
class UserRoles:
    is_secretariat: bool
    is_analyst: bool
    memberships: list[DelegationMembership] = field(default_factory=list)

    @property
    def delegations(self) -> list[Delegation]:
        return [membership.delegation for membership in self.memberships]

    @property
    def is_delegate(self) -> bool:
        return bool(self.memberships)


def user_roles(*, user: Actor) -> UserRoles:
    """What ``user`` is here: secretariat, analyst, delegate (memberships giving access now)."""
    if not user.is_authenticated:
        return UserRoles(is_secretariat=False, is_analyst=False)
    memberships = list(
        current_memberships(user)
        .select_related("delegation__party")
        .order_by("delegation__party__name_en")
    )
    return UserRoles(
        is_secretariat=is_secretariat(user),
        is_analyst=is_analyst(user),
        memberships=memberships,
    )

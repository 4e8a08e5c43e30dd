"""What the members app gives the dashboard: the table, the troika, the reader's delegation."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from consult.access import live_accreditation_q
from consult.actors import Actor
from consult.quarters import Quarter
from members.models import Accreditation, ChairTerm, Delegation
from members.selectors.delegations import accreditation_list, delegation_list
from members.selectors.rotation import chair_troika
from members.selectors.seats import SeatRow, seat_rows
from members.selectors.users import UserRoles, user_roles


@dataclass(frozen=True)
class Dashboard:
    quarter: Quarter
    roles: UserRoles
    seats: list[SeatRow]
    troika: list[ChairTerm | None]
    delegations: list[Delegation]
    accreditations: list[Accreditation]


def dashboard_data(*, user: Actor, quarter: Quarter | None = None) -> Dashboard:
    """What the dashboard shows ``user``: the table this quarter, the troika, their delegation."""
    quarter = quarter or Quarter.current()
    roles = user_roles(user=user)
    own_ids = [membership.delegation_id for membership in roles.memberships]
    delegations = list(delegation_list(user=user).filter(pk__in=own_ids))
    accreditations: list[Accreditation] = []
    # Memberships are a signed-in user's only.
    if roles.memberships and isinstance(user, User):
        accreditations = list(
            accreditation_list()
            .filter(live_accreditation_q(at=timezone.now()), user=user)
            .order_by("valid_until")
        )
    return Dashboard(
        quarter=quarter,
        roles=roles,
        seats=seat_rows(quarter=quarter),
        troika=chair_troika(quarter=quarter),
        delegations=delegations,
        accreditations=accreditations,
    )

"""Writes of the members app: keyword-only, atomic, refusing bad input with ApplicationError."""

from members.services.delegations import (
    accreditation_grant,
    accreditation_revoke,
    delegation_create,
    delegation_group_name,
    delegation_member_add,
    delegation_member_end,
    delegation_second_factor_require,
)
from members.services.parties import (
    party_create,
    party_membership_add,
    party_membership_end,
    party_update,
)
from members.services.seats import seat_arrangement_set, seat_create
from members.services.terms import (
    chair_plan,
    rotation_plan,
    rotation_term_create,
    rotation_term_swap,
)
from members.services.users import analyst_affiliation_set, role_groups_ensure, user_create

__all__ = [
    "accreditation_grant",
    "accreditation_revoke",
    "analyst_affiliation_set",
    "chair_plan",
    "delegation_create",
    "delegation_group_name",
    "delegation_member_add",
    "delegation_member_end",
    "delegation_second_factor_require",
    "party_create",
    "party_membership_add",
    "party_membership_end",
    "party_update",
    "role_groups_ensure",
    "rotation_plan",
    "rotation_term_create",
    "rotation_term_swap",
    "seat_arrangement_set",
    "seat_create",
    "user_create",
]

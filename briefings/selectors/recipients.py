"""Who receives a session's briefing pack, and through which delegation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import F, Q
from django.utils import timezone

from agenda.models import AgendaItemGrant, Session, SessionGrant
from consult import access
from consult.actors import Actor
from members.models import Delegation, DelegationMembership, Language, Party
from members.selectors.delegations import delegation_users

SESSION_GRANTS = (access.ATTEND_SESSION, access.SIT_SESSION, access.VIEW_SESSION)


@dataclass(frozen=True, slots=True)
class Recipient:
    user: User
    party: Party
    # The working language the delegate reads in (``members.Profile.language``).
    language: str = Language.EN


def _granted_party_ids(session: Session, at: datetime) -> list[int]:
    live = access.live_grant_q(at=at)
    session_groups = SessionGrant.objects.filter(
        live, content_object=session, permission__codename__in=SESSION_GRANTS
    ).values("group_id")
    item_groups = AgendaItemGrant.objects.filter(
        live, content_object__session=session, permission__codename=access.ATTEND_ITEM
    ).values("group_id")
    return list(
        Delegation.objects.filter(Q(group_id__in=session_groups) | Q(group_id__in=item_groups))
        .order_by("party__code")
        .values_list("party_id", flat=True)
    )


def recipient_list(*, session: Session, at: datetime | None = None) -> list[Recipient]:
    """The delegates of every delegation granted access to the session or one of its items."""
    at = at or timezone.now()
    party_ids = _granted_party_ids(session, at)
    if not party_ids:
        return []
    users = {
        user.pk: user
        for user in delegation_users(party_ids=party_ids, at=at).annotate(
            preferred_language=F("profile__language")
        )
    }
    memberships = (
        DelegationMembership.objects.filter(
            access.live_membership_q(at=at),
            user_id__in=users,
            delegation__party_id__in=party_ids,
        )
        .select_related("delegation__party")
        .order_by("user_id", "delegation__party__code")
    )
    parties: dict[int, Party] = {}
    for membership in memberships:
        parties.setdefault(membership.user_id, membership.delegation.party)
    return [
        Recipient(
            user=users[user_id],
            party=party,
            # No profile yet (no login so far): the default language.
            language=getattr(users[user_id], "preferred_language", None) or Language.EN,
        )
        for user_id, party in sorted(parties.items())
        if user_id in users
    ]


def recipient_party(*, user: Actor, session: Session) -> Party | None:
    """The delegation through which ``user`` receives ``session``'s pack, if any (two queries)."""
    if not user.is_authenticated:
        return None
    party_ids = _granted_party_ids(session, timezone.now())
    membership = (
        access.current_memberships(user)
        .filter(delegation__party_id__in=party_ids)
        .select_related("delegation__party")
        .order_by("delegation__party__code")
        .first()
    )
    return membership.delegation.party if membership is not None else None

"""Reads of invitations: the secretariat's, and each delegation's own."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from agenda.models import Invitation, Session
from agenda.selectors.sessions import LIVE_STATUSES
from consult import access
from consult.actors import Actor
from members.models import Delegation, Party


def invitation_list(
    *,
    user: Actor,
    session_public_id: UUID | str | None = None,
    party: str | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> QuerySet[Invitation]:
    """Invitations the secretariat, or the invited party's current delegation, may read.

    ``party`` is a party code. A delegation reads its parties' invitations
    (``access.reading_party_ids``: current memberships, so an expired
    accreditation hides them too; a delegation's analyst reads its
    delegation's), a list of ids read once per request: as a subquery the
    memberships' four tables made PostgreSQL spend longer planning the page's
    query than running it.
    """
    invitations = Invitation.objects.select_related("session", "party", "item", "responded_by")
    if session_public_id:
        invitations = invitations.filter(session__public_id=session_public_id)
    if party:
        invitations = invitations.filter(party__code=party.upper())
    if kind:
        invitations = invitations.filter(kind=kind)
    if status:
        invitations = invitations.filter(status=status)
    if access.reads_as_secretariat(user):
        return invitations
    return invitations.filter(party_id__in=access.reading_party_ids(user))


def invitation_get(*, user: Actor, public_id: UUID | str) -> Invitation:
    """One invitation the caller may read, or 404 exactly as for a missing one."""
    try:
        return invitation_list(user=user).get(public_id=public_id)
    except (Invitation.DoesNotExist, ValueError) as exc:
        raise Http404("Not found.") from exc


def invited_party_list(*, user: Actor, session: Session) -> QuerySet[Party]:
    """Parties whose invitation to the session (or one of its items) the caller reads and
    which was neither revoked nor declined, by English name: those who may attend."""
    live = (
        invitation_list(user=user)
        .filter(session=session)
        .exclude(status__in=[Invitation.Status.REVOKED, Invitation.Status.DECLINED])
    )
    return Party.objects.filter(pk__in=live.values("party")).order_by("name_en")


def accreditable_delegation_list(*, user: Actor, session: Session) -> QuerySet[Delegation]:
    """Delegations of ad hoc and observer parties the caller reads a live invitation of
    to the session: those whose delegates the secretariat accredits for it."""
    invited = invitation_list(user=user).filter(
        session=session, party=OuterRef("party"), status__in=LIVE_STATUSES
    )
    return (
        Delegation.objects.filter(is_standing=False)
        .filter(Exists(invited))
        .select_related("party")
        .order_by("party__code")
    )

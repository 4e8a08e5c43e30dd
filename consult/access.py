"""The confidentiality rule (DESIGN.md §5), in one place.

Every page, API endpoint, export, feed, PDF and search result reads through
``visible()``: it turns the rule into one SQL expression over the direct
foreign-key guardian grants of the caller's delegation groups (read once per
request, see ``_reader``), so lists and single objects are filtered
identically and no row is checked in Python.

Selectors hand their queryset in and say which fields hold the distribution,
the session, the agenda item and the owning party. This module reads
``members`` (who belongs to which delegation, who is accredited) and nothing
above it; the grant models are found through guardian from the session and
item models.

Grants (made and withdrawn only by services):

- ``attend_session`` on a session: the delegation was invited to the whole
  session (member or observer). Opens ``participants`` material.
- ``sit_session`` on a session: the delegation holds a seat that quarter.
  Opens ``seat_holders`` material.
- ``view_session`` on a session: an ad hoc party sees the session itself, and
  nothing else at session level.
- ``attend_agendaitem`` on an item: an ad hoc party invited for that item
  reads its ``participants`` material.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase
from guardian.utils import get_group_obj_perms_model

from members.models import Accreditation, DelegationMembership

SECRETARIAT_GROUP = "secretariat"
ANALYST_GROUP = "analysts"

ATTEND_SESSION = "attend_session"
SIT_SESSION = "sit_session"
VIEW_SESSION = "view_session"
ATTEND_ITEM = "attend_agendaitem"

User = Any  # an authenticated user or AnonymousUser


class Distribution(models.TextChoices):
    PUBLIC = "public", "Public"
    PARTICIPANTS = "participants", "Participants"
    SEAT_HOLDERS = "seat_holders", "Seat-holders"
    DELEGATION = "delegation", "Delegation only"
    SECRETARIAT = "secretariat", "Secretariat only"


class ExpiringGroupGrant(GroupObjectPermissionBase):
    """A guardian direct-FK group grant that lapses at ``valid_until`` (an invitation's)."""

    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True


def _group_names(user: User) -> frozenset[str]:
    cached = getattr(user, "_consult_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._consult_group_names = cached
    return cached


def is_secretariat(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return SECRETARIAT_GROUP in _group_names(user)


def is_analyst(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return ANALYST_GROUP in _group_names(user)


def current_memberships(
    user: User, *, at: datetime | None = None
) -> QuerySet[DelegationMembership]:
    """Memberships giving access now: current dates, accredited where the delegation is ad hoc."""
    at = at or timezone.now()
    accredited = Accreditation.objects.filter(
        user=OuterRef("user"),
        delegation=OuterRef("delegation"),
        valid_from__lte=at,
        valid_until__gt=at,
        revoked_at__isnull=True,
    )
    return DelegationMembership.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=at),
        user_id=user.pk,
        user__is_active=True,
        valid_from__lte=at,
    ).filter(Q(delegation__is_standing=True) | Exists(accredited))


def active_group_ids(user: User, *, at: datetime | None = None) -> QuerySet:
    """A subquery of the delegation groups the user reads through right now."""
    return current_memberships(user, at=at).values("delegation__group_id")


def active_party_ids(user: User, *, at: datetime | None = None) -> QuerySet:
    return current_memberships(user, at=at).values("delegation__party_id")


@dataclass(frozen=True, slots=True)
class _Reader:
    """The delegations a user reads through: their groups and their parties."""

    groups: tuple[int, ...]
    parties: tuple[int, ...]


def _reader(user: User, at: datetime | None) -> _Reader:
    """The caller's current delegations, read in one query.

    Kept on the user object, as Django's ModelBackend keeps ``_perm_cache``:
    a request (or a task) loads its user afresh, so an ended membership takes
    effect on the next request, while every list, prefetch and export within
    the request filters by literal ids instead of building and planning the
    membership subquery again in each branch of the rule. The grants
    themselves are read in the same SQL as the rows, so a withdrawn
    invitation takes effect on the very next query. A reading at another
    moment than now is never kept.
    """
    if at is None:
        cached = getattr(user, "_consult_reader", None)
        if cached is not None:
            return cast(_Reader, cached)
    rows = list(
        current_memberships(user, at=at).values_list("delegation__group_id", "delegation__party_id")
    )
    reader = _Reader(
        groups=tuple(sorted({group for group, _party in rows})),
        parties=tuple(sorted({party for _group, party in rows})),
    )
    if at is None:
        user._consult_reader = reader
    return reader


def _related_model(model: type[models.Model], path: str) -> type[models.Model]:
    if path == "pk":
        return model
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model


def _granted(
    target_model: type[models.Model],
    target_path: str,
    codename: str,
    groups: tuple[int, ...],
    at: datetime,
) -> Q:
    """Rows whose session (or item) at ``target_path`` the groups hold a live grant on.

    Written as an uncorrelated ``IN (grants)`` rather than a correlated EXISTS:
    inside the OR of the rule, PostgreSQL runs it once as a hashed subplan
    instead of once per row.
    """
    # guardian accepts a model class as well as an instance here.
    grant_model = get_group_obj_perms_model(cast(Any, target_model))
    if grant_model._meta.abstract or not hasattr(grant_model, "valid_until"):
        raise TypeError(f"{target_model.__name__} has no direct-FK expiring group grant model.")
    if not groups:
        return Q(pk__in=[])
    grants = grant_model._default_manager.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=at),
        permission__codename=codename,
        group_id__in=groups,
    ).values("content_object_id")
    return Q(**{f"{target_path}__in": grants})


def visible_q(
    model: type[models.Model],
    user: User,
    *,
    distribution: str | None = "distribution",
    session: str | None = "session",
    item: str | None = None,
    owner: str | None = None,
    session_view: bool = False,
    at: datetime | None = None,
) -> Q:
    """The rule as one Q over ``model``'s rows.

    ``distribution``: field holding the row's distribution (None: the row is
    ``participants`` material, e.g. a session itself). ``session``/``item``:
    paths to the session and agenda item (``"pk"`` for the row itself).
    ``owner``: path to the owning party (None: the secretariat owns it).
    ``session_view``: an ad hoc party's ``view_session`` grant also opens it
    (sessions themselves, not their papers).
    """
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        if distribution is None:
            return Q(pk__in=[])
        return Q(**{distribution: Distribution.PUBLIC})

    reader = _reader(user, at)
    at = at or timezone.now()
    secretariat = is_secretariat(user)
    groups = reader.groups

    own = Q(**{f"{owner}__in": reader.parties}) if owner and reader.parties else Q(pk__in=[])

    def participants() -> Q:
        if secretariat:
            return Q()
        if session is None:
            return Q(pk__in=[])
        session_model = _related_model(model, session)
        rule = _granted(session_model, session, ATTEND_SESSION, groups, at)
        if session_view:
            rule |= _granted(session_model, session, VIEW_SESSION, groups, at)
        if item is not None:
            item_model = _related_model(model, item)
            rule |= _granted(item_model, item, ATTEND_ITEM, groups, at)
        return rule

    def seat_holders() -> Q:
        if secretariat:
            return Q()
        if session is None:
            return Q(pk__in=[])
        return _granted(_related_model(model, session), session, SIT_SESSION, groups, at)

    if distribution is None:
        # ``Q() | own`` would be ``own`` alone (an empty Q drops out of an OR): the
        # secretariat's "everything" must be returned as it is.
        if secretariat:
            return Q()
        return participants() | own

    return (
        Q(**{distribution: Distribution.PUBLIC})
        | (Q(**{distribution: Distribution.PARTICIPANTS}) & participants())
        | (Q(**{distribution: Distribution.SEAT_HOLDERS}) & seat_holders())
        | (Q(**{distribution: Distribution.SECRETARIAT}) & (Q() if secretariat else Q(pk__in=[])))
        # The owning delegation reads its own papers whatever their distribution;
        # ``delegation`` papers are readable by nobody else, the secretariat included.
        | own
    )


def visible[M: models.Model](queryset: QuerySet[M], user: User, **fields: Any) -> QuerySet[M]:
    """``queryset`` narrowed to the rows ``user`` may read."""
    return queryset.filter(visible_q(queryset.model, user, **fields))


def get_visible_or_404[M: models.Model](
    queryset: QuerySet[M], user: User, *, fields: dict[str, Any], **lookup: Any
) -> M:
    """One row the user may read; a refused read answers exactly like a missing row."""
    try:
        return visible(queryset, user, **fields).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc


def can_read(obj: models.Model, user: User, **fields: Any) -> bool:
    return visible(type(obj)._default_manager.filter(pk=obj.pk), user, **fields).exists()

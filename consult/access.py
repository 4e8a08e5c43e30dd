"""The confidentiality rule (docs/architecture.md), in one place.

Every page, API endpoint, export, feed, PDF and search result reads through
``visible()``: it turns the rule into one SQL condition over the rows, so
lists and single objects are filtered identically and no row is checked in
Python. The caller's delegations and the live direct foreign-key guardian
grants of their groups are read once per request (``_Reader``) and enter the
condition as id lists.

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

Analysts (docs/architecture.md, "The confidentiality rule") read, read-only, what
their affiliation reads
(``members.AnalystAffiliation``): a delegation's analyst reads through that
delegation's group and party, a secretariat analyst as the secretariat
reads, an analyst without affiliation only public data. Reading is all the
affiliation gives: ``is_secretariat`` and ``current_memberships`` (what writes
check) ignore it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeGuard, cast

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, F, Lookup, OuterRef, Q, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.models import GroupObjectPermissionBase
from guardian.utils import get_group_obj_perms_model

from consult.actors import Actor
from members.models import Accreditation, AnalystAffiliation, DelegationMembership

SECRETARIAT_GROUP = "secretariat"
ANALYST_GROUP = "analysts"

ATTEND_SESSION = "attend_session"
SIT_SESSION = "sit_session"
VIEW_SESSION = "view_session"
ATTEND_ITEM = "attend_agendaitem"


class Distribution(models.TextChoices):
    PUBLIC = "public", gettext_lazy("Public")
    PARTICIPANTS = "participants", gettext_lazy("Participants")
    SEAT_HOLDERS = "seat_holders", gettext_lazy("Seat-holders")
    DELEGATION = "delegation", gettext_lazy("Delegation only")
    SECRETARIAT = "secretariat", gettext_lazy("Secretariat only")


class ExpiringGroupGrant(GroupObjectPermissionBase):
    """A guardian direct-FK group grant that lapses at ``valid_until`` (an invitation's)."""

    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True


def _group_names(user: Actor) -> frozenset[str]:
    cached = getattr(user, "_consult_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, "_consult_group_names", cached)  # noqa: B010  (a per-request cache on the user)
    return cached


def is_secretariat(user: Actor) -> TypeGuard[User]:
    if not user.is_authenticated or not user.is_active:
        return False
    return SECRETARIAT_GROUP in _group_names(user)


def require_secretariat(user: Actor | None, doing: str) -> None:
    """Refuse (403) anyone but the secretariat; ``None`` is the platform itself (the planner)."""
    if user is not None and not is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat may %(doing)s.") % {"doing": doing})


def is_analyst(user: Actor) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return ANALYST_GROUP in _group_names(user)


def reads_as_secretariat(user: Actor) -> bool:
    """The secretariat, and the analysts belonging to it: who reads what the secretariat reads."""
    if is_secretariat(user):
        return True
    if not is_analyst(user):
        return False
    return _reader(user, None).secretariat_analyst


def _analyst_affiliations(user: Actor) -> QuerySet[AnalystAffiliation]:
    """The user's affiliation as an analyst (delegation group and party; both None for the
    secretariat), or nothing for someone who is not an analyst."""
    if not user.is_authenticated or not is_analyst(user):
        return AnalystAffiliation.objects.none()
    return AnalystAffiliation.objects.filter(user_id=user.pk, user__is_active=True)


def live_grant_q(*, at: datetime, prefix: str = "") -> Q:
    """A grant still running at ``at``: no end (``valid_until``), or an end after it.
    ``prefix`` reaches it through a relation (``"memberships__"``)."""
    return Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": at})


def live_membership_q(*, at: datetime, prefix: str = "") -> Q:
    """A delegation membership current at ``at``: begun, and not ended."""
    return Q(**{f"{prefix}valid_from__lte": at}) & live_grant_q(at=at, prefix=prefix)


def live_accreditation_q(*, at: datetime, prefix: str = "") -> Q:
    """An accreditation in force at ``at``: begun, not expired, not revoked."""
    return Q(
        **{
            f"{prefix}valid_from__lte": at,
            f"{prefix}valid_until__gt": at,
            f"{prefix}revoked_at__isnull": True,
        }
    )


def live_accreditation_exists(*, at: datetime) -> Exists:
    """The outer membership's person is accredited to its delegation at ``at`` (what a
    membership of an ad hoc delegation needs to count)."""
    return Exists(
        Accreditation.objects.filter(
            live_accreditation_q(at=at), user=OuterRef("user"), delegation=OuterRef("delegation")
        )
    )


def current_memberships(
    user: Actor, *, at: datetime | None = None
) -> QuerySet[DelegationMembership]:
    """Memberships giving access now: current dates, accredited where the delegation is ad hoc."""
    if not user.is_authenticated:
        return DelegationMembership.objects.none()
    at = at or timezone.now()
    return DelegationMembership.objects.filter(
        live_membership_q(at=at), user_id=user.pk, user__is_active=True
    ).filter(Q(delegation__is_standing=True) | live_accreditation_exists(at=at))


def active_party_ids(
    user: Actor, *, at: datetime | None = None
) -> QuerySet[DelegationMembership, Any]:
    return current_memberships(user, at=at).values("delegation__party_id")


def _grant_model(target_model: type[models.Model]) -> type[models.Model]:
    # guardian accepts a model class as well as an instance here.
    grant_model = get_group_obj_perms_model(cast(Any, target_model))
    if grant_model._meta.abstract or not hasattr(grant_model, "valid_until"):
        raise TypeError(f"{target_model.__name__} has no direct-FK expiring group grant model.")
    return grant_model


class _Reader:
    """What a user reads through at one moment: their delegations and their live grants.

    The delegations are read in one query when the reader is made, the grants
    on sessions (or on items) in one query the first time a rule asks for
    them. The rule then filters rows by these ids (``_Among``), which
    PostgreSQL plans like a join, where grant subqueries inside the rule's OR
    were costed once per outer row and turned a prefetch of a few papers into
    a scan of every paper.
    """

    __slots__ = ("_grants", "at", "groups", "member_parties", "parties", "secretariat_analyst")

    def __init__(self, user: Actor, at: datetime | None) -> None:
        self.at = at or timezone.now()
        columns = ("delegation__group_id", "delegation__party_id", "member")
        rows = list(
            current_memberships(user, at=self.at)
            .annotate(member=Value(True))
            .order_by()
            .values_list(*columns)
            .union(
                _analyst_affiliations(user)
                .annotate(member=Value(False))
                .order_by()
                .values_list(*columns),
                all=True,
            )
            .order_by()
        )
        # An affiliation without a delegation is the secretariat's analyst.
        self.secretariat_analyst = (None, None, False) in rows
        self.groups = sorted({group for group, _party, _member in rows if group is not None})
        self.parties = sorted({party for _group, party, _member in rows if party is not None})
        # The parties the user speaks for (an analyst only reads).
        self.member_parties = sorted({party for _group, party, member in rows if member})
        self._grants: dict[type[models.Model], dict[str, list[int]]] = {}

    def granted(self, target_model: type[models.Model], codename: str) -> list[int]:
        """Ids of the sessions (or items) the delegations hold a live ``codename`` grant on."""
        by_codename = self._grants.get(target_model)
        if by_codename is None:
            found: dict[str, set[int]] = {}
            if self.groups:
                live = (
                    _grant_model(target_model)
                    ._default_manager.filter(live_grant_q(at=self.at), group_id__in=self.groups)
                    .values_list("permission__codename", "content_object_id")
                )
                for code, object_id in live:
                    found.setdefault(code, set()).add(object_id)
            by_codename = {code: sorted(ids) for code, ids in found.items()}
            self._grants[target_model] = by_codename
        return by_codename.get(codename, [])


# The readers of the request being served, by user id; None outside a request.
_request_readers: ContextVar[dict[Any, _Reader] | None] = ContextVar(
    "consult_request_readers", default=None
)


@contextmanager
def reading_once() -> Iterator[None]:
    """Within the block, the rule reads each caller's delegations and grants once."""
    token = _request_readers.set({})
    try:
        yield
    finally:
        _request_readers.reset(token)


class ReadOncePerRequestMiddleware:
    """Lets the rule read each caller's delegations and grants once per request.

    The lists, prefetches, links and exports of one request then share one
    reading, and the next request reads afresh: an ended membership or a
    withdrawn invitation takes effect on the next request. Outside a request
    (a task, a shell, a test calling selectors) every use of the rule reads
    afresh, unless it runs inside ``reading_once()``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with reading_once():
            return self.get_response(request)


def forget_readings() -> None:
    """Drop the request's readings: services call it after changing grants or memberships,
    so that the rest of the request (the answer to the change) reads the new state."""
    readers = _request_readers.get()
    if readers is not None:
        readers.clear()


def _reader(user: Actor, at: datetime | None) -> _Reader:
    """The user's reader: the request's if one is being served, else a fresh one.

    A reading at another moment than now is never kept.
    """
    readers = _request_readers.get()
    if at is not None or readers is None:
        return _Reader(user, at)
    reader = readers.get(user.pk)
    if reader is None:
        reader = readers[user.pk] = _Reader(user, None)
    return reader


def reading_party_ids(user: Actor) -> list[int]:
    """The parties whose own material ``user`` reads: their current delegations' and, for a
    delegation's analyst, that delegation's."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(_reader(user, None).parties)


def member_party_ids(user: Actor) -> list[int]:
    """The parties ``user`` speaks for: those of their current delegations (never an
    analyst's affiliation, which only reads)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(_reader(user, None).member_parties)


def _related_model(model: type[models.Model], path: str) -> type[models.Model]:
    if path == "pk":
        return model
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model


class _Among(Lookup):
    """``lhs IN (ids)``; on PostgreSQL ``lhs = ANY(%s)`` with the ids as one array.

    A delegation invited item by item over the years holds hundreds of grants:
    one array parameter keeps the statement as short to build, send and plan
    as for a delegation holding three.
    """

    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*params, ids)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*params, *ids)


def _granted(model: type[models.Model], path: str, codename: str, reader: _Reader) -> Q:
    """Rows whose session (or item) at ``path`` the reader holds a live grant on."""
    ids = reader.granted(_related_model(model, path), codename)
    return Q(_Among(F(path), ids)) if ids else Q(pk__in=[])


def visible_q(
    model: type[models.Model],
    user: Actor,
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
    secretariat = is_secretariat(user) or (is_analyst(user) and reader.secretariat_analyst)
    own = Q(**{f"{owner}__in": reader.parties}) if owner and reader.parties else Q(pk__in=[])

    def participants() -> Q:
        if secretariat:
            return Q()
        if session is None:
            return Q(pk__in=[])
        rule = _granted(model, session, ATTEND_SESSION, reader)
        if session_view:
            rule |= _granted(model, session, VIEW_SESSION, reader)
        if item is not None:
            rule |= _granted(model, item, ATTEND_ITEM, reader)
        return rule

    def seat_holders() -> Q:
        if secretariat:
            return Q()
        if session is None:
            return Q(pk__in=[])
        return _granted(model, session, SIT_SESSION, reader)

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


def visible[M: models.Model](queryset: QuerySet[M], user: Actor, **fields: Any) -> QuerySet[M]:
    """``queryset`` narrowed to the rows ``user`` may read."""
    return queryset.filter(visible_q(queryset.model, user, **fields))


def get_visible_or_404[M: models.Model](
    queryset: QuerySet[M], user: Actor, *, fields: dict[str, Any], **lookup: Any
) -> M:
    """One row the user may read; a refused read answers exactly like a missing row."""
    try:
        return visible(queryset, user, **fields).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404(_("Not found.")) from exc


def can_read(obj: models.Model, user: Actor, **fields: Any) -> bool:
    return visible(type(obj)._default_manager.filter(pk=obj.pk), user, **fields).exists()

"""Parties: states and organisations, their member states, their delegates."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import User
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from consult.access import active_party_ids, current_memberships, reading_party_ids
from consult.actors import Actor
from consult.quarters import Quarter
from members.models import PARTY_NAME_LANGUAGES, DelegationMembership, Party, PartyMembership


def party_list(*, kind: str | None = None, code: str | None = None) -> QuerySet[Party]:
    parties = Party.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=PartyMembership.objects.select_related("organisation").order_by(
                "organisation__code"
            ),
        )
    )
    if kind:
        parties = parties.filter(kind=kind)
    if code:
        parties = parties.filter(code=code.upper())
    return parties


def party_get(*, public_id: UUID | str) -> Party:
    return party_list().get(public_id=public_id)


def party_choice_list() -> QuerySet[Party]:
    """Every party, by code, for a form's choices (parties are nobody's secret)."""
    return Party.objects.order_by("code")


def party_choices(parties: QuerySet[Party] | None = None) -> list[tuple[str, str]]:
    """``parties`` (every party by default) as (code, "code: name"), by code, named in the
    active language: a filter's choices."""
    rows = (party_choice_list() if parties is None else parties.order_by("code")).values_list(
        "code", party_name_column()
    )
    return [(code, f"{code}: {name}") for code, name in rows]


def party_name_column(path: str = "") -> Combinable:
    """A party's name in the active language, in SQL, the English one where that language's
    is empty: ``Party.display_name`` for a query that annotates names rather than loading
    parties. ``path`` leads to the party (``"party__"``)."""
    code = (translation.get_language() or "en").split("-")[0].lower()
    if code == "en" or code not in PARTY_NAME_LANGUAGES:
        return F(f"{path}name_en")
    return Coalesce(NullIf(F(f"{path}name_{code}"), Value("")), F(f"{path}name_en"))


def party_own_list(*, user: Actor) -> QuerySet[Party]:
    """The parties of the user's current delegations, by English name: those a delegate
    speaks, amends and states positions for."""
    return Party.objects.filter(pk__in=active_party_ids(user)).order_by("name_en")


def party_reading_list(*, user: Actor) -> QuerySet[Party]:
    """The parties whose own material ``user`` reads (``access.reading_party_ids``: their
    current delegations' and, for a delegation's analyst, that delegation's), by code."""
    return Party.objects.filter(pk__in=reading_party_ids(user)).order_by("code")


def party_headed_list(*, user: Actor) -> QuerySet[Party]:
    """The parties whose current delegation the user heads, by code."""
    return Party.objects.filter(
        pk__in=current_memberships(user)
        .filter(role=DelegationMembership.Role.HEAD)
        .values("delegation__party_id")
    ).order_by("code")


def party_member_list(*, organisation: Party, quarter: Quarter) -> QuerySet[Party]:
    """Member states of ``organisation`` during ``quarter`` (membership years inclusive)."""
    return Party.objects.filter(
        Q(memberships__until_year__isnull=True) | Q(memberships__until_year__gte=quarter.year),
        memberships__organisation=organisation,
        memberships__since_year__lte=quarter.year,
    )


def party_delegate_list(*, parties: QuerySet[Party]) -> QuerySet[User]:
    """Users who are or were members of these parties' delegations, by name: who may have
    spoken or attended for them (the record is kept after a membership ends)."""
    memberships = DelegationMembership.objects.filter(
        user=OuterRef("pk"), delegation__party__in=parties
    )
    return User.objects.filter(Exists(memberships)).order_by("last_name", "first_name", "username")


def party_delegates_by_party(*, parties: QuerySet[Party]) -> dict[int, list[User]]:
    """``party_delegate_list`` grouped by party id, in one query whatever the parties."""
    grouped: dict[int, list[User]] = {}
    seen: set[tuple[int, int]] = set()
    for membership in (
        DelegationMembership.objects.filter(delegation__party__in=parties)
        .select_related("user", "delegation")
        .order_by("user__last_name", "user__first_name", "user__username")
    ):
        key = (membership.delegation.party_id, membership.user_id)
        if key not in seen:
            seen.add(key)
            grouped.setdefault(key[0], []).append(membership.user)
    return grouped


def party_title(party: Party) -> str:
    """A party's English name as it reads after "of": "the United States", "Russia"."""
    name = party.name_en
    takes_article = party.kind == Party.Kind.ORGANISATION or name.startswith(
        ("United ", "Netherlands", "Czech Republic", "Holy See")
    )
    return f"the {name}" if takes_article else name

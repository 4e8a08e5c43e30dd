"""Reads of communiqués: published texts are public, drafting is for seat-holders.

A communiqué's ``distribution`` is ``seat_holders`` until publication and
``public`` after it, so one access rule answers who reads the text. Its
drafting history (versions, positions, silence breaks) stays seat-holders'
material after publication: those rows are filtered with a constant
``seat_holders`` distribution over the communiqué's session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, Model, Prefetch, QuerySet, Value
from django.http import Http404

from agenda.models import Session
from consult import access
from consult.access import Distribution
from consult.actors import Actor
from consult.diff import TextDiff, html_paragraphs, word_diff
from members.models import Party
from minutes.models import Communique, CommuniqueVersion, Position, SilenceBreak

COMMUNIQUE_FIELDS: dict[str, Any] = {"distribution": "distribution", "session": "session"}
_DRAFTING = "drafting_distribution"


def _drafting[M: Model](queryset: QuerySet[M], user: Actor, session: str) -> QuerySet[M]:
    queryset = queryset.alias(
        **{_DRAFTING: Value(Distribution.SEAT_HOLDERS.value, output_field=CharField())}
    )
    return access.visible(queryset, user, distribution=_DRAFTING, session=session)


def _reservations() -> Prefetch[str, QuerySet[Position], str]:
    return Prefetch(
        "published_version__positions",
        queryset=Position.objects.filter(stance=Position.Stance.RESERVATION)
        .select_related("party")
        .order_by("party__name_en"),
        to_attr="reservations",
    )


def _communiques() -> QuerySet[Communique]:
    return Communique.objects.select_related(
        "session", "session__chair", "published_version", "circulated_version"
    ).prefetch_related(_reservations())


def communique_list(
    user: Actor,
    *,
    session: Session | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> QuerySet[Communique]:
    """Published texts for everyone (also anonymous readers), drafts for seat-holders."""
    communiques = _communiques()
    if session is not None:
        communiques = communiques.filter(session=session)
    if status is not None:
        communiques = communiques.filter(status=status)
    if kind is not None:
        communiques = communiques.filter(kind=kind)
    return access.visible(communiques, user, **COMMUNIQUE_FIELDS).order_by(
        "-published_at", "-created_at"
    )


def published_communique_list() -> QuerySet[Communique]:
    """What anybody reads: the index, the feed. Never depends on who asks."""
    return communique_list(AnonymousUser(), status=Communique.Status.PUBLISHED)


def communique_get(user: Actor, *, public_id: UUID | str) -> Communique:
    return access.get_visible_or_404(
        _communiques(), user, fields=COMMUNIQUE_FIELDS, public_id=public_id
    )


def can_follow_drafting(user: Actor, communique: Communique) -> bool:
    """Seat-holders of the session and the secretariat follow versions and positions."""
    return _drafting(Communique.objects.filter(pk=communique.pk), user, "session").exists()


@dataclass(frozen=True, slots=True)
class Footnote:
    number: int
    party: str
    party_code: str
    text: str


def communique_footnotes(communique: Communique) -> list[Footnote]:
    """The reservations of a published text, numbered, each attributed to its party."""
    if communique.published_version is None:
        return []
    reservations = getattr(communique.published_version, "reservations", None)
    if reservations is None:
        reservations = (
            Position.objects.filter(
                version=communique.published_version, stance=Position.Stance.RESERVATION
            )
            .select_related("party")
            .order_by("party__name_en")
        )
    return [
        Footnote(
            number=number,
            party=position.party.display_name,
            party_code=position.party.code,
            text=position.reservation,
        )
        for number, position in enumerate(reservations, start=1)
    ]


def previous_communique(session: Session) -> Communique | None:
    """The latest text published by the last earlier session that published one.

    Published texts are public, so the answer is the same for every reader
    of a briefing pack.
    """
    return (
        published_communique_list()
        .filter(session__starts_at__lt=session.starts_at)
        .order_by("-session__starts_at", "-published_at")
        .first()
    )


def communique_version_list(user: Actor, *, communique: Communique) -> QuerySet[CommuniqueVersion]:
    versions = CommuniqueVersion.objects.filter(communique=communique).select_related("created_by")
    return _drafting(versions, user, "communique__session").order_by("number")


def position_list(
    user: Actor,
    *,
    communique: Communique | None = None,
    version: CommuniqueVersion | None = None,
    party: Party | None = None,
) -> QuerySet[Position]:
    positions = Position.objects.select_related(
        "party", "version__communique__session", "stated_by"
    )
    if communique is not None:
        positions = positions.filter(version__communique=communique)
    if version is not None:
        positions = positions.filter(version=version)
    if party is not None:
        positions = positions.filter(party=party)
    return _drafting(positions, user, "version__communique__session").order_by(
        "-version__number", "party__name_en"
    )


def position_get(user: Actor, *, public_id: UUID | str) -> Position:
    try:
        return position_list(user).get(public_id=public_id)
    except (Position.DoesNotExist, ValueError) as exc:
        raise Http404("Not found.") from exc


def silence_break_list(user: Actor, *, communique: Communique) -> QuerySet[SilenceBreak]:
    breaks = SilenceBreak.objects.filter(version__communique=communique).select_related(
        "party", "version"
    )
    return _drafting(breaks, user, "version__communique__session").order_by("created_at")


@dataclass(frozen=True, slots=True)
class VersionDiff:
    older: CommuniqueVersion
    newer: CommuniqueVersion
    text: TextDiff


def communique_version_diff(
    user: Actor, *, communique: Communique, older: int, newer: int
) -> VersionDiff:
    versions = {
        version.number: version
        for version in communique_version_list(user, communique=communique).filter(
            number__in=[older, newer]
        )
    }
    if older not in versions or newer not in versions:
        raise Http404("Not found.")

    text = word_diff(html_paragraphs(versions[older].text), html_paragraphs(versions[newer].text))
    return VersionDiff(older=versions[older], newer=versions[newer], text=text)

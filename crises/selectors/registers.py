"""Reads of off-ramps, stances, norms, adherence, incidents and responses, through the one
access rule (consult.access).

- An off-ramp, its status history and the stances on it are read as its crisis
  (``CRISIS_FIELDS`` through the crisis).
- A ``private`` stance is read only by its own party and the secretariat: the rule with
  no distribution, no session and ``owner="party"`` (see ``stance_list``).
- The current stance of a party is the latest stance the reader may read (a party that
  keeps a new stance private leaves the others reading its last public one).
- A norm is read by its own distribution against the session it was registered at, as a
  crisis is; adherence as its norm. An incident is read by its distribution against the
  norm's session, always by the reporting party, and only where the norm is read; a
  response as its incident.

Every list is one query (plus the related rows prefetched), whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from agenda.models import Invitation
from consult import access
from consult.actors import Actor
from consult.quarters import Quarter
from crises.models import (
    Adherence,
    Crisis,
    Incident,
    IncidentResponse,
    Norm,
    OffRamp,
    OffRampTransition,
    Stance,
)
from members.models import Party
from members.selectors.parties import party_own_list
from members.selectors.seats import seat_holder_parties
from minutes.models import Communique, Statement
from minutes.selectors.communiques import communique_list
from minutes.selectors.record import statement_list

OFF_RAMP_FIELDS: dict[str, Any] = {
    "distribution": "crisis__distribution",
    "session": "crisis__session",
}
STANCE_FIELDS: dict[str, Any] = {
    "distribution": "off_ramp__crisis__distribution",
    "session": "off_ramp__crisis__session",
}
NORM_FIELDS: dict[str, Any] = {"distribution": "distribution", "session": "session"}
ADHERENCE_FIELDS: dict[str, Any] = {
    "distribution": "norm__distribution",
    "session": "norm__session",
}
INCIDENT_FIELDS: dict[str, Any] = {
    "distribution": "distribution",
    "session": "norm__session",
    "owner": "reporting_party",
}


# --- Off-ramps -------------------------------------------------------------------------


def off_ramp_list(
    *,
    user: Actor,
    crisis: Crisis | None = None,
    status: str | None = None,
    party: Party | None = None,
) -> QuerySet[OffRamp]:
    """The off-ramps ``user`` reads (those of the crises they read); ``party``: proposed by it."""
    off_ramps = OffRamp.objects.select_related("crisis", "proposer")
    if crisis is not None:
        off_ramps = off_ramps.filter(crisis=crisis)
    if status:
        off_ramps = off_ramps.filter(status=status)
    if party is not None:
        off_ramps = off_ramps.filter(proposer=party)
    return access.visible(off_ramps, user, **OFF_RAMP_FIELDS).order_by(
        "crisis__title", "title", "pk"
    )


def off_ramp_get(*, user: Actor, public_id: UUID | str) -> OffRamp:
    return access.get_visible_or_404(
        OffRamp.objects.select_related("crisis", "crisis__session", "proposer"),
        user,
        fields=OFF_RAMP_FIELDS,
        public_id=public_id,
    )


def off_ramp_transition_list(*, off_ramp: OffRamp) -> QuerySet[OffRampTransition]:
    """A readable off-ramp's status history, oldest first."""
    return OffRampTransition.objects.filter(off_ramp=off_ramp).order_by("on", "created_at")


def stance_list(
    *,
    user: Actor,
    off_ramp: OffRamp | None = None,
    crisis: Crisis | None = None,
    party: Party | None = None,
    position: str | None = None,
) -> QuerySet[Stance]:
    """The stances ``user`` reads, oldest first: those on the off-ramps they read, a private
    one only when it is their own party's (or they are the secretariat)."""
    stances = Stance.objects.select_related("party", "off_ramp", "off_ramp__crisis")
    if off_ramp is not None:
        stances = stances.filter(off_ramp=off_ramp)
    if crisis is not None:
        stances = stances.filter(off_ramp__crisis=crisis)
    if party is not None:
        stances = stances.filter(party=party)
    if position:
        stances = stances.filter(position=position)
    sealed = access.visible_q(Stance, user, distribution=None, session=None, owner="party")
    stances = access.visible(stances, user, **STANCE_FIELDS)
    if sealed:  # an empty Q (the secretariat reads every stance) would drop out of the OR
        stances = stances.filter(Q(private=False) | sealed)
    return stances.order_by("off_ramp__crisis__title", "off_ramp__title", "created_at", "pk")


def stance_get(*, user: Actor, public_id: UUID | str) -> Stance:
    try:
        return stance_list(user=user).get(public_id=public_id)
    except (Stance.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("Not found.") from exc


def current_stances(stances: Iterable[Stance]) -> dict[tuple[int, int], Stance]:
    """The latest of ``stances`` per (off-ramp id, party id)."""
    latest: dict[tuple[int, int], Stance] = {}
    for stance in stances:
        key = (stance.off_ramp_id, stance.party_id)
        known = latest.get(key)
        if known is None or (stance.created_at, stance.pk) > (known.created_at, known.pk):
            latest[key] = stance
    return latest


@dataclass(frozen=True, slots=True)
class OffRampRow:
    """One off-ramp on the board: its current stance per party (None: none stated)."""

    off_ramp: OffRamp
    stances: list[Stance | None]
    history: list[Stance]

    def count(self, position: str) -> int:
        return sum(1 for stance in self.stances if stance and stance.position == position)

    @property
    def count_supports(self) -> int:
        return self.count(Stance.Position.SUPPORTS)

    @property
    def count_open(self) -> int:
        return self.count(Stance.Position.OPEN)

    @property
    def count_opposes(self) -> int:
        return self.count(Stance.Position.OPPOSES)


@dataclass(frozen=True, slots=True)
class StatusColumn:
    status: str
    label: str
    rows: list[OffRampRow]


@dataclass(frozen=True, slots=True)
class OffRampBoard:
    """A crisis's off-ramps by status, with the parties that stated a stance as columns."""

    crisis: Crisis
    parties: list[Party]
    columns: list[StatusColumn]
    rows: list[OffRampRow] = field(default_factory=list)


def off_ramp_board(*, user: Actor, crisis: Crisis) -> OffRampBoard:
    """The board of a readable crisis: two queries, whatever the number of options and
    stances."""
    off_ramps = list(off_ramp_list(user=user, crisis=crisis))
    stances = list(stance_list(user=user, crisis=crisis))
    latest = current_stances(stances)
    parties = sorted({s.party_id: s.party for s in stances}.values(), key=lambda p: p.code)
    history: dict[int, list[Stance]] = {}
    for stance in stances:
        history.setdefault(stance.off_ramp_id, []).append(stance)
    rows = [
        OffRampRow(
            off_ramp=off_ramp,
            stances=[latest.get((off_ramp.pk, party.pk)) for party in parties],
            history=history.get(off_ramp.pk, []),
        )
        for off_ramp in off_ramps
    ]
    columns = [
        StatusColumn(
            status=value,
            label=str(label),
            rows=[row for row in rows if row.off_ramp.status == value],
        )
        for value, label in OffRamp.Status.choices
    ]
    return OffRampBoard(crisis=crisis, parties=parties, columns=columns, rows=rows)


@dataclass(frozen=True, slots=True)
class PartyStances:
    """One party's stances on an off-ramp: the current one and its history, newest first."""

    party: Party
    current: Stance
    history: list[Stance]


def off_ramp_stances(*, user: Actor, off_ramp: OffRamp) -> list[PartyStances]:
    """Each party's current stance and history on a readable off-ramp, by party code."""
    by_party: dict[int, list[Stance]] = {}
    for stance in stance_list(user=user, off_ramp=off_ramp):
        by_party.setdefault(stance.party_id, []).append(stance)
    result = [
        PartyStances(party=rows[-1].party, current=rows[-1], history=list(reversed(rows)))
        for rows in by_party.values()
    ]
    return sorted(result, key=lambda entry: entry.party.code)


@dataclass(frozen=True, slots=True)
class Mentions:
    statements: list[Statement]
    communiques: list[Communique]


def off_ramp_mentions(*, user: Actor, off_ramp: OffRamp) -> Mentions:
    """The statements and communiqués linked to the off-ramp that ``user`` reads."""
    return Mentions(
        statements=list(statement_list(user).filter(off_ramps=off_ramp)),
        communiques=list(communique_list(user).filter(off_ramps=off_ramp)),
    )


def table_parties(*, crisis: Crisis, at: date | None = None) -> QuerySet[Party]:
    """The parties at the table for ``crisis``: the seat-holders of the current quarter and
    the parties invited to the whole session the crisis was raised at (not revoked nor
    declined). An ad hoc invitation to one item does not seat a party at the crisis."""
    quarter = Quarter.of(at) if at is not None else Quarter.current()
    invited = Invitation.objects.filter(session_id=crisis.session_id, item__isnull=True).exclude(
        status__in=[Invitation.Status.REVOKED, Invitation.Status.DECLINED]
    )
    return Party.objects.filter(
        Q(pk__in=seat_holder_parties(quarter=quarter).values("pk"))
        | Q(pk__in=invited.values("party_id"))
    ).order_by("code")


def stance_parties(*, user: Actor, crisis: Crisis) -> QuerySet[Party]:
    """The parties ``user`` may state a stance for on the crisis's off-ramps: their own
    delegations' parties that are at the table."""
    return party_own_list(user=user).filter(pk__in=table_parties(crisis=crisis).values("pk"))


# --- Norms -----------------------------------------------------------------------------


def norm_list(*, user: Actor, party: Party | None = None, session: Any = None) -> QuerySet[Norm]:
    """The norms ``user`` reads, by title; ``party``: those it stated adherence to."""
    norms = Norm.objects.select_related("session")
    if party is not None:
        norms = norms.filter(adherences__party=party).distinct()
    if session is not None:
        norms = norms.filter(session=session)
    return access.visible(norms, user, **NORM_FIELDS).order_by("title", "pk")


def norm_get(*, user: Actor, public_id: UUID | str) -> Norm:
    return access.get_visible_or_404(
        Norm.objects.select_related("session"), user, fields=NORM_FIELDS, public_id=public_id
    )


def adherence_list(
    *, user: Actor, norm: Norm | None = None, party: Party | None = None
) -> QuerySet[Adherence]:
    """Adherence statements ``user`` reads (those on the norms they read), oldest first."""
    adherences = Adherence.objects.select_related("party", "norm")
    if norm is not None:
        adherences = adherences.filter(norm=norm)
    if party is not None:
        adherences = adherences.filter(party=party)
    return access.visible(adherences, user, **ADHERENCE_FIELDS).order_by(
        "norm__title", "created_at", "pk"
    )


@dataclass(frozen=True, slots=True)
class PartyAdherence:
    party: Party
    current: Adherence
    history: list[Adherence]


def norm_adherence_table(*, user: Actor, norm: Norm) -> list[PartyAdherence]:
    """Each party's current adherence to a readable norm with its history, by party code."""
    by_party: dict[int, list[Adherence]] = {}
    for adherence in adherence_list(user=user, norm=norm):
        by_party.setdefault(adherence.party_id, []).append(adherence)
    result = [
        PartyAdherence(party=rows[-1].party, current=rows[-1], history=list(reversed(rows)))
        for rows in by_party.values()
    ]
    return sorted(result, key=lambda entry: entry.party.code)


def incident_list(
    *, user: Actor, norm: Norm | None = None, party: Party | None = None
) -> QuerySet[Incident]:
    """The incidents ``user`` reads, by date; ``party``: reported by it or involving it.
    With the parties involved and the responses ``user`` reads prefetched."""
    incidents = Incident.objects.select_related("norm", "reporting_party")
    if norm is not None:
        incidents = incidents.filter(norm=norm)
    if party is not None:
        incidents = incidents.filter(
            Q(reporting_party=party) | Q(pk__in=Incident.objects.filter(parties_involved=party))
        )
    incidents = access.visible(incidents, user, **INCIDENT_FIELDS)
    incidents = access.visible(incidents, user, **ADHERENCE_FIELDS)  # and the norm is read
    return incidents.prefetch_related(
        Prefetch("parties_involved", queryset=Party.objects.order_by("code")),
        Prefetch(
            "responses",
            queryset=IncidentResponse.objects.select_related("party").order_by("created_at"),
        ),
    ).order_by("occurred_on", "created_at", "pk")


def incident_get(*, user: Actor, public_id: UUID | str) -> Incident:
    return access.get_visible_or_404(
        incident_list(user=user), user, fields=INCIDENT_FIELDS, public_id=public_id
    )


def incident_response_list(
    *, user: Actor, incident: Incident | None = None
) -> QuerySet[IncidentResponse]:
    """Responses on the incidents ``user`` reads, oldest first."""
    responses = IncidentResponse.objects.select_related("party", "incident")
    if incident is not None:
        responses = responses.filter(incident=incident)
    readable = incident_list(user=user).order_by().values("pk")
    return responses.filter(incident__in=readable).order_by("created_at", "pk")


def norm_communiques(*, user: Actor, norm: Norm) -> list[Communique]:
    """The communiqués referring to the norm that ``user`` reads."""
    return list(communique_list(user).filter(norms=norm))


def adherence_parties(*, user: Actor) -> QuerySet[Party]:
    """The parties ``user`` states adherence, reports and responds for: their own."""
    return party_own_list(user=user)

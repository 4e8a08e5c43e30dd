"""The pieces the scale data is made of: its words, batches, and the table each step extends."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from agenda.models import AgendaItem, Session
from consult.access import Distribution
from members.models import Delegation, Party, Seat

BATCH = 5000
SEARCH_TERM = "airspace"
SEAT_HOLDERS = [
    ("USA", "United States of America", Party.Kind.STATE),
    ("RUS", "Russian Federation", Party.Kind.STATE),
    ("NATO", "North Atlantic Treaty Organization", Party.Kind.ORGANISATION),
    ("EU", "European Union", Party.Kind.ORGANISATION),
]
WORDS = [
    "escalation",
    "deconfliction",
    "hotline",
    "exercise",
    "notification",
    "corridor",
    "maritime",
    "incident",
    "verification",
    "transparency",
    "inspection",
    "reserve",
    "mobilisation",
    "cyber",
    "outage",
    "grain",
    "shipping",
    "border",
    "patrol",
    "drone",
    "missile",
    "warning",
    "channel",
    "observer",
    "ceasefire",
    "monitoring",
    "humanitarian",
    "sanctions",
    "energy",
    "pipeline",
    "nuclear",
    "doctrine",
    "signalling",
    "restraint",
    "confidence",
    "measures",
]


@dataclass
class ScaleReport:
    sessions: int = 0
    items: int = 0
    statements: int = 0
    documents: int = 0
    grants: int = 0
    users: dict[str, str] = field(default_factory=dict)
    """Role to username: secretariat, analyst, delegate (United States), outsider."""


@dataclass
class Scale:
    """What one step of the seed made and the next ones build on."""

    rng: random.Random
    now: datetime
    report: ScaleReport
    secretary: User
    all_parties: list[Party]
    holders: list[Party]
    # Parties invited to every session; the others are ad hoc guests of items.
    members: list[Party]
    seats: list[Seat] = field(default_factory=list)
    delegations: list[Delegation] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    items_by_session: dict[int, list[AgendaItem]] = field(default_factory=dict)


def batches[M: models.Model](rows: Iterable[M]) -> Iterator[list[M]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def insert_rows[M: models.Model](model: type[M], rows: Iterable[M]) -> int:
    count = 0
    for batch in batches(rows):
        model._default_manager.bulk_create(batch)
        count += len(batch)
    return count


def sentence(rng: random.Random, *, mention: bool) -> str:
    words = rng.sample(WORDS, 9)
    if mention:
        words.insert(rng.randrange(len(words)), SEARCH_TERM)
    return " ".join(words).capitalize() + "."


def weighted_choice(rng: random.Random, weights: dict[Distribution, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def permission_of(model: type[models.Model], codename: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model), codename=codename
    )

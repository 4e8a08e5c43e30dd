"""The authorization matrix: every URL the project defines, by method, role and object.

``test_every_url_has_an_entry`` walks the URL resolver: a URL without an entry in
``ROUTES`` (or a category rule) fails the suite, so a new endpoint comes with its
row here. Each entry lists probes (method, the kind of object the URL takes, the
data sent) and the answer each role should get, computed by the small oracle
below from the facts of the test world, never from production code. Lists are
checked by the set of ids they return, not only by their status.

Roles: anonymous; an outsider (an account, no delegation); an analyst of no one
(public data only), a secretariat analyst and an analyst of the US delegation
(each reading, never writing, what its affiliation reads); the secretariat; a
delegate of each seat-holder (USA, RUS, NATO, EU); Ukraine's accredited
delegate, invited ad hoc to one item only; Georgia's accredited delegate,
invited to nothing; a Ukrainian delegate whose accreditation expired; the CSTO's
accredited delegate, invited as observer.

Objects: one session per distribution (the four seat-holders invited as members,
the CSTO as observer), items of every distribution in the participants session
(Ukraine invited to one), papers of every distribution there (Russia's private
note, a US paper marked for the secretariat), the invitations, an objection.

To cover a new URL: add an entry to ``ROUTES`` under its name (``app:name`` for
pages, the router's ``basename-action`` for the API), built from the probes
below (``page_read``, ``staff_page``, ``api_read``, ``api_list`` ...) or a
``Probe`` with its own oracle; objects of a new kind go into ``build_world``.
An app with its own matrix module may point to it with ``CoveredBy`` (checked:
the module must name the URL).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agenda.models import Document, DocumentVersion, Session
from agenda.services.agendas import agenda_circulate
from agenda.services.calendar import calendar_feed_rotate
from agenda.services.invitations import invitation_create
from agenda.services.objections import objection_raise
from analytics.services.tokens import api_token_create
from consult.quarters import Quarter
from members.models import ChairTerm, RotationTerm
from members.services.users import analyst_affiliation_set
from minutes.services.record import attendance_record, minutes_create, statement_record
from minutes.services.review import minutes_circulate
from tests.factories import (
    AccreditationFactory,
    AgendaItemFactory,
    DelegationFactory,
    MembershipFactory,
    PartyFactory,
    SeatFactory,
    SessionFactory,
    UserFactory,
    seat_for,
)

ROOT = Path(__file__).resolve().parent.parent

# Expected answers.
LOGIN = "login"  # a redirect to the login page
ADMIN_LOGIN = "admin login"  # a redirect to the admin's login page
DONE = frozenset({200, 201, 204, 302})
REFUSED = frozenset({400, 403})
# The secretariat's probes send placeholder data: any answer but an access refusal.
ALLOWED = frozenset({200, 201, 204, 302, 400})

SEAT_HOLDERS = frozenset({"USA", "RUS", "NATO", "EU"})
# Every session invites the seat-holders as members and the CSTO as observer.
SESSION_GUESTS = {"USA": "member", "RUS": "member", "NATO": "member", "EU": "member"}
SESSION_GUESTS["CSTO"] = "observer"
DISTRIBUTIONS = ("public", "participants", "seat_holders", "secretariat")


# Roles -----------------------------------------------------------------------


SECRETARIAT = "secretariat"


@dataclass(frozen=True)
class Role:
    name: str
    party: str | None = None
    active: bool = True  # a current membership (and accreditation, for ad hoc parties)
    secretariat: bool = False
    analyst: bool = False
    head: bool = True
    # An analyst's affiliation: SECRETARIAT, a party code, or None (public data only).
    analyst_of: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.name == "anonymous"

    @property
    def reading_party(self) -> str | None:
        """The party the role reads through right now."""
        return self.party if self.active else None

    @property
    def reads_as_secretariat(self) -> bool:
        """The secretariat, or an analyst belonging to it (who reads, never acts)."""
        return self.secretariat or self.analyst_of == SECRETARIAT

    @property
    def reads_through(self) -> str | None:
        """The party whose material the role reads: its own, or its analyst's delegation."""
        if self.analyst_of not in (None, SECRETARIAT):
            return self.analyst_of
        return self.reading_party


ROLES = [
    Role("anonymous"),
    Role("outsider"),
    Role("analyst", analyst=True),
    Role("analyst_sec", analyst=True, analyst_of=SECRETARIAT),
    Role("analyst_usa", analyst=True, analyst_of="USA"),
    Role("secretariat", secretariat=True),
    Role("usa", "USA"),
    Role("rus", "RUS"),
    Role("nato", "NATO"),
    Role("eu", "EU"),
    Role("ukr", "UKR"),
    Role("geo", "GEO"),
    Role("ukr_expired", "UKR", active=False),
    Role("csto", "CSTO"),
]


# The world -------------------------------------------------------------------


@dataclass
class Thing:
    """An object of the world with the facts the oracle reads."""

    kind: str
    label: str
    obj: Any
    distribution: str = "participants"
    session: str | None = None
    item: str | None = None
    owner: str | None = None
    party: str | None = None

    @property
    def public_id(self) -> str:
        return str(self.obj.public_id)


@dataclass
class World:
    users: dict[str, Any]
    things: dict[str, list[Thing]]
    item_guests: dict[str, set[str]]  # item label -> parties invited ad hoc to it
    feeds: dict[str, str] = field(default_factory=dict)  # role -> calendar token

    def of(self, kind: str) -> list[Thing]:
        return self.things[kind]

    def session_items(self, session: str) -> list[str]:
        return [t.label for t in self.things["item"] if t.session == session]


def _delegate(party: Any, username: str, *, standing: bool, expired: bool = False) -> Any:
    delegation = DelegationFactory(party=party, is_standing=standing)
    user = UserFactory(username=username)
    MembershipFactory(delegation=delegation, user=user)
    if not standing:
        now = timezone.now()
        AccreditationFactory(
            delegation=delegation,
            user=user,
            valid_from=now - timedelta(days=30),
            valid_until=now - timedelta(days=1) if expired else now + timedelta(days=30),
        )
    return user


def build_world() -> World:
    quarter = Quarter.current()
    parties = {
        code: PartyFactory(code=code, name_en=name)
        for code, name in [
            ("USA", "United States"),
            ("RUS", "Russia"),
            ("NATO", "NATO"),
            ("EU", "European Union"),
            ("UKR", "Ukraine"),
            ("GEO", "Georgia"),
            ("CSTO", "CSTO"),
        ]
    }
    seats = {code: seat_for(parties[code]) for code in SEAT_HOLDERS}
    SeatFactory(party=parties["CSTO"], is_observer=True)
    ChairTerm.objects.create(quarter=str(quarter), seat=seats["USA"])
    term = RotationTerm.objects.create(
        seat=seats["NATO"], quarter=str(quarter + 1), holder=parties["NATO"]
    )

    secretary = UserFactory(username="secretary", is_staff=True, groups=["secretariat"])
    analyst = UserFactory(username="analyst", groups=["analysts"])
    analyst_sec = UserFactory(username="analyst-sec", groups=["analysts"])
    analyst_usa = UserFactory(username="analyst-usa", groups=["analysts"])
    users = {
        "outsider": UserFactory(username="outsider"),
        "analyst": analyst,
        "analyst_sec": analyst_sec,
        "analyst_usa": analyst_usa,
        "secretariat": secretary,
        "usa": _delegate(parties["USA"], "usa", standing=True),
        "rus": _delegate(parties["RUS"], "rus", standing=True),
        "nato": _delegate(parties["NATO"], "nato", standing=True),
        "eu": _delegate(parties["EU"], "eu", standing=True),
        "ukr": _delegate(parties["UKR"], "ukr", standing=False),
        "geo": _delegate(parties["GEO"], "geo", standing=False),
        "csto": _delegate(parties["CSTO"], "csto", standing=False),
    }
    analyst_affiliation_set(user=analyst_sec, delegation=None)
    analyst_affiliation_set(user=analyst_usa, delegation=parties["USA"].delegation)
    expired = UserFactory(username="ukr-expired")
    MembershipFactory(delegation=parties["UKR"].delegation, user=expired)
    AccreditationFactory(
        delegation=parties["UKR"].delegation,
        user=expired,
        valid_from=timezone.now() - timedelta(days=30),
        valid_until=timezone.now() - timedelta(days=1),
    )
    users["ukr_expired"] = expired
    Group.objects.get_or_create(name="analysts")

    things: dict[str, list[Thing]] = {
        kind: [] for kind in ("session", "item", "document", "invitation", "objection")
    }
    starts = timezone.now() + timedelta(days=20)
    sessions: dict[str, Session] = {}
    for n, distribution in enumerate(DISTRIBUTIONS):
        session = SessionFactory(
            number=f"CCB/M/X{n + 1}",
            quarter=str(quarter),
            distribution=distribution,
            starts_at=starts + timedelta(days=n),
        )
        sessions[distribution] = session
        label = f"s-{distribution}"
        things["session"].append(Thing("session", label, session, distribution, session=label))
        for code, kind in SESSION_GUESTS.items():
            invitation = invitation_create(
                session=session, party=parties[code], kind=kind, user=None, notify=False
            )
            things["invitation"].append(
                Thing("invitation", f"i-{code}-{label}", invitation, session=label, party=code)
            )
        if distribution != "participants":
            item = AgendaItemFactory(agenda__session=session, order=1, title=f"Item of {label}")
            things["item"].append(Thing("item", f"x-{distribution}", item, session=label))

    main = sessions["participants"]
    items = {}
    for order, (label, distribution) in enumerate(
        [
            ("p-public", "public"),
            ("p-participants", "participants"),
            ("p-ukraine", "participants"),
            ("p-seat_holders", "seat_holders"),
            ("p-secretariat", "secretariat"),
        ],
        start=1,
    ):
        item = AgendaItemFactory(
            agenda__session=main, order=order, title=f"Item {label}", distribution=distribution
        )
        items[label] = item
        things["item"].append(Thing("item", label, item, distribution, session="s-participants"))
    ukraine = invitation_create(
        session=main,
        party=parties["UKR"],
        kind="ad_hoc",
        item=items["p-ukraine"],
        user=None,
        notify=False,
    )
    things["invitation"].append(
        Thing("invitation", "i-UKR-item", ukraine, session="s-participants", party="UKR")
    )

    papers: list[tuple[str, str, str | None, str | None]] = [
        ("d-public", "public", None, None),
        ("d-participants", "participants", None, None),
        ("d-ukraine", "participants", "p-ukraine", None),
        ("d-seat_holders", "seat_holders", None, None),
        ("d-secretariat", "secretariat", None, None),
        ("d-rus-note", "delegation", None, "RUS"),
        ("d-usa-paper", "participants", "p-seat_holders", "USA"),
        ("d-usa-for-secretariat", "secretariat", None, "USA"),
    ]
    for label, distribution, on_item, owner in papers:
        author = users[owner.lower()] if owner else secretary
        document = Document.objects.create(
            symbol=f"CCB.M/{label}",
            title=f"Paper {label}",
            session=main,
            item=items[on_item] if on_item else None,
            owner=parties[owner] if owner else None,
            distribution=distribution,
            created_by=author,
        )
        DocumentVersion.objects.create(
            document=document,
            number=1,
            format=DocumentVersion.Format.RICH_TEXT,
            body_html=f"<p>{label}</p>",
            created_by=author,
        )
        things["document"].append(
            Thing("document", label, document, distribution, "s-participants", on_item, owner)
        )

    agenda_circulate(session=main, user=secretary)
    minutes = minutes_create(session=main, user=secretary)
    for code in ("USA", "RUS", "UKR"):
        attendance_record(minutes=minutes, party=parties[code], user=secretary)
    statement_record(
        minutes=minutes,
        item=items["p-participants"],
        party=parties["USA"],
        user=secretary,
        summary="Restraint.",
    )
    minutes_circulate(minutes=minutes, user=secretary)
    things["minutes"] = [Thing("minutes", "m-participants", minutes, session="s-participants")]
    objection = objection_raise(session=main, user=users["rus"], text="Item 5 is premature.")
    things["objection"].append(
        Thing("objection", "o-rus", objection, "secretariat", "s-participants", owner="RUS")
    )

    token, _key = api_token_create(user=analyst, name="matrix", read_only=True)
    things["token"] = [Thing("token", "t-analyst", token, owner="analyst")]
    things["party"] = [Thing("party", "USA", parties["USA"])]
    things["seat"] = [Thing("seat", "USA", seats["USA"])]
    things["term"] = [Thing("term", "NATO-next", term)]
    delegation = parties["UKR"].delegation
    things["delegation"] = [Thing("delegation", "UKR", delegation)]
    things["membership"] = [Thing("membership", "ukr", users["ukr"].delegation_memberships.get())]
    things["accreditation"] = [Thing("accreditation", "ukr", users["ukr"].accreditations.get())]
    world = World(users=users, things=things, item_guests={"p-ukraine": {"UKR"}})
    for role in ROLES:
        if not role.anonymous:
            world.feeds[role.name] = calendar_feed_rotate(user=users[role.name])
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once per module in a transaction rolled back at its end; each test and
    each write probe runs in a savepoint of its own, so probes never see each other."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# The oracle ------------------------------------------------------------------


def reads(role: Role, thing: Thing, world: World) -> bool:
    """The confidentiality rule (docs/architecture.md) restated over the world's facts:
    who may read a session, item or paper."""
    if thing.distribution == "public":
        return True
    if role.anonymous:
        return False
    party = role.reads_through
    if thing.owner is not None and party == thing.owner:
        return True
    if thing.distribution == "delegation":
        return False
    if role.reads_as_secretariat:
        return True
    if thing.distribution == "secretariat" or party is None:
        return False
    guest = SESSION_GUESTS.get(party)
    if thing.distribution == "seat_holders":
        return party in SEAT_HOLDERS and guest == "member"
    if guest is not None:
        return True
    if thing.item is not None and party in world.item_guests.get(thing.item, ()):
        return True
    if thing.kind == "item" and party in world.item_guests.get(thing.label, ()):
        return True
    # An ad hoc guest of an item sees the session itself and its minutes (inside
    # which it reads only its items' statements).
    session = thing.session if thing.kind == "minutes" else thing.label
    return (
        session is not None
        and thing.kind in ("session", "minutes")
        and any(party in world.item_guests.get(item, ()) for item in world.session_items(session))
    )


def sees_invitation(role: Role, thing: Thing, world: World) -> bool:
    """The secretariat's, and a delegation's own (read by its analyst too)."""
    return role.reads_as_secretariat or (
        role.reads_through is not None and role.reads_through == thing.party
    )


def sees_objection(role: Role, thing: Thing, world: World) -> bool:
    return role.reads_as_secretariat or (
        role.reading_party is not None and role.reading_party == thing.owner
    )


def sees_note(role: Role, thing: Thing, world: World) -> bool:
    return thing.distribution == "delegation" and role.reading_party == thing.owner


# Probes ----------------------------------------------------------------------

Expectation = Any  # an int status, LOGIN, ADMIN_LOGIN, or a frozenset of statuses
Oracle = Callable[[Role, Thing | None, World], Expectation]


@dataclass(frozen=True)
class Probe:
    method: str
    target: str | None  # the kind of world object in the URL, or None
    expect: Oracle
    api: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    # A list: the kind of object whose ids it returns, and who sees which.
    lists: str | None = None
    sees: Callable[[Role, Thing, World], bool] | None = None
    only: tuple[str, ...] = ()  # restrict to these object labels
    ids_in: str = "json"  # "json", "jsonl", "csv", "html" or "ics"
    # Data that names world objects (sent instead of ``data``).
    payload: Callable[[World], dict[str, Any]] | None = None


@dataclass(frozen=True)
class CoveredBy:
    """URLs tested role by role in an app's own matrix module (which must name them)."""

    module: str
    evidence: str


def _writes(method: str) -> bool:
    return method in {"post", "put", "patch", "delete"}


def anonymous_page(role: Role, expected: Expectation) -> Expectation:
    return LOGIN if role.anonymous else expected


def anonymous_api(role: Role, expected: Expectation) -> Expectation:
    return 401 if role.anonymous else expected


def page_read(kind: str, *, login: bool = True, sees=reads, **extra: Any) -> Probe:
    """A page showing one object: 200 to its readers, 404 (as if missing) to others."""

    def expect(role: Role, thing: Thing | None, world: World) -> Expectation:
        assert thing is not None
        answer = 200 if sees(role, thing, world) else 404
        return anonymous_page(role, answer) if login else answer

    return Probe("get", kind, expect, **extra)


def page_list(kind: str, *, login: bool = True, sees=reads, **extra: Any) -> Probe:
    def expect(role: Role, thing: Thing | None, world: World) -> Expectation:
        return anonymous_page(role, 200) if login else 200

    return Probe("get", None, expect, lists=kind, sees=sees, ids_in="html", **extra)


def logged_in_page(method: str = "get", target: str | None = None, status=200, **extra) -> Probe:
    return Probe(method, target, lambda role, thing, world: anonymous_page(role, status), **extra)


def staff_page(
    method: str = "get", target: str | None = None, *, hidden: int = 404, **extra
) -> Probe:
    """The secretariat's pages: a login for anonymous visitors, ``hidden`` for everyone else."""

    def expect(role: Role, thing: Thing | None, world: World) -> Expectation:
        if role.anonymous:
            return LOGIN
        if not role.secretariat:
            return hidden
        return 200 if method == "get" else ALLOWED

    return Probe(method, target, expect, **extra)


def post_only(target: str | None = None, *, login: bool = True) -> Probe:
    """A GET on a POST-only page: a login first where one is needed, then 405."""

    def expect(role: Role, thing: Thing | None, world: World) -> Expectation:
        return anonymous_page(role, 405) if login else 405

    return Probe("get", target, expect)


def api_read(kind: str, *, sees=reads, **extra: Any) -> Probe:
    def expect(role: Role, thing: Thing | None, world: World) -> Expectation:
        assert thing is not None
        return anonymous_api(role, 200 if sees(role, thing, world) else 404)

    return Probe("get", kind, expect, api=True, **extra)


def api_list(kind: str | None, *, sees=reads, **extra: Any) -> Probe:
    return Probe(
        "get",
        None,
        lambda role, thing, world: anonymous_api(role, 200),
        api=True,
        lists=kind,
        sees=sees,
        **extra,
    )


def api_staff_write(method: str, target: str | None = None, **extra: Any) -> Probe:
    """Writes of the secretariat: 401 without an account, 403 for everyone else."""

    def expect(role: Role, thing: Thing | None, world: World) -> Expectation:
        if role.anonymous:
            return 401
        return ALLOWED if role.secretariat else 403

    return Probe(method, target, expect, api=True, **extra)


def api_not_allowed(method: str, target: str | None = None) -> Probe:
    """A method the endpoint does not offer: refused before anything is looked up."""

    def expect(role: Role, thing: Thing | None, world: World) -> Expectation:
        if role.anonymous:
            return 401
        # The write policy answers before the method is looked up.
        return 405 if role.secretariat else 403

    return Probe(method, target, expect, api=True)


def api_authenticated(method: str = "get", **extra: Any) -> Probe:
    return Probe(
        method, None, lambda role, thing, world: anonymous_api(role, 200), api=True, **extra
    )


def release(role: Role, thing: Thing | None, world: World, *, api: bool) -> Expectation:
    """The secretariat's release of a paper: refused to all others; a paper the
    secretariat may not read (a delegation's note) is missing to it as well."""
    assert thing is not None
    if role.anonymous:
        return 401 if api else LOGIN
    if not role.secretariat:
        return 403 if api else 404
    return ALLOWED if reads(role, thing, world) else 404


# Oracles of the delegations' own writes.


def invitation_answer_page(role: Role, thing: Thing | None, world: World) -> Expectation:
    assert thing is not None
    if not sees_invitation(role, thing, world):
        return anonymous_page(role, 404)
    # An analyst (the secretariat's or the delegation's) reads the invitation; answering
    # it is not reading.
    return 403 if role.analyst else 302


def invitation_answer_api(role: Role, thing: Thing | None, world: World) -> Expectation:
    assert thing is not None
    if role.anonymous:
        return 401
    if role.secretariat:
        return 200
    if role.analyst or role.reading_party is None:
        return 403
    return 200 if sees_invitation(role, thing, world) else 404


def objection_page_post(role: Role, thing: Thing | None, world: World) -> Expectation:
    """Only seat-holders object, and only to the circulated agenda (the participants session's)."""
    assert thing is not None
    if role.anonymous:
        return LOGIN
    if not reads(role, thing, world):
        return 404
    circulated = thing.label == "s-participants"
    if circulated and role.reading_party in SEAT_HOLDERS:
        return 302
    return REFUSED


def objection_api_post(role: Role, thing: Thing | None, world: World) -> Expectation:
    if role.anonymous:
        return 401
    if role.analyst or (not role.secretariat and role.reading_party is None):
        return 403
    if role.reading_party in SEAT_HOLDERS:
        return 201
    return REFUSED


def extraordinary_request(role: Role, thing: Thing | None, world: World) -> Expectation:
    """Heads of seat-holders' delegations request; everyone else is told why not."""
    if role.anonymous:
        return LOGIN
    return 302 if role.reading_party in SEAT_HOLDERS and role.head else 400


def filing_page(role: Role, thing: Thing | None, world: World) -> Expectation:
    """Filing a paper: the form for whoever reads the session (placeholder data: 400)."""
    assert thing is not None
    if role.anonymous:
        return LOGIN
    return 400 if reads(role, thing, world) else 404


def filing_api(role: Role, thing: Thing | None, world: World) -> Expectation:
    if role.anonymous:
        return 401
    if role.analyst or (not role.secretariat and role.reading_party is None):
        return 403
    return REFUSED


def version_api(role: Role, thing: Thing | None, world: World) -> Expectation:
    assert thing is not None
    if role.anonymous:
        return 401
    if role.analyst or (not role.secretariat and role.reading_party is None):
        return 403
    return REFUSED if reads(role, thing, world) else 404


def translates(role: Role, thing: Thing, world: World) -> bool:
    """Who translates a paper's title: whoever revises it, its delegation (through a current
    membership, not an analyst's affiliation) or the secretariat for any paper but a
    delegation's private note."""
    if thing.owner is not None and role.reading_party == thing.owner and not role.analyst:
        return True
    return role.secretariat and thing.distribution != "delegation"


def translations_page(status: int) -> Oracle:
    """A paper's translations: ``status`` for its translators (200 for the page, 400 for an
    empty form, 302 once a confirmation is refused), 403 for its other readers, 404 else."""

    def expect(role: Role, thing: Thing | None, world: World) -> Expectation:
        assert thing is not None
        if role.anonymous:
            return LOGIN
        if translates(role, thing, world):
            return status
        return 403 if reads(role, thing, world) else 404

    return expect


def note_edit(role: Role, thing: Thing | None, world: World) -> Expectation:
    assert thing is not None
    return anonymous_page(role, 200 if sees_note(role, thing, world) else 404)


def reads_paper_and_session(role: Role, thing: Thing, world: World) -> bool:
    """A note on a passage is written from the session's briefing pack: both must be readable."""
    session = next(t for t in world.of("session") if t.label == thing.session)
    return reads(role, thing, world) and reads(role, session, world)


def annotate_page(role: Role, thing: Thing | None, world: World) -> Expectation:
    """Noting a passage: the form for who reads the paper and its session (empty data: 400)."""
    assert thing is not None
    return anonymous_page(role, 400 if reads_paper_and_session(role, thing, world) else 404)


def token_issue(role: Role, thing: Thing | None, world: World) -> Expectation:
    """The secretariat has a second factor (its empty form is refused); others enrol first."""
    if role.anonymous:
        return LOGIN
    return 400 if role.secretariat else 302


def token_revoke(role: Role, thing: Thing | None, world: World) -> Expectation:
    assert thing is not None
    return anonymous_page(role, 302 if role.name == thing.owner else 404)


def token_obtain(role: Role, thing: Thing | None, world: World) -> Expectation:
    # Wrong credentials: refused the same way for everyone, signed in or not.
    return 400


ATTEMPTS = itertools.count()


# The table -------------------------------------------------------------------

Entry = list[Probe] | CoveredBy

ROUTES: dict[str, Entry] = {
    # Project pages.
    # The login form for visitors; someone signed in is sent on to their dashboard.
    "login": [Probe("get", None, lambda role, thing, world: 200 if role.anonymous else 302)],
    "logout": [
        Probe("post", None, lambda role, thing, world: 302),
        Probe("get", None, lambda role, thing, world: 405),
    ],
    "dashboard": [logged_in_page()],
    "api-root": [api_authenticated()],
    "api-token": [
        # Sign-in attempts are throttled per username: each probe tries another one.
        Probe(
            "post",
            None,
            token_obtain,
            api=True,
            payload=lambda world: {"username": f"nobody-{next(ATTEMPTS)}", "password": "wrong"},
        ),
        Probe("get", None, lambda role, thing, world: 405, api=True),
    ],
    # Sessions (agenda).
    "agenda:session_list": [page_list("session", login=False)],
    "agenda:session_detail": [page_read("session", login=False)],
    "agenda:session_plan": [staff_page(), staff_page("post")],
    "agenda:session_convene": [staff_page(), staff_page("post")],
    "agenda:extraordinary_request_create": [
        logged_in_page(),
        Probe("post", None, extraordinary_request, data={"reason": "A crisis."}),
    ],
    "agenda:session_edit": [staff_page(target="session"), staff_page("post", "session")],
    "agenda:session_transition": [
        post_only("session"),
        staff_page("post", "session", data={"status": "cancelled"}),
    ],
    "notices:viewer_timezone_set": [
        post_only(login=False),
        Probe("post", None, lambda role, thing, world: 302, data={"timezone": "Europe/Moscow"}),
    ],
    # English again, so the probes after it read the pages as before.
    "members:language_set": [
        post_only(login=False),
        Probe("post", None, lambda role, thing, world: 302, data={"language": "en"}),
    ],
    "agenda:invitation_list": [page_list("invitation", sees=sees_invitation, login=True)],
    "agenda:invitation_accept": [
        post_only("invitation"),
        Probe("post", "invitation", invitation_answer_page),
    ],
    "agenda:invitation_decline": [
        post_only("invitation"),
        Probe("post", "invitation", invitation_answer_page),
    ],
    "agenda:invitation_revoke": [post_only("invitation"), staff_page("post", "invitation")],
    "agenda:invitation_create": [staff_page(target="session"), staff_page("post", "session")],
    "agenda:accreditation_create": [staff_page(target="session"), staff_page("post", "session")],
    "notices:notice_list": [logged_in_page(), logged_in_page("post", status=405)],
    "agenda:calendar": [
        logged_in_page(),
        logged_in_page("post", data={"action": "rotate"}),
    ],
    "agenda:calendar_feed": [
        Probe(
            "get",
            None,
            lambda role, thing, world: 404 if role.anonymous else 200,
            lists="session",
            sees=reads,
            ids_in="ics",
        )
    ],
    # The provisional agenda (agenda).
    "agenda:agenda_build": [staff_page(target="session"), staff_page("post", "session")],
    "agenda:agenda_circulate": [post_only("session"), staff_page("post", "session")],
    "agenda:agenda_adopt": [post_only("session"), staff_page("post", "session")],
    "agenda:agenda_reopen": [post_only("session"), staff_page("post", "session")],
    "agenda:agenda_carry_over": [post_only("session"), staff_page("post", "session")],
    "agenda:objection_create": [
        page_read("session"),
        Probe("post", "session", objection_page_post, data={"text": "We object."}),
    ],
    "agenda:agendaitem_edit": [staff_page(target="item"), staff_page("post", "item")],
    "agenda:agendaitem_move": [post_only("item"), staff_page("post", "item")],
    "agenda:agendaitem_remove": [post_only("item"), staff_page("post", "item")],
    "agenda:agendaitem_translations": [
        staff_page(target="item"),
        staff_page("post", "item", data={"language": "ru", "title": "Пункт", "text": "Текст"}),
    ],
    "agenda:agendaitem_translation_confirm": [
        post_only("item"),
        staff_page("post", "item", data={"language": "ru"}),
    ],
    "agenda:objection_answer": [
        post_only("objection"),
        staff_page("post", "objection", data={"response": "Noted."}),
    ],
    # Papers (agenda).
    "agenda:session_document_list": [
        page_read("session", login=False),
        Probe(
            "get",
            "session",
            lambda role, thing, world: 200 if thing and reads(role, thing, world) else 404,
            lists="document",
            sees=reads,
            only=("s-participants",),
            ids_in="html",
        ),
    ],
    "agenda:document_create": [page_read("session"), Probe("post", "session", filing_page)],
    "agenda:document_detail": [page_read("document", login=False)],
    "agenda:document_release": [
        post_only("document"),
        Probe(
            "post", "document", lambda role, thing, world: release(role, thing, world, api=False)
        ),
    ],
    "agenda:document_download": [page_read("document", login=False)],
    "agenda:document_version_download": [page_read("document", login=False)],
    "agenda:document_version_diff": [page_read("document", login=False)],
    "agenda:document_version_create": [
        page_read("document"),
        Probe("post", "document", filing_page),
    ],
    "agenda:document_translations": [
        Probe("get", "document", translations_page(200)),
        Probe("post", "document", translations_page(400)),
    ],
    "agenda:document_translation_confirm": [
        post_only("document"),
        Probe("post", "document", translations_page(302)),
    ],
    "agenda:note_list": [page_list("document", sees=sees_note)],
    "agenda:note_create": [logged_in_page(), logged_in_page("post", status=400)],
    "agenda:note_edit": [Probe("get", "document", note_edit)],
    # A note on a passage: the form for whoever reads the paper (placeholder data: 400).
    "agenda:note_annotate": [
        page_read("document", sees=reads_paper_and_session),
        Probe("post", "document", annotate_page),
    ],
    # Sessions API.
    "session-list": [
        api_list("session"),
        api_staff_write("post"),
        api_not_allowed("delete"),
    ],
    "session-detail": [
        api_read("session"),
        api_staff_write("patch", "session", data={"title": "Renamed"}),
        api_not_allowed("put", "session"),
        api_not_allowed("delete", "session"),
    ],
    "session-transition": [
        api_staff_write("post", "session", data={"status": "cancelled"}),
        Probe("get", "session", lambda role, thing, world: anonymous_api(role, 405), api=True),
    ],
    "invitation-list": [api_list("invitation", sees=sees_invitation), api_staff_write("post")],
    "invitation-detail": [
        api_read("invitation", sees=sees_invitation),
        api_not_allowed("patch", "invitation"),
        api_not_allowed("delete", "invitation"),
    ],
    "invitation-accept": [Probe("post", "invitation", invitation_answer_api, api=True)],
    "invitation-decline": [Probe("post", "invitation", invitation_answer_api, api=True)],
    "invitation-revoke": [api_staff_write("post", "invitation")],
    "agenda-item-list": [api_list("item"), api_staff_write("post")],
    "agenda-item-detail": [
        api_read("item"),
        api_staff_write("patch", "item", data={"title": "Renamed"}),
        api_staff_write("delete", "item"),
    ],
    "objection-list": [
        api_list("objection", sees=sees_objection),
        Probe(
            "post",
            None,
            objection_api_post,
            api=True,
            payload=lambda world: {
                "session": world.of("session")[1].public_id,
                "text": "We object.",
            },
        ),
    ],
    "objection-detail": [api_read("objection", sees=sees_objection)],
    "objection-answer": [api_staff_write("post", "objection", data={"response": "Noted."})],
    "document-list": [api_list("document"), Probe("post", None, filing_api, api=True)],
    "document-detail": [api_read("document"), api_not_allowed("delete", "document")],
    "document-add-version": [Probe("post", "document", version_api, api=True)],
    "document-release": [
        Probe(
            "post",
            "document",
            lambda role, thing, world: release(role, thing, world, api=True),
            api=True,
        )
    ],
    # Members.
    "members:rotation": [logged_in_page()],
    "members:rotation_plan": [staff_page("post", hidden=403)],
    "members:rotation_term_swap": [staff_page(target="term", hidden=403)],
    "party-list": [api_authenticated(), api_staff_write("post")],
    "party-detail": [
        Probe("get", "party", lambda role, thing, world: anonymous_api(role, 200), api=True),
        api_staff_write("patch", "party"),
    ],
    "seat-list": [api_authenticated(), api_staff_write("post")],
    "seat-detail": [
        Probe("get", "seat", lambda role, thing, world: anonymous_api(role, 200), api=True)
    ],
    "seat-arrangement": [api_staff_write("post", "seat")],
    "rotation-list": [api_authenticated(), api_staff_write("post")],
    "rotation-plan": [api_staff_write("post")],
    "rotation-detail": [
        Probe("get", "term", lambda role, thing, world: anonymous_api(role, 200), api=True)
    ],
    "rotation-swap": [api_staff_write("post", "term")],
    "delegation-list": [api_authenticated(), api_staff_write("post")],
    "delegation-detail": [
        Probe("get", "delegation", lambda role, thing, world: anonymous_api(role, 200), api=True)
    ],
    "delegation-members": [api_staff_write("post", "delegation")],
    "delegation-end-membership": [api_staff_write("post", "membership")],
    "delegation-accreditations": [api_staff_write("post", "delegation")],
    "delegation-revoke-accreditation": [api_staff_write("post", "accreditation")],
    # Analysts.
    "analytics:token_list": [
        logged_in_page(),
        # Issuing a token needs a second factor: those without one are sent to enrol.
        Probe("post", None, token_issue),
    ],
    # The GET first: the POST ends every session of the role, the probing client's included.
    "analytics:logout_everywhere": [post_only(), logged_in_page("post", status=302)],
    "analytics:token_revoke": [post_only("token"), Probe("post", "token", token_revoke)],
    "api-stats": [api_authenticated()],
    "api-search": [api_authenticated(data={"q": "Item"})],
    "export-sessions-csv": [api_list("session", ids_in="csv")],
    "export-sessions-jsonl": [api_list("session", ids_in="jsonl")],
    "export-statements-csv": [api_authenticated()],
    "export-statements-jsonl": [api_authenticated()],
    "export-action-points-csv": [api_authenticated()],
    "export-action-points-jsonl": [api_authenticated()],
    "export-positions-csv": [api_authenticated()],
    "export-positions-jsonl": [api_authenticated()],
}

# The record (minutes, communiqués) has its own matrix module; briefing packs too.
MINUTES_MATRIX = "tests/minutes/test_pages_authorization.py"
MINUTES_PAGES = "tests/minutes/test_pages_record.py"
BRIEFINGS = "tests/briefings/test_pages_packs.py"
for _name in [
    "minutes:minutes_list",
    "minutes:minutes_create",
    "minutes:statement_search",
    "minutes:actionpoint_list",
    "minutes:actionpoint_status",
    "minutes:amendment_decide",
    "minutes:minutes_detail",
    "minutes:statement_record",
    "minutes:attendance_record",
    "minutes:attendance_sheet",
    "minutes:minutes_circulate",
    "minutes:minutes_approve",
    "minutes:amendment_propose",
    "minutes:actionpoint_create",
    "minutes:revision_diff",
    "minutes:statements_export",
    "minutes:communique_list",
    "minutes:communique_feed",
    "minutes:communique_draft",
    "minutes:communique_detail",
    "minutes:communique_version_add",
    "minutes:communique_version_diff",
    "minutes:communique_circulate",
    "minutes:communique_publish",
    "minutes:position_state",
]:
    ROUTES[_name] = CoveredBy(MINUTES_MATRIX, _name)
ROUTES["minutes:interpretative_attach"] = CoveredBy(MINUTES_PAGES, '"interpretative_attach"')
ROUTES["minutes:silence_break"] = CoveredBy(MINUTES_PAGES, '"silence_break"')
for _name, _path in [
    ("minutes-list", "/api/v1/minutes/"),
    ("minutes-detail", "/api/v1/minutes/{}/"),
    ("statement-list", "/api/v1/statements/"),
    ("statement-detail", "/api/v1/statements/{}/"),
    ("action-point-list", "/api/v1/action-points/"),
    ("action-point-detail", "/api/v1/action-points/{}/"),
    ("action-point-status", "/api/v1/action-points/{record['point'].public_id}/status/"),
    ("communique-list", "/api/v1/communiques/"),
    ("communique-detail", "/api/v1/communiques/{}/"),
    ("position-list", "/api/v1/positions/"),
    ("position-detail", "/api/v1/positions/"),
]:
    ROUTES[_name] = CoveredBy(MINUTES_MATRIX, _path)
# Signed communiqués: public files, keys and the verification page (tests/minutes/test_signing.py).
SIGNING = "tests/minutes/test_signing.py"
for _name in [
    "minutes:communique_signed_pdf",
    "minutes:communique_signed_json",
    "minutes:signing_key_list",
    "minutes:signing_key_pem",
    "minutes:communique_verify",
]:
    ROUTES[_name] = CoveredBy(SIGNING, _name)
ROUTES["communique-signature"] = CoveredBy(SIGNING, "/signature/")
# Parallel texts of communiqués: the secretariat's translations and the feeds per language.
PARALLEL = "tests/minutes/test_parallel_texts.py"
ROUTES["minutes:communique_translations"] = CoveredBy(PARALLEL, "translations_pages_are_the_")
ROUTES["minutes:communique_translation_confirm"] = CoveredBy(PARALLEL, 'url + "confirm/"')
ROUTES["minutes:communique_feed_language"] = CoveredBy(PARALLEL, "/communiques/feed/{language}/")
ROUTES["signing-key-list"] = CoveredBy(SIGNING, "/api/v1/signing-keys/")
ROUTES["signing-key-detail"] = CoveredBy(SIGNING, "/api/v1/signing-keys/{")
for _name in [
    "briefings:pack_detail",
    "briefings:pack_download",
    "briefings:pack_receipts",
    "briefings:pack_rebuild",
]:
    ROUTES[_name] = CoveredBy(BRIEFINGS, _name)
# The leak tracer: the secretariat's upload page; nobody else finds it.
ROUTES["briefings:pack_trace"] = [staff_page(), staff_page("post")]
ROUTES["pack-list"] = CoveredBy(BRIEFINGS, "/api/v1/packs/")
ROUTES["pack-detail"] = CoveredBy(BRIEFINGS, "/api/v1/packs/{")
ROUTES["pack-download"] = CoveredBy("tests/briefings/test_api_download.py", "/download/")
# The crisis toolkit's pages: tests/crises/test_pages_authorization.py, role by role.
CRISES_PAGES = "tests/crises/test_pages_authorization.py"
for _name in [
    "crises:crisis_list",
    "crises:crisis_create",
    "crises:crisis_detail",
    "crises:crisis_edit",
    "crises:crisis_transition",
    "crises:crisis_link",
    "crises:crisis_unlink",
    "crises:threat_list",
    "crises:threat_create",
    "crises:threat_trend",
    "crises:threat_edit",
    "crises:threat_retire",
    "crises:assessment_list",
    "crises:assessment_open",
    "crises:assessment_detail",
    "crises:round_release",
    "crises:round_open_next",
]:
    ROUTES[_name] = CoveredBy(CRISES_PAGES, f'"{_name}"')
# Crisis alerts: their pages and API, role by role.
for _name in [
    "crises:alert_list",
    "crises:alert_raise",
    "crises:alert_detail",
    "crises:alert_acknowledge",
    "crises:alert_request_session",
    "alert-list",
    "alert-detail",
]:
    ROUTES[_name] = CoveredBy("tests/crises/test_pages_alerts.py", _name.split(":")[-1])
# The alerts' live channel: each recipient's own alerts, nothing for anyone else.
ROUTES["crises:alerts_live"] = CoveredBy("tests/crises/test_alerts_live.py", "alerts_live")
# Off-ramps and norms: tests/crises/test_pages_authorization_registers.py, role by role.
CRISES_REGISTER_PAGES = "tests/crises/test_pages_authorization_registers.py"
for _name in [
    "crises:off_ramp_board",
    "crises:off_ramp_create",
    "crises:off_ramp_detail",
    "crises:off_ramp_edit",
    "crises:off_ramp_transition",
    "crises:norm_list",
    "crises:norm_create",
    "crises:norm_detail",
    "crises:norm_edit",
    "crises:adherence_state",
    "crises:incident_report",
    "crises:incident_respond",
]:
    ROUTES[_name] = CoveredBy(CRISES_REGISTER_PAGES, f'"{_name}"')
# The toolkit's parallel texts: the secretariat's translations pages of a dossier, an
# off-ramp and a norm, refused to everyone else (tests/crises/test_parallel_toolkit.py).
TOOLKIT_PARALLEL = "tests/crises/test_parallel_toolkit.py"
for _name in ["crisis", "off_ramp", "norm"]:
    ROUTES[f"crises:{_name}_translations"] = CoveredBy(
        TOOLKIT_PARALLEL, "test_the_translations_pages_are_refused_to_delegates_and_others"
    )
    ROUTES[f"crises:{_name}_translation_confirm"] = CoveredBy(TOOLKIT_PARALLEL, 'url + "confirm/"')
# A threat's: tests/crises/test_parallel_threats.py.
THREAT_PARALLEL = "tests/crises/test_parallel_threats.py"
ROUTES["crises:threat_translations"] = CoveredBy(
    THREAT_PARALLEL, "test_the_translations_page_is_refused_to_delegates_and_others"
)
ROUTES["crises:threat_translation_confirm"] = CoveredBy(THREAT_PARALLEL, 'url + "confirm/"')
# Tabletop exercises: tests/crises/test_exercises_authorization.py, role by role.
EXERCISE_PAGES = "tests/crises/test_exercises_authorization.py"
for _name in [
    "crises:exercise_list",
    "crises:exercise_detail",
    "crises:exercise_live",
    "crises:exercise_start",
    "crises:exercise_pause",
    "crises:exercise_end",
    "crises:exercise_report",
    "crises:aar_draft",
    "crises:aar_confirm",
    "crises:inject_release",
    "crises:inject_disclose",
    "crises:response_record",
]:
    ROUTES[_name] = CoveredBy(EXERCISE_PAGES, f'"{_name}"')
# An inject's edit page: the secretariat's, of an exercise this world does not hold.
ROUTES["crises:inject_edit"] = CoveredBy(
    "tests/crises/test_toolkit_edit.py", "test_the_edit_pages_are_the_secretariats"
)
EXERCISE_API = "tests/crises/test_exercises_api.py"
ROUTES["exercise-list"] = CoveredBy(EXERCISE_API, 'API = "/api/v1/exercises/"')
for _name, _tail in [
    ("exercise-detail", '""'),
    ("exercise-injects", '"injects/"'),
    ("exercise-responses", '"responses/"'),
    ("exercise-report", '"report/"'),
]:
    ROUTES[_name] = CoveredBy(EXERCISE_API, _tail)
ROUTES["audit:entry_list"] = CoveredBy("tests/audit/test_api_access.py", "audit:entry_list")
ROUTES["audit-entry-list"] = CoveredBy("tests/audit/test_api_access.py", "/api/v1/audit/")
ROUTES["audit-entry-detail"] = CoveredBy("tests/audit/test_api_access.py", "{API}{theirs.seq}/")
# The crisis toolkit's API has its own matrix module, URL name by URL name.
CRISES_API_MATRIX = "tests/crises/test_api_authorization.py"
for _name in [
    "crisis-list",
    "crisis-detail",
    "crisis-timeline",
    "crisis-transition",
    "crisis-link",
    "threat-list",
    "threat-detail",
    "threat-retire",
    "threat-trend",
    "threat-trend-svg",
    "assessment-list",
    "assessment-detail",
    "assessment-release",
    "assessment-rounds",
    "assessment-picture",
    "assessment-picture-matrix",
    "assessment-picture-divergence",
    "score-list",
    "score-detail",
    "export-threat-pictures-csv",
    "export-threat-pictures-jsonl",
]:
    ROUTES[_name] = CoveredBy(CRISES_API_MATRIX, f'"{_name}"')
# Off-ramps, stances, norms and incidents (read only): their own matrix module.
for _name in [
    "off-ramp-list",
    "off-ramp-detail",
    "stance-list",
    "stance-detail",
    "norm-list",
    "norm-detail",
    "incident-list",
    "incident-detail",
]:
    ROUTES[_name] = CoveredBy("tests/crises/test_api_registers.py", f'"{_name}"')
# The crisis toolkit's exports: their own module.
for _export in ["exercises", "injects", "off-ramps", "stances", "norms", "adherence",
                "incidents", "alerts"]:  # fmt: skip
    for _fmt in ("csv", "jsonl"):
        _name = f"export-{_export}-{_fmt}"
        ROUTES[_name] = CoveredBy("tests/crises/test_api_exports_toolkit.py", f'"{_name}"')

# An exercise's and an inject's translations: the secretariat's, of an exercise this world
# does not hold.
EXERCISES_PARALLEL = "tests/crises/test_parallel_exercises.py"
ROUTES["crises:exercise_translations"] = CoveredBy(
    EXERCISES_PARALLEL, "test_the_translations_pages_are_refused_to_delegates_and_others"
)
ROUTES["crises:exercise_translation_confirm"] = CoveredBy(
    EXERCISES_PARALLEL, "translations_url(started, confirm=True)"
)
ROUTES["crises:inject_translations"] = CoveredBy(
    EXERCISES_PARALLEL, "test_the_injects_translations_page_has_no_title_and_is_the_secretariats"
)
ROUTES["crises:inject_translation_confirm"] = CoveredBy(EXERCISES_PARALLEL, "player.post(confirm")
# An after-action report's: the secretariat's, of a report this world does not hold.
AAR_PARALLEL = "tests/crises/test_parallel_aar.py"
ROUTES["crises:aar_translations"] = CoveredBy(
    AAR_PARALLEL, "test_the_translations_pages_are_refused_to_delegates_and_others"
)
ROUTES["crises:aar_translation_confirm"] = CoveredBy(AAR_PARALLEL, "other.post(confirm")


# Category rules: the admin (the secretariat's staff accounts only) and the API's
# schema and documentation (public, no data).
PUBLIC_DOCS = {"schema", "api-docs", "api-redoc"}


def _route_names() -> Iterator[tuple[str, str]]:
    """(name, route) of every URL pattern, the admin's included under ``admin:``."""

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if namespace and pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or ""
                full = f"{namespace}:{name}" if namespace else name
                yield full, prefix + str(pattern.pattern)

    yield from walk(get_resolver().url_patterns, "", None)


def test_every_url_has_an_entry():
    """A URL the project defines without a matrix entry or a category rule fails here."""
    missing = sorted(
        {
            f"{name or '(unnamed)'} {route}"
            for name, route in _route_names()
            if name not in ROUTES
            and name not in PUBLIC_DOCS
            and not name.startswith("admin:")
            and not route.startswith("admin/")
            # django-allauth's own account pages (second factor, reauthentication,
            # sessions, password): each acts on the signed-in user only; the
            # platform's rules on them are in tests/test_second_factor.py and
            # tests/test_logins.py.
            and not route.startswith("accounts/")
        }
    )
    assert missing == [], "URLs without an authorization matrix entry:\n" + "\n".join(missing)


def test_entries_name_existing_urls():
    """No stale entry: each name in the table is a URL of the project."""
    names = {name for name, _route in _route_names()}
    assert sorted(set(ROUTES) - names) == []


@pytest.mark.parametrize(
    ("name", "entry"),
    [(name, entry) for name, entry in ROUTES.items() if isinstance(entry, CoveredBy)],
    ids=[name for name, entry in ROUTES.items() if isinstance(entry, CoveredBy)],
)
def test_covered_elsewhere(name, entry):
    """URLs covered by an app's own matrix are named there."""
    assert entry.evidence in (ROOT / entry.module).read_text(), f"{name} not in {entry.module}"


# Running the probes ----------------------------------------------------------


def _kwargs(name: str, thing: Thing | None) -> dict[str, Any]:
    if thing is None:
        return {}
    if thing.kind == "membership":
        return {"id": str(thing.obj.delegation.public_id), "member_id": thing.public_id}
    if thing.kind == "accreditation":
        return {"id": str(thing.obj.delegation.public_id), "accreditation_id": thing.public_id}
    if name == "agenda:document_version_download":
        return {"public_id": thing.public_id, "number": 1}
    # Router routes take ``id`` or ``public_id``; pages take ``public_id``.
    return {"key": thing.public_id}


def _url(name: str, thing: Thing | None, world: World, role: Role) -> str:
    if name == "agenda:calendar_feed":
        token = world.feeds.get(role.name, "no-such-token-" + "x" * 30)
        return reverse(name, kwargs={"token": token})
    kwargs = _kwargs(name, thing)
    if "key" in kwargs:
        key = kwargs.pop("key")
        for candidate in ("public_id", "id"):
            try:
                return reverse(name, kwargs={candidate: key, **kwargs})
            except NoReverseMatch:
                continue
        raise AssertionError(f"cannot reverse {name} for {thing}")
    return reverse(name, kwargs=kwargs or None)


def _clients(world: World, role: Role) -> tuple[Client, APIClient]:
    page, api = Client(), APIClient()
    if not role.anonymous:
        page.force_login(world.users[role.name])
        api.force_authenticate(world.users[role.name])
    return page, api


def _ids(probe: Probe, response: Any) -> set[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    if probe.ids_in == "json":
        payload = json.loads(text)
        rows = payload["results"] if isinstance(payload, dict) else payload
        return {str(row["id"]) for row in rows}
    if probe.ids_in == "csv":
        return {row["id"] for row in csv.DictReader(io.StringIO(text))}
    if probe.ids_in == "jsonl":
        return {json.loads(line)["id"] for line in text.splitlines() if line.strip()}
    return {"*" + text}  # html and ics: searched below


def _listed(probe: Probe, response: Any, world: World) -> set[str]:
    assert probe.lists is not None
    known = {thing.public_id for thing in world.of(probe.lists)}
    found = _ids(probe, response)
    if probe.ids_in in ("html", "ics"):
        (text,) = found
        return {pid for pid in known if pid in text}
    assert found <= known, f"unknown objects listed: {found - known}"
    return found


def _status_matches(expected: Expectation, response: Any) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("login"))
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and "/admin/login/" in response["Location"]
    if isinstance(expected, frozenset):
        return response.status_code in expected
    return response.status_code == expected


def _send(client: Any, probe: Probe, url: str, world: World) -> Any:
    method = getattr(client, probe.method)
    data = probe.payload(world) if probe.payload else probe.data
    if probe.method == "get":
        return method(url + ("?" + urlencode(data) if data else ""))
    if probe.api:
        return method(url, data, format="json")
    return method(url, data)


# What a page names -----------------------------------------------------------

UUID_IN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class _PageNames(HTMLParser):
    """What a page names: the values of its choices, the targets of its links and forms,
    and its text (where titles and symbols show)."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"option": "value", "a": "href", "form": "action", "input": "value"}.get(tag)
        for attr, value in attrs:
            if attr == wanted and value:
                self.references.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def may_read(role: Role, thing: Thing, world: World) -> bool:
    """The oracle for each kind of object a page may name."""
    if thing.kind == "invitation":
        return sees_invitation(role, thing, world)
    if thing.kind == "objection":
        return sees_objection(role, thing, world)
    if thing.kind == "token":
        return role.name == thing.owner
    if thing.kind in ("session", "item", "document", "minutes"):
        return reads(role, thing, world)
    return True  # parties, seats, rotation terms and delegations are nobody's secret


def _titles(thing: Thing) -> list[str]:
    if thing.kind == "item":
        return [thing.obj.title]
    if thing.kind == "document":
        return [thing.obj.title, thing.obj.symbol]
    return []


def unreadable_named(role: Role, response: Any, world: World) -> list[str]:
    """Objects an HTML page names (as a choice, a link or a title) that ``role`` may not read."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = _PageNames()
    parser.feed(response.content.decode())
    named = {match for value in parser.references for match in UUID_IN.findall(value)}
    text = " ".join(parser.text)
    problems = []
    for things in world.things.values():
        for thing in things:
            if may_read(role, thing, world):
                continue
            if thing.public_id in named:
                problems.append(f"names {thing.kind} {thing.label} in a choice or link")
            for title in _titles(thing):
                if title in text:
                    problems.append(f"shows the title {title!r} of {thing.kind} {thing.label}")
    return problems


def _run(name: str, probes: list[Probe], world: World) -> list[str]:
    problems = []
    for role in ROLES:
        page, api = _clients(world, role)
        for probe in probes:
            client = api if probe.api else page
            targets: list[Thing | None] = list(world.of(probe.target)) if probe.target else [None]
            for thing in targets:
                if probe.only and (thing is None or thing.label not in probe.only):
                    continue
                url = _url(name, thing, world, role)
                expected = probe.expect(role, thing, world)
                with transaction.atomic():
                    response = _send(client, probe, url, world)
                    transaction.set_rollback(_writes(probe.method))
                where = f"{probe.method.upper()} {url} as {role.name}"
                if thing is not None:
                    where += f" on {thing.label}"
                if not _status_matches(expected, response):
                    problems.append(f"{where}: {response.status_code}, expected {expected}")
                    continue
                if not probe.api and response.status_code in (200, 400):
                    # Pages, their forms shown again with an error included.
                    problems.extend(
                        f"{where}: {p}" for p in unreadable_named(role, response, world)
                    )
                if probe.lists and response.status_code == 200 and probe.sees is not None:
                    expected_ids = {
                        t.public_id
                        for t in world.of(probe.lists)
                        if probe.sees(role, t, world)
                        and (not probe.only or thing is None or t.session == thing.label)
                    }
                    listed = _listed(probe, response, world)
                    if listed != expected_ids:
                        labels = {t.public_id: t.label for t in world.of(probe.lists)}
                        extra = sorted(labels[i] for i in listed - expected_ids)
                        lacking = sorted(labels[i] for i in expected_ids - listed)
                        problems.append(f"{where}: lists {extra} too many, {lacking} missing")
    return problems


PROBED = [(name, entry) for name, entry in ROUTES.items() if isinstance(entry, list)]


@pytest.mark.parametrize(("name", "probes"), PROBED, ids=[name for name, _ in PROBED])
def test_matrix(world, db, name, probes):
    """Each role gets, for each object, the answer the oracle gives."""
    problems = _run(name, probes, world)
    assert problems == [], f"{name}:\n" + "\n".join(problems)


def test_admin_is_the_secretariats(world, db):
    """The admin opens to staff accounts (the secretariat); others go to its login."""
    for role in ROLES:
        page, _api = _clients(world, role)
        response = page.get(reverse("admin:index"))
        if role.secretariat:
            assert response.status_code == 200, role.name
        else:
            assert _status_matches(ADMIN_LOGIN, response), (role.name, response.status_code)


# Pages of the record, whose answers the minutes matrix checks role by role: here they are
# rendered as every role, and what they name is checked against the oracle.
NAMED_ELSEWHERE: dict[str, str | None] = {
    "minutes:minutes_list": None,
    "minutes:minutes_detail": "minutes",
    "minutes:statement_record": "minutes",
    "minutes:attendance_sheet": "minutes",
    "minutes:revision_diff": "minutes",
    "minutes:statement_search": None,
    "minutes:actionpoint_list": None,
    "minutes:communique_list": None,
    "minutes:communique_draft": None,
    "minutes:signing_key_list": None,
    "minutes:communique_verify": None,
    # Entries about the role's own account only (the secretariat's: all of them).
    "audit:entry_list": None,
    # The crisis toolkit's lists and the secretariat's forms (this world has no crisis:
    # their choices name its sessions and items).
    "crises:crisis_list": None,
    "crises:crisis_create": None,
    "crises:threat_list": None,
    "crises:threat_create": None,
    "crises:threat_trend": None,
    "crises:assessment_list": None,
    "crises:assessment_open": None,
    "crises:norm_list": None,
    "crises:norm_create": None,
    "crises:exercise_list": None,
}
# Pages covered elsewhere that this check leaves out, and why.
NOT_NAMED_HERE = {
    # POST only: they answer with a redirect, never a page.
    "minutes:minutes_create", "minutes:actionpoint_status", "minutes:amendment_decide",
    "minutes:attendance_record", "minutes:minutes_circulate", "minutes:minutes_approve",
    "minutes:amendment_propose", "minutes:actionpoint_create", "minutes:interpretative_attach",
    "minutes:communique_version_add", "minutes:communique_circulate",
    "minutes:communique_publish", "minutes:position_state", "minutes:silence_break",
    "minutes:communique_translation_confirm",
    "briefings:pack_rebuild",
    # Not HTML: CSV, Atom, PDF.
    "minutes:statements_export", "minutes:communique_feed", "briefings:pack_download",
    "minutes:communique_feed_language",
    "minutes:communique_signed_pdf", "minutes:communique_signed_json",
    "minutes:signing_key_pem",
    # The world holds no communiqué and no pack: tests/minutes and tests/briefings check them.
    "minutes:communique_detail", "minutes:communique_version_diff",
    "minutes:communique_translations",
    "briefings:pack_detail", "briefings:pack_receipts",
    # POST only, and pages of a dossier, threat or assessment, which this world does not
    # hold: tests/crises/test_pages_*.py check what they show each role.
    "crises:crisis_transition", "crises:crisis_unlink", "crises:threat_retire",
    "crises:round_release", "crises:round_open_next", "crises:crisis_detail",
    "crises:crisis_edit", "crises:crisis_link", "crises:threat_edit",
    "crises:assessment_detail",
    # Crisis alerts: this world raises none; tests/crises/test_pages_alerts.py checks them.
    "crises:alert_list", "crises:alert_raise", "crises:alert_detail",
    "crises:alert_acknowledge", "crises:alert_request_session",
    # The alerts' live channel is no page (tests/crises/test_alerts_live.py).
    "crises:alerts_live",
    # Off-ramps and norms: POST only, or pages of a crisis, option, norm or incident,
    # which this world does not hold (tests/crises/test_pages_*registers.py check them).
    "crises:off_ramp_board", "crises:off_ramp_create", "crises:off_ramp_detail",
    "crises:off_ramp_transition", "crises:norm_detail", "crises:adherence_state",
    "crises:incident_report", "crises:incident_respond",
    # The secretariat's edit pages of an option, a norm or an inject this world does not
    # hold (tests/crises/test_toolkit_edit.py).
    "crises:off_ramp_edit", "crises:norm_edit", "crises:inject_edit",
    # The toolkit's translations pages: of a dossier, option, norm or threat this world
    # does not hold, or POST only (tests/crises/test_parallel_toolkit.py and
    # test_parallel_threats.py).
    "crises:crisis_translations", "crises:crisis_translation_confirm",
    "crises:off_ramp_translations", "crises:off_ramp_translation_confirm",
    "crises:norm_translations", "crises:norm_translation_confirm",
    "crises:threat_translations", "crises:threat_translation_confirm",
    # This world holds no exercise: tests/crises/test_exercises_authorization.py and
    # test_pages_exercises.py check what each role is shown; the live channel is no page.
    "crises:exercise_detail", "crises:exercise_live", "crises:exercise_start",
    "crises:exercise_pause", "crises:exercise_end", "crises:exercise_report",
    "crises:aar_draft", "crises:aar_confirm", "crises:inject_release",
    "crises:inject_disclose", "crises:response_record",
    # An exercise's and an inject's translations: of an exercise this world does not hold.
    "crises:exercise_translations", "crises:exercise_translation_confirm",
    "crises:inject_translations", "crises:inject_translation_confirm",
    # An after-action report's translations: of a report this world does not hold.
    "crises:aar_translations", "crises:aar_translation_confirm",
}  # fmt: skip


def test_every_page_covered_elsewhere_is_checked_for_what_it_names():
    """A page tested in an app's own matrix is rendered here too, or says why not."""
    pages = {name for name, entry in ROUTES.items() if isinstance(entry, CoveredBy) and ":" in name}
    assert sorted(pages - set(NAMED_ELSEWHERE) - NOT_NAMED_HERE) == []
    assert sorted((set(NAMED_ELSEWHERE) | NOT_NAMED_HERE) - pages) == []


@pytest.mark.parametrize("name", sorted(NAMED_ELSEWHERE))
def test_pages_covered_elsewhere_name_only_what_the_role_reads(world, db, name):
    """Every choice, link and title on the record's pages is one the role may read."""
    kind = NAMED_ELSEWHERE[name]
    problems: list[str] = []
    shown = 0
    for role in ROLES:
        page, _api = _clients(world, role)
        for thing in world.of(kind) if kind else [None]:
            url = _url(name, thing, world, role)
            response = page.get(url)
            if response.status_code != 200:
                continue
            shown += 1
            named = unreadable_named(role, response, world)
            problems.extend(f"GET {url} as {role.name}: {problem}" for problem in named)
    assert shown, f"{name} was shown to nobody: the check ran on nothing"
    assert problems == [], f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", sorted(PUBLIC_DOCS))
def test_api_documentation_is_public(world, db, name):
    """The schema and its documentation pages describe the API to anyone; they hold no data.
    (Generating the schema is slow: one anonymous and one signed-in reader suffice.)"""
    for role in (ROLES[0], ROLES[4]):
        page, _api = _clients(world, role)
        assert page.get(reverse(name)).status_code == 200, role.name

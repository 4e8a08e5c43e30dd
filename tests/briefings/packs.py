"""The briefings world: the table of tests/worlds.py, a held session and this quarter's,
whose briefing pack has something for everyone (the ``table`` fixture, ``build_table()``).

- USA, RUS (own seats), NATO and EU (institutions) sit at the table; CSTO
  observes; Ukraine is invited ad hoc to item 1 only.
- Item 1 (participants) has a background paper in rich text and an uploaded
  PDF; item 2 is a Chatham House item carried from the previous session,
  where statements were made on it; item 3 is for seat-holders only.
- The US and Russian delegations each filed a private note on item 2.
- The previous session published a communiqué and left an action point open.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Any, cast

from django.utils import timezone
from pypdf import PdfReader

from agenda.models import Agenda, AgendaItem, Document, Session
from agenda.services.documents import document_create
from briefings.models import Pack, PackRender
from briefings.services.planning import packs_build_now, packs_plan
from briefings.services.renders import pack_render_deliver
from consult.access import Distribution
from consult.pdf import html_to_pdf
from consult.quarters import Quarter
from members.models import Party
from minutes.models import ActionPoint, Communique, CommuniqueVersion, Minutes, Statement
from tests.factories import (
    AgendaFactory,
    AgendaItemFactory,
    SessionFactory,
    UserFactory,
    secretariat_user,
)
from tests.worlds import INSTITUTIONS, table_delegate, table_invite, table_parties, table_seats

# factory_boy's classes type as themselves; these name what they make.
new_session = cast("Callable[..., Session]", SessionFactory)
new_agenda = cast("Callable[..., Agenda]", AgendaFactory)
new_item = cast("Callable[..., AgendaItem]", AgendaItemFactory)
new_user = cast("Callable[..., Any]", UserFactory)

US_NOTE = "US PRIVATE NOTE: our red lines on maritime incidents"
RU_NOTE = "RUSSIAN PRIVATE NOTE: talking points for the chair"
BACKGROUND = "Background on the situation: ceasefire lines and humanitarian corridors"
CHATHAM_SPEAKER = "Jane Hidden-Speaker"
OPEN_SPEAKER = "Ivan Open-Speaker"
ANNEX_TEXT = "ANNEX BODY TEXT OF THE UPLOADED PAPER"
SEAT_HOLDERS_ITEM = "Norms of behaviour at sea"


@dataclass
class Table:
    secretary: Any
    outsider: Any
    parties: dict[str, Party]
    delegates: dict[str, Any]
    previous: Session
    session: Session
    ukraine_item: AgendaItem
    chatham_item: AgendaItem
    seat_holders_item: AgendaItem
    background: Document
    annex: Document
    us_note: Document
    ru_note: Document

    def user(self, code: str) -> Any:
        return self.delegates[code]


@functools.cache
def annex_pdf(pages: int = 2) -> bytes:
    body = "".join(
        f"<section style='break-before: page'><h1>{ANNEX_TEXT} {n}</h1></section>"
        for n in range(1, pages + 1)
    )
    return html_to_pdf(f"<html><body>{body}</body></html>")


def build_table() -> Table:
    """The table of tests/worlds.py, a held session and this quarter's, with its papers."""
    parties = table_parties()
    table_seats(parties, modes=INSTITUTIONS)
    delegates = {
        "USA": table_delegate(parties["USA"], "delegate-usa", first="Alice", last="Anderson"),
        "RUS": table_delegate(parties["RUS"], "delegate-rus", first="Сергей", last="Лавров"),
        "NATO": table_delegate(parties["NATO"], "delegate-nato", first="Nora", last="North"),
        "EU": table_delegate(parties["EU"], "delegate-eu", first="Eva", last="Europa"),
        "UKR": table_delegate(parties["UKR"], "delegate-ukr", first="Olena", last="Kovalenko"),
        "CSTO": table_delegate(parties["CSTO"], "delegate-csto", first="Kairat", last="Observer"),
    }
    secretary: Any = secretariat_user()
    now = timezone.now()
    quarter = str(Quarter.of(now))

    previous = new_session(number="CCB/T/P1", quarter=quarter, starts_at=now - timedelta(days=60))
    previous_item = new_item(
        agenda__session=previous, order=1, title="Incidents at sea", chatham_house=True
    )
    open_item = new_item(agenda=previous_item.agenda, order=2, title="Hotlines")
    table_invite(previous, parties, observer=None)
    minutes = Minutes.objects.create(
        session=previous, status=Minutes.Status.CIRCULATED, created_by=secretary
    )
    Statement.objects.create(
        minutes=minutes, item=previous_item, party=parties["USA"], speaker_name=CHATHAM_SPEAKER,
        order=1, summary="Proposed a standing maritime incidents channel.", recorded_by=secretary,
    )  # fmt: skip
    Statement.objects.create(
        minutes=minutes, item=open_item, party=parties["RUS"], speaker_name=OPEN_SPEAKER,
        order=1, summary="Supported hotlines.", recorded_by=secretary,
    )  # fmt: skip
    ActionPoint.objects.create(
        minutes=minutes, item=open_item, owner=None, description="Circulate a hotline draft",
        due_date=(now + timedelta(days=5)).date(), created_by=secretary,
    )  # fmt: skip
    communique = Communique.objects.create(
        session=previous, title="Communiqué of CCB/T/P1", created_by=secretary
    )
    version = CommuniqueVersion.objects.create(
        communique=communique, number=1, text="<p>The body met and talked.</p>",
        created_by=secretary,
    )  # fmt: skip
    Communique.objects.filter(pk=communique.pk).update(
        status=Communique.Status.PUBLISHED, distribution=Distribution.PUBLIC,
        published_version=version, published_at=now - timedelta(days=59),
    )  # fmt: skip
    Session.objects.filter(pk=previous.pk).update(status=Session.Status.HELD)

    session = new_session(
        number="CCB/T/Q1", quarter=quarter, starts_at=now + timedelta(days=20),
        title="Regular session", venue_timezone="Europe/Vienna",
    )  # fmt: skip
    agenda = new_agenda(session=session)
    ukraine_item = new_item(
        agenda=agenda, order=1, title="The situation in and around Ukraine",
        description="Review of the situation since the last session.",
    )  # fmt: skip
    chatham_item = new_item(
        agenda=agenda, order=2, title="Incidents at sea", chatham_house=True,
        carried_from=previous_item,
    )  # fmt: skip
    seat_holders_item = new_item(
        agenda=agenda, order=3, title=SEAT_HOLDERS_ITEM, kind=AgendaItem.Kind.NORMS,
        distribution=Distribution.SEAT_HOLDERS,
    )  # fmt: skip
    table_invite(session, parties, ad_hoc_item=ukraine_item)

    background = document_create(
        user=secretary, session=session, item=ukraine_item, title="Background paper",
        distribution=Distribution.PARTICIPANTS, body_html=f"<h2>Context</h2><p>{BACKGROUND}</p>",
    )  # fmt: skip
    annex = document_create(
        user=secretary, session=session, item=ukraine_item, title="Map annex",
        distribution=Distribution.PARTICIPANTS, file=BytesIO(annex_pdf()), filename="map.pdf",
    )  # fmt: skip
    us_note = document_create(
        user=delegates["USA"], session=session, item=chatham_item, title="Our line",
        distribution=Distribution.DELEGATION, owner=parties["USA"],
        category=Document.Category.NOTE, body_html=f"<p>{US_NOTE}</p>",
    )  # fmt: skip
    ru_note = document_create(
        user=delegates["RUS"], session=session, item=chatham_item, title="Notes",
        distribution=Distribution.DELEGATION, owner=parties["RUS"],
        category=Document.Category.NOTE, body_html=f"<p>{RU_NOTE}</p>",
    )  # fmt: skip
    return Table(
        secretary=secretary,
        outsider=new_user(username="outsider"),
        parties=parties,
        delegates=delegates,
        previous=previous,
        session=session,
        ukraine_item=ukraine_item,
        chatham_item=chatham_item,
        seat_holders_item=seat_holders_item,
        background=background,
        annex=annex,
        us_note=us_note,
        ru_note=ru_note,
    )


def pages_text(pdf: bytes) -> list[str]:
    """Each page's extracted text, runs of white space made one space (the stamp included)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def build_packs(session: Session, *, only: list[Any] | None = None) -> None:
    """Plan the session's packs, then render (and stamp) the renders ``only`` these users read.

    The tasks the planning enqueues after commit are not run (a test's
    transaction never commits); the renders are built here, in-process.
    """
    if only is None:
        packs_build_now(session_id=session.pk)
        return
    packs_plan(session_id=session.pk)
    for render in PackRender.objects.filter(session=session, packs__user__in=only).distinct():
        pack_render_deliver(render_id=render.pk)


def copy_of(user: Any, session: Session) -> Pack:
    return Pack.objects.get(user=user, session=session)


def read(field_file: Any) -> bytes:
    with field_file.open("rb") as handle:
        content: bytes = handle.read()
    return content

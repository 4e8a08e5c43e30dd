"""A reader's own briefing pack: the session it is for, its content and their copies.

A pack is personal: its reader is the delegate it was made for, and only
while everything in it is still readable to them (``Audience.within``). The
secretariat reads the pack's content in the browser (what the rule opens to
it) and the read receipts, never a delegate's stamped copy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from agenda.models import Document, Session
from agenda.selectors.documents import annotation_list
from agenda.selectors.sessions import session_get
from briefings.models import BuildStatus, Pack
from briefings.selectors.audiences import Audience, pack_audience
from briefings.selectors.content import PackContent, pack_content
from briefings.selectors.recipients import recipient_party
from consult.access import is_secretariat
from consult.actors import Actor
from members.models import Party


def pack_session_get(*, user: Actor, public_id: UUID | str) -> Session:
    """A session whose pack ``user`` may open: a delegate receiving it, or the secretariat.

    Anyone else gets the 404 of a missing session.
    """
    session = session_get(user=user, public_id=public_id)
    if not is_secretariat(user) and recipient_party(user=user, session=session) is None:
        raise Http404("Not found.")
    return session


def _deliverable(packs: list[Pack], audience: Audience) -> Pack | None:
    for pack in packs:
        if pack.status == BuildStatus.READY and Audience.from_json(pack.render.audience).within(
            audience
        ):
            return pack
    return None


def _user_packs(user: Actor, session: Session) -> list[Pack]:
    if isinstance(user, AnonymousUser):
        return []
    return list(
        Pack.objects.filter(session=session, user=user)
        .select_related("render", "party")
        .order_by("-created_at", "-pk")
    )


@dataclass
class PackReader:
    content: PackContent
    party: Party | None
    latest: Pack | None
    """The newest copy made for the reader, whatever its state."""
    deliverable: Pack | None
    """The newest ready copy whose content the reader may still read all of."""

    @property
    def in_progress(self) -> bool:
        return self.latest is not None and self.latest.status in (
            BuildStatus.QUEUED,
            BuildStatus.BUILDING,
        )


def pack_reader(*, user: Actor, session: Session) -> PackReader:
    """The browser reader's page: the content ``user`` may read now, and their copy's state."""
    audience = pack_audience(user=user, session=session)
    packs = _user_packs(user, session)
    party = recipient_party(user=user, session=session)
    return PackReader(
        content=pack_content(session=session, audience=audience, viewer=user),
        party=party,
        latest=packs[0] if packs else None,
        deliverable=_deliverable(packs, audience),
    )


def pack_annotations(*, user: Actor, session: Session) -> dict[str, list[Document]]:
    """The reader's delegation's notes on passages of the session's papers, by paper id
    (the browser reader shows them under each paper; they are notes like the others)."""
    notes: dict[str, list[Document]] = defaultdict(list)
    for note in annotation_list(user=user, session=session):
        if note.annotates is not None:  # the selector leaves out notes on no paper
            notes[str(note.annotates.public_id)].append(note)
    return dict(notes)


def pack_deliverable_get(*, user: Actor, session: Session, copy: str | None = None) -> Pack:
    """The copy ``user`` may download (the newest one, or ``copy``), or 404."""
    packs = _user_packs(user, session)
    if copy:
        packs = [pack for pack in packs if str(pack.public_id) == copy]
    pack = _deliverable(packs, pack_audience(user=user, session=session)) if packs else None
    if pack is None:
        raise Http404("Not found.")
    pack.session = session
    return pack


def pack_copy_get(*, user: Actor, public_id: UUID | str) -> Pack:
    """``user``'s own copy ``public_id`` to download, under the same checks as the page's.

    Someone else's copy, a missing one, one not ready or no longer wholly
    readable, or a reader whose membership or accreditation has ended: the
    404 of a missing copy.
    """
    try:
        row = (
            pack_list(user=user)
            .filter(public_id=public_id)
            .values_list("public_id", "session__public_id")
        )
        found = row.first()
    except (ValidationError, ValueError) as exc:
        raise Http404("Not found.") from exc
    if found is None:
        raise Http404("Not found.")
    copy_id, session_id = found
    session = pack_session_get(user=user, public_id=session_id)
    return pack_deliverable_get(user=user, session=session, copy=str(copy_id))


def pack_list(*, user: Actor) -> QuerySet[Pack]:
    """The caller's own copies (a copy is personal: nobody else's is listed)."""
    if not user.is_authenticated:
        return Pack.objects.none()
    return Pack.objects.filter(user=user).select_related("session", "party")

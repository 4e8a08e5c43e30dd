"""Reads of the briefings app; every one goes through the access rule first.

A pack is personal: its reader is the delegate it was made for, and only
while everything in it is still readable to them (``Audience.within``). The
secretariat reads the pack's content in the browser (what the rule opens to
it) and the read receipts, never a delegate's stamped copy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.http import Http404

from agenda.models import Session
from agenda.selectors.sessions import session_get
from briefings.content import Audience, PackContent, audience_for, pack_content, recipient_party
from briefings.models import BuildStatus, Pack, PackReceipt, PackRequest
from consult.access import is_secretariat
from members.models import Party


def pack_session_get(user: Any, *, public_id: UUID | str) -> Session:
    """A session whose pack ``user`` may open: a delegate receiving it, or the secretariat.

    Anyone else gets the 404 of a missing session.
    """
    session = session_get(user=user, public_id=public_id)
    if not is_secretariat(user) and recipient_party(user, session) is None:
        raise Http404("Not found.")
    return session


def _deliverable(packs: list[Pack], audience: Audience) -> Pack | None:
    for pack in packs:
        if pack.status == BuildStatus.READY and Audience.from_json(pack.render.audience).within(
            audience
        ):
            return pack
    return None


def _user_packs(user: Any, session: Session) -> list[Pack]:
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


def pack_reader(user: Any, session: Session) -> PackReader:
    """The browser reader's page: the content ``user`` may read now, and their copy's state."""
    audience = audience_for(user, session)
    packs = _user_packs(user, session)
    party = recipient_party(user, session)
    return PackReader(
        content=pack_content(session, audience, viewer=user),
        party=party,
        latest=packs[0] if packs else None,
        deliverable=_deliverable(packs, audience),
    )


def pack_annotations(user: Any, session: Session) -> dict[str, list[Any]]:
    """The reader's delegation's notes on passages of the session's papers, by paper id
    (the browser reader shows them under each paper; they are notes like the others)."""
    from agenda.selectors.documents import annotation_list

    notes: dict[str, list[Any]] = defaultdict(list)
    for note in annotation_list(user=user, session=session):
        if note.annotates is not None:  # the selector leaves out notes on no paper
            notes[str(note.annotates.public_id)].append(note)
    return dict(notes)


def pack_deliverable_get(user: Any, session: Session, *, copy: str | None = None) -> Pack:
    """The copy ``user`` may download (the newest one, or ``copy``), or 404."""
    packs = _user_packs(user, session)
    if copy:
        packs = [pack for pack in packs if str(pack.public_id) == copy]
    pack = _deliverable(packs, audience_for(user, session)) if packs else None
    if pack is None:
        raise Http404("Not found.")
    pack.session = session
    return pack


def pack_copy_get(user: Any, *, public_id: UUID | str) -> Pack:
    """``user``'s own copy ``public_id`` to download, under the same checks as the page's.

    Someone else's copy, a missing one, one not ready or no longer wholly
    readable, or a reader whose membership or accreditation has ended: the
    404 of a missing copy.
    """
    try:
        row = (
            pack_list(user)
            .filter(public_id=public_id)
            .values_list("public_id", "session__public_id")
        )
        found = row.first()
    except (ValidationError, ValueError) as exc:
        raise Http404("Not found.") from exc
    if found is None:
        raise Http404("Not found.")
    copy_id, session_id = found
    session = pack_session_get(user, public_id=session_id)
    return pack_deliverable_get(user, session, copy=str(copy_id))


def pack_list(user: Any) -> QuerySet[Pack]:
    """The caller's own copies (a copy is personal: nobody else's is listed)."""
    if not user.is_authenticated:
        return Pack.objects.none()
    return Pack.objects.filter(user=user).select_related("session", "party")


# Read receipts


@dataclass
class DelegateReceipts:
    name: str
    username: str
    status: str
    status_label: str
    views: int = 0
    downloads: int = 0
    last_view: datetime | None = None
    last_download: datetime | None = None


@dataclass
class DelegationReceipts:
    delegation: str
    delegates: list[DelegateReceipts] = field(default_factory=list)

    @property
    def readers(self) -> int:
        return sum(1 for d in self.delegates if d.views or d.downloads)


def pack_receipts_by_delegation(session: Session) -> list[DelegationReceipts]:
    """Per delegation, each delegate's latest copy and how often they read or downloaded it.

    Two queries whatever the number of delegates.
    """
    latest: dict[int, Pack] = {}
    for pack in (
        Pack.objects.filter(session=session)
        .select_related("user", "party")
        .order_by("user_id", "-created_at", "-pk")
    ):
        latest.setdefault(pack.user_id, pack)
    counts: dict[tuple[int, str], tuple[int, datetime]] = {
        (row["user_id"], row["action"]): (row["count"], row["last"])
        for row in PackReceipt.objects.filter(session=session)
        .values("user_id", "action")
        .annotate(count=Count("pk"), last=Max("created_at"))
    }
    groups: dict[str, DelegationReceipts] = defaultdict(lambda: DelegationReceipts(""))
    for user_id, pack in latest.items():
        views = counts.get((user_id, PackReceipt.Action.VIEW), (0, None))
        downloads = counts.get((user_id, PackReceipt.Action.DOWNLOAD), (0, None))
        group = groups[pack.party.name_en]
        group.delegation = pack.party.name_en
        group.delegates.append(
            DelegateReceipts(
                name=pack.user.get_full_name() or pack.user.get_username(),
                username=pack.user.get_username(),
                status=pack.status,
                status_label=pack.get_status_display(),
                views=views[0],
                downloads=downloads[0],
                last_view=views[1],
                last_download=downloads[1],
            )
        )
    for group in groups.values():
        group.delegates.sort(key=lambda d: d.name.lower())
    return sorted(groups.values(), key=lambda g: g.delegation)


@dataclass(frozen=True)
class PackProgress:
    """Each delegate's newest copy of a session's pack, counted by state."""

    built: int
    pending: int
    failed: int


def pack_progress(session: Session) -> PackProgress:
    """How far a (re)build has got: one aggregate query over each delegate's newest copy."""
    newest = (
        Pack.objects.filter(session=session, user=OuterRef("user"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    counts = dict(
        Pack.objects.filter(session=session, pk=Subquery(newest))
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return PackProgress(
        built=counts.get(BuildStatus.READY, 0),
        pending=counts.get(BuildStatus.QUEUED, 0) + counts.get(BuildStatus.BUILDING, 0),
        failed=counts.get(BuildStatus.FAILED, 0),
    )


@dataclass
class PackPanel:
    session: Session
    is_secretariat: bool
    is_recipient: bool
    receipts: list[DelegationReceipts]
    renders: dict[str, int]
    request: PackRequest | None


def pack_panel_data(user: Any, session: Session) -> PackPanel | None:
    """The session page's briefing-pack box for ``user`` (None: nothing to show them)."""
    if not user.is_authenticated:
        return None
    secretariat = is_secretariat(user)
    recipient = recipient_party(user, session) is not None
    if not secretariat and not recipient:
        return None
    renders: dict[str, int] = {}
    receipts: list[DelegationReceipts] = []
    request = None
    if secretariat:
        receipts = pack_receipts_by_delegation(session)
        renders = {
            row["status"]: row["count"]
            for row in session.pack_renders.values("status").annotate(count=Count("pk"))
        }
        request = PackRequest.objects.filter(session=session).first()
    return PackPanel(
        session=session,
        is_secretariat=secretariat,
        is_recipient=recipient,
        receipts=receipts,
        renders=renders,
        request=request,
    )

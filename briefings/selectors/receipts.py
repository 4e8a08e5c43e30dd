"""The secretariat's view of a session's packs: read receipts, progress, the session page's box."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, OuterRef, Subquery

from agenda.models import Session
from briefings.models import BuildStatus, Pack, PackReceipt, PackRequest
from briefings.selectors.recipients import recipient_party
from consult.access import is_secretariat
from consult.actors import Actor


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


def pack_receipts_by_delegation(*, session: Session) -> list[DelegationReceipts]:
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
        group = groups[pack.party.code]
        group.delegation = pack.party.display_name
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


def pack_progress(*, session: Session) -> PackProgress:
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
    copy_ready: bool
    """Whether the recipient has a ready copy to download (not one queued or building, as
    after a change of their language, until it is made again)."""
    receipts: list[DelegationReceipts]
    renders: dict[str, int]
    request: PackRequest | None


def pack_panel_data(*, user: Actor, session: Session) -> PackPanel | None:
    """The session page's briefing-pack box for ``user`` (None: nothing to show them)."""
    if not user.is_authenticated:
        return None
    secretariat = is_secretariat(user)
    recipient = recipient_party(user=user, session=session) is not None
    if not secretariat and not recipient:
        return None
    renders: dict[str, int] = {}
    receipts: list[DelegationReceipts] = []
    request = None
    if secretariat:
        receipts = pack_receipts_by_delegation(session=session)
        renders = {
            row["status"]: row["count"]
            for row in session.pack_renders.values("status").annotate(count=Count("pk"))
        }
        request = PackRequest.objects.filter(session=session).first()
    copy_ready = (
        recipient
        and Pack.objects.filter(session=session, user=user, status=BuildStatus.READY).exists()
    )
    return PackPanel(
        session=session,
        is_secretariat=secretariat,
        is_recipient=recipient,
        copy_ready=copy_ready,
        receipts=receipts,
        renders=renders,
        request=request,
    )

"""Writes of the briefings app: scheduling, building, stamping and reading packs.

The pipeline for a session: ``packs_build_for_session`` groups the session's
delegates by audience and makes (idempotently, under unique constraints) one
``PackRender`` per audience and one ``Pack`` per delegate; each render is
built by ``pack_render_build`` in a limited child process and then stamped
into every delegate's copy by ``pack_copies_stamp``. Every task takes ids,
is enqueued after commit, and may run twice: a second run finds the rows it
would create, or the copies already stamped, and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from agenda.models import Session
from audit.models import AuditEntry
from audit.services import audit_record
from briefings import stamping
from briefings.content import (
    Audience,
    audience_for,
    content_version,
    delivery_fingerprint,
    pack_content,
    recipient_list,
)
from briefings.models import BuildStatus, Pack, PackReceipt, PackRender, PackRequest
from consult.access import is_secretariat
from consult.errors import ApplicationError
from consult.pdf import (
    PdfRenderFailed,
    PdfRenderLimitExceeded,
    PdfResourceRefused,
    run_limited,
)
from consult.queue import send_on_commit
from notices.services.notifications import notifications_create

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
NOT_DELIVERED = "Access ended before the copy was made; it was not delivered."


class TransientPackError(Exception):
    """A build attempt failed for a reason that may pass; the task retries with backoff."""


class RenderBusy(Exception):
    """Another worker holds the render's lease; try again once it has lapsed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"Another worker is building this render for {seconds:.0f} more seconds.")
        self.seconds = seconds


def _quiet_seconds() -> int:
    return int(settings.PACK_REBUILD_QUIET_SECONDS)


def _lease() -> timedelta:
    # Renewed every third of it while a worker works: only a dead worker lets it lapse.
    return timedelta(seconds=int(settings.PACK_LEASE_SECONDS))


def _lease_renew(render_id: int, *, status: str, attempt: int) -> None:
    """Extend this worker's lease, as long as it still holds it (the attempt is its token)."""
    PackRender.objects.filter(pk=render_id, status=status, attempts=attempt).update(
        lease_until=timezone.now() + _lease()
    )


# Scheduling


def pack_rebuild_schedule(
    *,
    session_id: int,
    delay: int | None = None,
    fingerprint: str = "",
    user: Any = None,
) -> PackRequest:
    """Ask for a rebuild after ``delay`` seconds of quiet (default: PACK_REBUILD_QUIET_SECONDS).

    A later call before the build starts supersedes this one: the build task
    carries its request's generation and does nothing when it is not the latest.
    """
    delay = _quiet_seconds() if delay is None else delay
    not_before = timezone.now() + timedelta(seconds=delay)
    with transaction.atomic():
        try:
            with transaction.atomic():
                PackRequest.objects.get_or_create(
                    session_id=session_id, defaults={"not_before": not_before}
                )
        except IntegrityError:
            pass  # created concurrently; the update below serialises on its row
        PackRequest.objects.filter(session_id=session_id).update(
            generation=F("generation") + 1,
            not_before=not_before,
            fingerprint=fingerprint,
            requested_by=user if user is not None and user.is_authenticated else None,
            updated_at=timezone.now(),
        )
        request = PackRequest.objects.get(session_id=session_id)
        generation = request.generation

        def enqueue() -> None:
            from briefings.tasks import packs_build_task

            packs_build_task.apply_async((session_id, generation), countdown=delay)

        # A request never built is scheduled again by packs_detect_changes.
        send_on_commit(enqueue, what="Pack build")
    return request


@transaction.atomic
def pack_rebuild_request(*, session: Session, user: Any) -> PackRequest:
    """The secretariat's "rebuild now": also gives quarantined renders a fresh start."""
    if not is_secretariat(user):
        raise ApplicationError("Only the secretariat may rebuild briefing packs.")
    PackRender.objects.filter(session=session, quarantined=True).update(
        quarantined=False,
        attempts=0,
        status=BuildStatus.QUEUED,
        reason="Rebuild requested by the secretariat.",
        updated_at=timezone.now(),
    )
    Pack.objects.filter(session=session, status=BuildStatus.FAILED).exclude(
        reason=NOT_DELIVERED
    ).update(status=BuildStatus.QUEUED, reason="", updated_at=timezone.now())
    audit_record(
        kind=AuditEntry.Kind.REBUILD,
        user=user,
        obj=session,
        summary=f"Asked to rebuild the briefing packs of {session.number}.",
    )
    return pack_rebuild_schedule(session_id=session.pk, delay=0, user=user)


def packs_detect_changes(*, at: Any = None) -> list[int]:
    """Schedule a (debounced) rebuild of every upcoming session whose packs are out of date.

    Agenda and document services cannot call into briefings (apps depend one
    way), so a periodic task compares each session's delivery fingerprint
    with the one of its last request. Returns the sessions scheduled.
    """
    at = at or timezone.now()
    scheduled = []
    sessions = Session.objects.filter(
        ends_at__gte=at,
        agenda__isnull=False,
        status__in=[Session.Status.SCHEDULED, Session.Status.IN_SESSION, Session.Status.DRAFT],
    ).select_related("pack_request")
    for session in sessions:
        fingerprint = delivery_fingerprint(session)
        request = getattr(session, "pack_request", None)
        if request is not None and request.fingerprint == fingerprint and not _lost(request, at):
            continue
        pack_rebuild_schedule(session_id=session.pk, fingerprint=fingerprint)
        scheduled.append(session.pk)
    return scheduled


def _lost(request: PackRequest, at: Any) -> bool:
    """A request never built well after its time: its task was never sent (Redis was down)
    or its worker died."""
    return request.finished_generation < request.generation and request.not_before < at - _lease()


@dataclass(frozen=True, slots=True)
class SweepReport:
    renders: list[int]
    deliveries: list[int]
    requests: list[int]
    quarantined: list[int]


def packs_recover_lapsed(*, at: Any = None) -> SweepReport:
    """Re-queue the work of dead workers: every render, delivery or build whose lease lapsed.

    A worker renews its lease while it builds a render or stamps its copies;
    a lapsed one means the worker died. The render goes back to the queue
    (quarantined instead after ``MAX_ATTEMPTS`` attempts), the delivery is
    resumed, and a requested build that never finished is sent again. Each
    re-queued item gets a fresh lease, so a later sweep sends it again only
    if no worker took it up meanwhile. Safe to run concurrently (rows are
    claimed with SKIP LOCKED) and to run twice: the tasks find work done.
    """
    at = at or timezone.now()
    lease = _lease()
    report = SweepReport([], [], [], [])
    with transaction.atomic():
        lapsed = PackRender.objects.select_for_update(skip_locked=True).filter(
            status__in=[BuildStatus.QUEUED, BuildStatus.BUILDING, BuildStatus.READY],
            quarantined=False,
            lease_until__lt=at,
        )
        for render in lapsed:
            if render.status == BuildStatus.READY:
                if _copies_pending(render).exists():
                    render.lease_until = at + lease
                    report.deliveries.append(render.pk)
                else:
                    render.lease_until = None
                render.save(update_fields=["lease_until", "updated_at"])
            elif render.status == BuildStatus.BUILDING and render.attempts >= MAX_ATTEMPTS:
                reason = f"Its worker stopped during each of {render.attempts} attempts."
                render.status = BuildStatus.FAILED
                render.quarantined = True
                render.reason = reason
                render.lease_until = None
                render.save(
                    update_fields=["status", "quarantined", "reason", "lease_until", "updated_at"]
                )
                _packs_fail(render, reason)
                report.quarantined.append(render.pk)
            else:
                render.status = BuildStatus.QUEUED
                render.lease_until = at + lease
                render.save(update_fields=["status", "lease_until", "updated_at"])
                render.packs.filter(status=BuildStatus.BUILDING).update(
                    status=BuildStatus.QUEUED, updated_at=at
                )
                report.renders.append(render.pk)
        requests = PackRequest.objects.select_for_update(skip_locked=True).filter(
            generation__gt=F("finished_generation"),
            not_before__lt=at - lease,
            session__ends_at__gte=at,
        )
        builds = []
        for request in requests:
            builds.append((request.session_id, request.generation))
            request.not_before = at
            request.save(update_fields=["not_before", "updated_at"])
            report.requests.append(request.session_id)

        def enqueue() -> None:
            from briefings.tasks import pack_copies_stamp_task, pack_render_task, packs_build_task

            for render_id in report.renders:
                pack_render_task.delay(render_id)
            for render_id in report.deliveries:
                pack_copies_stamp_task.delay(render_id)
            for session_id, generation in builds:
                packs_build_task.delay(session_id, generation)

        transaction.on_commit(enqueue)
    for render_id in report.renders + report.deliveries:
        logger.warning("Pack render %s: its worker's lease lapsed; re-queued.", render_id)
    return report


# Building


@dataclass(frozen=True, slots=True)
class BuildReport:
    outcome: str
    renders: int = 0
    packs: int = 0


def packs_build_for_session(*, session_id: int, generation: int | None = None) -> BuildReport:
    """Make the renders and copies the session's delegates need now, and enqueue their work."""
    if generation is not None:
        with transaction.atomic():
            request = PackRequest.objects.select_for_update().filter(session_id=session_id).first()
            if request is not None and request.generation != generation:
                return BuildReport("superseded")
            if request is not None:
                request.started_generation = generation
                request.save(update_fields=["started_generation", "updated_at"])
    session = Session.objects.select_related("agenda").filter(pk=session_id).first()
    if session is None or not hasattr(session, "agenda"):
        if generation is not None:
            # Done, as far as there is anything to do: the sweep leaves it alone.
            PackRequest.objects.filter(session_id=session_id, generation=generation).update(
                finished_generation=generation
            )
        return BuildReport("no agenda")
    version = content_version(session)
    audiences: dict[str, tuple[Audience, list[Any]]] = {}
    for recipient in recipient_list(session):
        audience = audience_for(recipient.user, session)
        if audience.is_empty:
            continue
        audiences.setdefault(audience.key, (audience, []))[1].append(recipient)

    render_ids: list[int] = []
    stamp_ids: list[int] = []
    packs = 0
    with transaction.atomic():
        for key, (audience, recipients) in audiences.items():
            render, _ = _render_get_or_create(session, version, key, audience)
            for recipient in recipients:
                packs += _pack_attach(session, version, render, recipient)
            if render.quarantined:
                continue
            if render.status == BuildStatus.QUEUED:
                render_ids.append(render.pk)
            elif render.status == BuildStatus.READY:
                stamp_ids.append(render.pk)
        if generation is not None:
            PackRequest.objects.filter(session_id=session_id, generation=generation).update(
                finished_generation=generation
            )
        # Their delivery is leased too, so the sweep resumes it if this worker dies.
        PackRender.objects.filter(pk__in=stamp_ids).update(lease_until=timezone.now() + _lease())

        def enqueue() -> None:
            from briefings.tasks import pack_copies_stamp_task, pack_render_task

            for render_id in render_ids:
                pack_render_task.delay(render_id)
            for render_id in stamp_ids:
                pack_copies_stamp_task.delay(render_id)

        # Renders left queued are sent again by the next build of the session.
        send_on_commit(enqueue, what="Pack renders")
    return BuildReport("built", renders=len(audiences), packs=packs)


def packs_build_now(*, session_id: int) -> BuildReport:
    """Plan and render a session's packs in this process, waiting for them.

    For callers that run no worker (tests, scripts); it forks its renders, so it
    must not be called inside a multi-threaded process such as the web server.
    """
    report = packs_build_for_session(session_id=session_id)
    for render_id in PackRender.objects.filter(
        session_id=session_id, status=BuildStatus.QUEUED, quarantined=False
    ).values_list("pk", flat=True):
        try:
            pack_render_build(render_id=render_id)
        except TransientPackError:
            logger.warning("Pack render %s will be retried by the next rebuild.", render_id)
    for render_id in PackRender.objects.filter(
        session_id=session_id, status=BuildStatus.READY
    ).values_list("pk", flat=True):
        pack_copies_stamp(render_id=render_id)
    return report


def _render_get_or_create(
    session: Session, version: str, key: str, audience: Audience
) -> tuple[PackRender, bool]:
    try:
        with transaction.atomic():
            return PackRender.objects.get_or_create(
                session=session,
                content_version=version,
                audience_key=key,
                defaults={"audience": audience.as_json()},
            )
    except IntegrityError:
        return PackRender.objects.get(
            session=session, content_version=version, audience_key=key
        ), False


def _pack_attach(session: Session, version: str, render: PackRender, recipient: Any) -> int:
    """The recipient's copy for this version, on ``render``; 1 if it is new or was moved."""
    try:
        with transaction.atomic():
            pack, created = Pack.objects.get_or_create(
                session=session,
                content_version=version,
                user=recipient.user,
                defaults={"render": render, "party": recipient.party},
            )
    except IntegrityError:
        pack, created = (
            Pack.objects.get(session=session, content_version=version, user=recipient.user),
            False,
        )
    if created:
        return 1
    if pack.render_id == render.pk:
        return 0
    # Same content, but the delegate now reads a different set (a grant came
    # or went): the copy moves to the render of their current audience.
    Pack.objects.filter(pk=pack.pk).update(
        render=render,
        party=recipient.party,
        status=BuildStatus.QUEUED,
        reason="",
        file="",
        stamped_at=None,
        updated_at=timezone.now(),
    )
    return 1


def _packs_fail(render: PackRender, reason: str) -> None:
    render.packs.exclude(status=BuildStatus.READY).update(
        status=BuildStatus.FAILED, reason=reason, updated_at=timezone.now()
    )


def _claim(render_id: int) -> PackRender | None:
    """Mark the render as being built by this worker, or say why not."""
    with transaction.atomic():
        render = PackRender.objects.select_for_update().get(pk=render_id)
        now = timezone.now()
        if render.status == BuildStatus.READY or render.quarantined:
            return None
        if (
            render.status == BuildStatus.BUILDING
            and render.lease_until
            and render.lease_until > now
        ):
            raise RenderBusy((render.lease_until - now).total_seconds())
        render.status = BuildStatus.BUILDING
        render.attempts += 1
        render.lease_until = now + _lease()
        render.save(update_fields=["status", "attempts", "lease_until", "updated_at"])
        render.packs.filter(status=BuildStatus.QUEUED).update(
            status=BuildStatus.BUILDING, updated_at=now
        )
        return render


def _fail(render: PackRender, reason: str, *, retry: bool) -> None:
    attempt = render.attempts
    with transaction.atomic():
        render = PackRender.objects.select_for_update().get(pk=render.pk)
        if render.status != BuildStatus.BUILDING or render.attempts != attempt:
            logger.warning("Pack render %s: attempt %s was taken over.", render.pk, attempt)
            return
        give_up = not retry or render.attempts >= MAX_ATTEMPTS
        render.reason = reason
        render.lease_until = None
        render.status = BuildStatus.FAILED if give_up else BuildStatus.QUEUED
        render.quarantined = give_up
        render.save(update_fields=["reason", "lease_until", "status", "quarantined", "updated_at"])
        if give_up:
            _packs_fail(render, reason)
        else:
            render.packs.filter(status=BuildStatus.BUILDING).update(
                status=BuildStatus.QUEUED, updated_at=timezone.now()
            )
    logger.warning("Pack render %s failed (attempt %s): %s", render.pk, render.attempts, reason)
    if not give_up:
        raise TransientPackError(reason)


def pack_render_build(*, render_id: int) -> str:
    """Render one audience's pack (once), store it, then stamp every copy on it."""
    outcome = pack_render_make(render_id=render_id)
    if outcome == "ready":
        pack_copies_stamp(render_id=render_id)
    return outcome


def pack_render_make(*, render_id: int) -> str:
    """Render and store one audience's pack, unstamped; "ready", "failed" or why not."""
    render = _claim(render_id)
    if render is None:
        return "nothing to do"
    attempt = render.attempts
    session = render.session
    audience = Audience.from_json(render.audience)
    pack = render.packs.select_related("user").order_by("pk").first()
    if pack is None:
        _fail(render, "No delegate reads this render any more.", retry=False)
        return "failed"
    from briefings.build import build_pack_pdf

    try:
        content = pack_content(session, audience, viewer=pack.user, version=render.content_version)
        stamping.stamp_font()  # subset once in this process, not in every child

        def renew() -> None:
            _lease_renew(render_id, status=BuildStatus.BUILDING, attempt=attempt)

        renew()
        result = run_limited(
            lambda: build_pack_pdf(content),
            seconds=float(settings.PACK_RENDER_SECONDS),
            memory_bytes=int(settings.PACK_RENDER_MEMORY_BYTES),
            while_waiting=renew,
            every=_lease().total_seconds() / 3,
        )
    except (PdfResourceRefused, PdfRenderFailed) as exc:
        # The same content fails the same way every time: no retry.
        _fail(render, str(exc), retry=False)
        return "failed"
    except PdfRenderLimitExceeded as exc:
        _fail(render, str(exc), retry=True)
        return "failed"
    except Exception as exc:
        # Anything else (the database, the storage, a soft time limit) may pass.
        _fail(render, f"{type(exc).__name__}: {exc}", retry=True)
        return "failed"

    with transaction.atomic():
        render = PackRender.objects.select_for_update().get(pk=render.pk)
        if render.status != BuildStatus.BUILDING or render.attempts != attempt:
            # The lease lapsed and another attempt took the render over.
            return "superseded"
        render.file.save("pack.pdf", ContentFile(result.data), save=False)
        render.stamp_slots = result.meta["slots"]
        render.page_count = result.meta["page_count"]
        render.render_seconds = result.seconds
        render.peak_memory_bytes = result.peak_rss_bytes
        render.status = BuildStatus.READY
        render.reason = ""
        # Now the lease of its copies' delivery, which follows in this task.
        render.lease_until = timezone.now() + _lease()
        render.save()
    return "ready"


# Stamping


def _still_reads(pack: Pack, render: PackRender, session: Session) -> bool:
    """The access rule, asked again now: a delegate who lost access gets nothing."""
    return Audience.from_json(render.audience).within(audience_for(pack.user, session))


def pack_copies_stamp(*, render_id: int) -> int:
    """Stamp the copies of a ready render that are not stamped yet; returns how many."""
    render = PackRender.objects.select_related("session").get(pk=render_id)
    if render.status != BuildStatus.READY:
        return 0
    pending = list(_copies_pending(render).values_list("pk", flat=True))
    if not pending:
        _delivery_release(render)
        return 0
    with render.file.open("rb") as handle:
        data = handle.read()
    stamped = 0
    for pack_id in pending:
        PackRender.objects.filter(pk=render.pk, status=BuildStatus.READY).update(
            lease_until=timezone.now() + _lease()
        )
        stamped += _pack_stamp(pack_id, render, data)
    _delivery_release(render)
    return stamped


def _copies_pending(render: PackRender) -> Any:
    return render.packs.exclude(status=BuildStatus.READY).exclude(reason=NOT_DELIVERED)


def _delivery_release(render: PackRender) -> None:
    """Drop the delivery lease once no copy waits (one attached meanwhile keeps it)."""
    with transaction.atomic():
        locked = PackRender.objects.select_for_update().get(pk=render.pk)
        if locked.status == BuildStatus.READY and not _copies_pending(locked).exists():
            PackRender.objects.filter(pk=render.pk).update(lease_until=None)


def _pack_stamp(pack_id: int, render: PackRender, data: bytes) -> int:
    session = render.session
    with transaction.atomic():
        pack = (
            Pack.objects.select_for_update(of=("self",))
            .select_related("user", "party")
            .get(pk=pack_id)
        )
        if pack.status == BuildStatus.READY or pack.render_id != render.pk:
            return 0
        if not _still_reads(pack, render, session):
            pack.status = BuildStatus.FAILED
            pack.reason = NOT_DELIVERED
            pack.save(update_fields=["status", "reason", "updated_at"])
            return 0
        now = timezone.now()
        copy = stamping.stamp(
            data,
            render.stamp_slots,
            stamping.Recipient(
                name=pack.user.get_full_name() or pack.user.get_username(),
                delegation=f"Delegation of {pack.party.name_en}",
                pack_id=str(pack.public_id),
                stamped_at=now,
            ),
        )
        pack.file.save("pack.pdf", ContentFile(copy), save=False)
        pack.status = BuildStatus.READY
        pack.reason = ""
        pack.stamped_at = now
        pack.save(update_fields=["file", "status", "reason", "stamped_at", "updated_at"])
        notifications_create(
            session=session,
            users=[pack.user],
            key=f"pack-{render.content_version[:16]}",
            subject=f"Your briefing pack for {session.number} is ready",
            body=(
                f"Your copy of the briefing pack for {session.number} is ready "
                "to read and download on the platform. It is marked with your name; "
                "do not pass it on.\n"
            ),
        )
    return 1


# Reading


@transaction.atomic
def pack_receipt_record(
    *, session: Session, user: Any, action: str, pack: Pack | None, party: Any = None
) -> PackReceipt:
    """Note that ``user`` read the pack in the browser or downloaded their copy."""
    if action not in PackReceipt.Action.values:
        raise ApplicationError(f"Unknown pack action {action!r}.")
    receipt = PackReceipt.objects.create(
        session=session,
        pack=pack,
        user=user,
        party=pack.party if pack is not None else party,
        action=action,
    )
    downloaded = action == PackReceipt.Action.DOWNLOAD
    audit_record(
        kind=AuditEntry.Kind.PACK_DOWNLOAD if downloaded else AuditEntry.Kind.PACK_READ,
        user=user,
        obj=pack if pack is not None else session,
        summary=f"{'Downloaded' if downloaded else 'Read'} the briefing pack of {session.number}.",
    )
    return receipt

"""Asking for a session's packs to be (re)built: debounced requests, the secretariat's
"rebuild now", and the periodic check for sessions whose packs are out of date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Session
from audit.models import AuditEntry
from audit.services import audit_record
from briefings.models import BuildReason, BuildStatus, Pack, PackRender, PackRequest
from briefings.selectors.versions import pack_delivery_fingerprint
from briefings.services.leases import lease_duration
from consult.access import is_secretariat
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.queue import send_on_commit


def _quiet_seconds() -> int:
    return int(settings.PACK_REBUILD_QUIET_SECONDS)


def pack_rebuild_schedule(
    *,
    session_id: int,
    delay: int | None = None,
    fingerprint: str = "",
    user: Actor | None = None,
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
            from briefings.tasks import packs_plan_task

            packs_plan_task.apply_async((session_id, generation), countdown=delay)

        # A request never built is scheduled again by packs_detect_changes.
        send_on_commit(enqueue, what="Pack build")
    return request


@transaction.atomic
def pack_rebuild_request(*, session: Session, user: Actor) -> PackRequest:
    """The secretariat's "rebuild now": also gives quarantined renders a fresh start."""
    if not is_secretariat(user):
        raise ApplicationError(_("Only the secretariat may rebuild briefing packs."))
    PackRender.objects.filter(session=session, quarantined=True).update(
        quarantined=False,
        attempts=0,
        status=BuildStatus.QUEUED,
        reason_code=BuildReason.REBUILD_REQUESTED,
        reason_params={},
        updated_at=timezone.now(),
    )
    Pack.objects.filter(session=session, status=BuildStatus.FAILED).exclude(
        reason_code=BuildReason.NOT_DELIVERED
    ).update(status=BuildStatus.QUEUED, reason_code="", reason_params={}, updated_at=timezone.now())
    audit_record(
        kind=AuditEntry.Kind.REBUILD,
        user=user,
        obj=session,
        summary=f"Asked to rebuild the briefing packs of {session.number}.",
    )
    return pack_rebuild_schedule(session_id=session.pk, delay=0, user=user)


def packs_detect_changes(*, at: datetime | None = None) -> list[int]:
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
        fingerprint = pack_delivery_fingerprint(session=session)
        request = getattr(session, "pack_request", None)
        if request is not None and request.fingerprint == fingerprint and not _lost(request, at):
            continue
        pack_rebuild_schedule(session_id=session.pk, fingerprint=fingerprint)
        scheduled.append(session.pk)
    return scheduled


def _lost(request: PackRequest, at: datetime) -> bool:
    """A request never built well after its time: its task was never sent (Redis was down)
    or its worker died."""
    return (
        request.finished_generation < request.generation
        and request.not_before < at - lease_duration()
    )

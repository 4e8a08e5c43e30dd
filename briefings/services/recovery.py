"""Recovery of dead workers' pack work: every render, delivery or build whose lease lapsed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from briefings.models import BuildReason, BuildStatus, PackRender, PackRequest
from briefings.services.copies import copies_pending
from briefings.services.leases import MAX_ATTEMPTS, lease_duration
from briefings.services.renders import render_packs_fail

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SweepReport:
    renders: list[int]
    deliveries: list[int]
    requests: list[int]
    quarantined: list[int]


def packs_recover_lapsed(*, at: datetime | None = None) -> SweepReport:
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
    lease = lease_duration()
    report = SweepReport([], [], [], [])
    with transaction.atomic():
        lapsed = PackRender.objects.select_for_update(skip_locked=True).filter(
            status__in=[BuildStatus.QUEUED, BuildStatus.BUILDING, BuildStatus.READY],
            quarantined=False,
            lease_until__lt=at,
        )
        for render in lapsed:
            if render.status == BuildStatus.READY:
                if copies_pending(render).exists():
                    render.lease_until = at + lease
                    report.deliveries.append(render.pk)
                else:
                    render.lease_until = None
                render.save(update_fields=["lease_until", "updated_at"])
            elif render.status == BuildStatus.BUILDING and render.attempts >= MAX_ATTEMPTS:
                render.status = BuildStatus.FAILED
                render.quarantined = True
                render.reason_code = BuildReason.WORKER_STOPPED
                render.reason_params = {"attempts": render.attempts}
                render.lease_until = None
                render.save(
                    update_fields=[
                        "status",
                        "quarantined",
                        "reason_code",
                        "reason_params",
                        "lease_until",
                        "updated_at",
                    ]
                )
                render_packs_fail(render)
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
            from briefings.tasks import (
                pack_copies_stamp_task,
                pack_render_deliver_task,
                packs_plan_task,
            )

            for render_id in report.renders:
                pack_render_deliver_task.delay(render_id)
            for render_id in report.deliveries:
                pack_copies_stamp_task.delay(render_id)
            for session_id, generation in builds:
                packs_plan_task.delay(session_id, generation)

        transaction.on_commit(enqueue)
    for render_id in report.renders + report.deliveries:
        logger.warning("Pack render %s: its worker's lease lapsed; re-queued.", render_id)
    return report

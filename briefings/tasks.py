"""Celery tasks of the briefings app: thin, idempotent, retried with backoff.

A transient failure (a render over its limits on a busy machine, the
database or the storage briefly away) is retried with exponential backoff;
the render is quarantined after ``MAX_ATTEMPTS`` attempts, counted in the
database so a worker killed mid-build counts too.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

from briefings.services.copies import pack_copies_stamp
from briefings.services.leases import MAX_ATTEMPTS, RenderBusy, TransientPackError
from briefings.services.planning import packs_plan
from briefings.services.recovery import packs_recover_lapsed
from briefings.services.renders import pack_render_deliver
from briefings.services.schedule import packs_detect_changes

TRANSIENT = (TransientPackError, OperationalError, InterfaceError, OSError)


@shared_task(
    name="briefings.tasks.packs_plan_task",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def packs_plan_task(session_id: int, generation: int | None = None) -> str:
    return packs_plan(session_id=session_id, generation=generation).outcome


@shared_task(
    bind=True,
    name="briefings.tasks.pack_render_deliver_task",
    autoretry_for=TRANSIENT,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    # Attempts are counted (and quarantine decided) in the database; these
    # retries only carry the task to its next attempt.
    max_retries=MAX_ATTEMPTS * 3,
)
def pack_render_deliver_task(self: Any, render_id: int) -> str:
    try:
        return pack_render_deliver(render_id=render_id)
    except RenderBusy as busy:
        raise self.retry(countdown=int(busy.seconds) + 1, max_retries=None) from busy


@shared_task(
    name="briefings.tasks.pack_copies_stamp_task",
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def pack_copies_stamp_task(render_id: int) -> int:
    return pack_copies_stamp(render_id=render_id)


@shared_task(name="briefings.tasks.packs_detect_changes_task")
def packs_detect_changes_task() -> int:
    return len(packs_detect_changes())


@shared_task(name="briefings.tasks.packs_recover_lapsed_task")
def packs_recover_lapsed_task() -> dict[str, list[int]]:
    report = packs_recover_lapsed()
    return {
        "renders": report.renders,
        "deliveries": report.deliveries,
        "requests": report.requests,
        "quarantined": report.quarantined,
    }

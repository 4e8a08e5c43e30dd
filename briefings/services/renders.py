"""Producing one audience's render: claimed under a lease, built in a limited child process.

``pack_render_produce`` renders and stores the unstamped PDF;
``pack_render_deliver`` does that, then stamps every delegate's copy on it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from briefings.models import BuildReason, BuildStatus, PackRender
from briefings.selectors.audiences import Audience
from briefings.selectors.content import pack_content
from briefings.services.copies import pack_copies_stamp
from briefings.services.leases import (
    MAX_ATTEMPTS,
    RenderBusy,
    TransientPackError,
    lease_duration,
    lease_renew,
)
from briefings.services.pdf_compose import pack_pdf_compose
from briefings.services.pdf_stamp_font import stamp_font
from consult.pdf import (
    PdfRenderFailed,
    PdfRenderLimitExceeded,
    PdfResourceRefused,
    run_limited,
)

logger = logging.getLogger(__name__)

# The limits a render can run into (consult.pdf), by the reason each becomes.
LIMIT_REASONS = {
    "time": BuildReason.TIME_LIMIT,
    "processor": BuildReason.PROCESSOR_LIMIT,
    "memory": BuildReason.MEMORY_LIMIT,
    "no_result": BuildReason.NO_RESULT,
}


def render_packs_fail(render: PackRender) -> None:
    """The render's copies not made yet fail, for the render's reason."""
    render.packs.exclude(status=BuildStatus.READY).update(
        status=BuildStatus.FAILED,
        reason_code=render.reason_code,
        reason_params=render.reason_params,
        updated_at=timezone.now(),
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
        render.lease_until = now + lease_duration()
        render.save(update_fields=["status", "attempts", "lease_until", "updated_at"])
        render.packs.filter(status=BuildStatus.QUEUED).update(
            status=BuildStatus.BUILDING, updated_at=now
        )
        return render


def _fail(
    render: PackRender, code: str, params: dict[str, Any] | None = None, *, retry: bool
) -> None:
    attempt = render.attempts
    with transaction.atomic():
        render = PackRender.objects.select_for_update().get(pk=render.pk)
        if render.status != BuildStatus.BUILDING or render.attempts != attempt:
            logger.warning("Pack render %s: attempt %s was taken over.", render.pk, attempt)
            return
        give_up = not retry or render.attempts >= MAX_ATTEMPTS
        render.reason_code = code
        render.reason_params = params or {}
        render.lease_until = None
        render.status = BuildStatus.FAILED if give_up else BuildStatus.QUEUED
        render.quarantined = give_up
        render.save(
            update_fields=[
                "reason_code",
                "reason_params",
                "lease_until",
                "status",
                "quarantined",
                "updated_at",
            ]
        )
        if give_up:
            render_packs_fail(render)
        else:
            render.packs.filter(status=BuildStatus.BUILDING).update(
                status=BuildStatus.QUEUED, updated_at=timezone.now()
            )
    # In the worker's language (English): logs and retries are read by operators.
    reason = render.display_reason
    logger.warning("Pack render %s failed (attempt %s): %s", render.pk, render.attempts, reason)
    if not give_up:
        raise TransientPackError(reason)


def pack_render_deliver(*, render_id: int) -> str:
    """Render one audience's pack (once), store it, then stamp every copy on it."""
    outcome = pack_render_produce(render_id=render_id)
    if outcome == "ready":
        pack_copies_stamp(render_id=render_id)
    return outcome


def pack_render_produce(*, render_id: int) -> str:
    """Render and store one audience's pack, unstamped; "ready", "failed" or why not."""
    render = _claim(render_id)
    if render is None:
        return "nothing to do"
    attempt = render.attempts
    session = render.session
    audience = Audience.from_json(render.audience)
    pack = render.packs.select_related("user").order_by("pk").first()
    if pack is None:
        _fail(render, BuildReason.NO_READER, retry=False)
        return "failed"
    language = render.language

    def compose() -> tuple[bytes, dict[str, Any]]:
        with translation.override(language):
            return pack_pdf_compose(content)

    try:
        # The headings, labels and dates in the render's language, built once for all its
        # readers (the reader in the browser is worded in the page's language instead).
        with translation.override(language):
            content = pack_content(
                session=session,
                audience=audience,
                viewer=pack.user,
                version=render.content_version,
            )
        stamp_font()  # subset once in this process, not in every child

        def renew() -> None:
            lease_renew(render_id, status=BuildStatus.BUILDING, attempt=attempt)

        renew()
        result = run_limited(
            compose,
            seconds=float(settings.PACK_RENDER_SECONDS),
            memory_bytes=int(settings.PACK_RENDER_MEMORY_BYTES),
            while_waiting=renew,
            every=lease_duration().total_seconds() / 3,
        )
    except PdfResourceRefused as exc:
        # The same content fails the same way every time: no retry.
        _fail(render, BuildReason.RESOURCE_REFUSED, {"url": exc.shown_url}, retry=False)
        return "failed"
    except PdfRenderFailed as exc:
        # The technical detail is kept as the renderer gave it.
        _fail(render, BuildReason.RENDER_FAILED, {"detail": str(exc)}, retry=False)
        return "failed"
    except PdfRenderLimitExceeded as exc:
        values = {"seconds": f"{exc.seconds:g}"} if exc.limit == "time" else {}
        _fail(render, LIMIT_REASONS[exc.limit], values, retry=True)
        return "failed"
    except Exception as exc:
        # Anything else (the database, the storage, a soft time limit) may pass.
        _fail(render, BuildReason.ERROR, {"detail": f"{type(exc).__name__}: {exc}"}, retry=True)
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
        render.reason_code = ""
        render.reason_params = {}
        # Now the lease of its copies' delivery, which follows in this task.
        render.lease_until = timezone.now() + lease_duration()
        render.save()
    return "ready"

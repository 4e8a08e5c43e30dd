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

from briefings.models import BuildStatus, PackRender
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


def render_packs_fail(render: PackRender, reason: str) -> None:
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
        render.lease_until = now + lease_duration()
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
            render_packs_fail(render, reason)
        else:
            render.packs.filter(status=BuildStatus.BUILDING).update(
                status=BuildStatus.QUEUED, updated_at=timezone.now()
            )
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
        _fail(render, "No delegate reads this render any more.", retry=False)
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
        render.lease_until = timezone.now() + lease_duration()
        render.save()
    return "ready"

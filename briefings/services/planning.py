"""Planning a session's packs: one render per audience, one copy per delegate.

``packs_plan`` groups the session's delegates by audience and makes
(idempotently, under unique constraints) one ``PackRender`` per audience and
one ``Pack`` per delegate, then enqueues the renders to produce and the
copies to stamp. ``packs_build_now`` runs the whole pipeline in this process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from agenda.models import Session
from briefings.models import BuildStatus, Pack, PackRender, PackRequest
from briefings.selectors.audiences import Audience, pack_audience
from briefings.selectors.recipients import Recipient, recipient_list
from briefings.selectors.versions import pack_content_version
from briefings.services.copies import pack_copies_stamp
from briefings.services.leases import TransientPackError, lease_duration
from briefings.services.renders import pack_render_deliver
from consult.queue import send_on_commit

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PlanReport:
    outcome: str
    renders: int = 0
    packs: int = 0


def packs_plan(*, session_id: int, generation: int | None = None) -> PlanReport:
    """Make the renders and copies the session's delegates need now, and enqueue their work."""
    if generation is not None:
        with transaction.atomic():
            request = PackRequest.objects.select_for_update().filter(session_id=session_id).first()
            if request is not None and request.generation != generation:
                return PlanReport("superseded")
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
        return PlanReport("no agenda")
    version = pack_content_version(session=session)
    # One render per audience and language: readers of the same things in the same
    # language share it.
    audiences: dict[tuple[str, str], tuple[Audience, list[Recipient]]] = {}
    for recipient in recipient_list(session=session):
        audience = pack_audience(user=recipient.user, session=session)
        if audience.is_empty:
            continue
        audiences.setdefault((audience.key, recipient.language), (audience, []))[1].append(
            recipient
        )

    render_ids: list[int] = []
    stamp_ids: list[int] = []
    packs = 0
    with transaction.atomic():
        for (key, language), (audience, recipients) in audiences.items():
            render, _ = _render_get_or_create(session, version, key, language, audience)
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
        PackRender.objects.filter(pk__in=stamp_ids).update(
            lease_until=timezone.now() + lease_duration()
        )

        def enqueue() -> None:
            from briefings.tasks import pack_copies_stamp_task, pack_render_deliver_task

            for render_id in render_ids:
                pack_render_deliver_task.delay(render_id)
            for render_id in stamp_ids:
                pack_copies_stamp_task.delay(render_id)

        # Renders left queued are sent again by the next build of the session.
        send_on_commit(enqueue, what="Pack renders")
    return PlanReport("built", renders=len(audiences), packs=packs)


def packs_build_now(*, session_id: int) -> PlanReport:
    """Plan and render a session's packs in this process, waiting for them.

    For callers that run no worker (tests, scripts); it forks its renders, so it
    must not be called inside a multi-threaded process such as the web server.
    """
    report = packs_plan(session_id=session_id)
    for render_id in PackRender.objects.filter(
        session_id=session_id, status=BuildStatus.QUEUED, quarantined=False
    ).values_list("pk", flat=True):
        try:
            pack_render_deliver(render_id=render_id)
        except TransientPackError:
            logger.warning("Pack render %s will be retried by the next rebuild.", render_id)
    for render_id in PackRender.objects.filter(
        session_id=session_id, status=BuildStatus.READY
    ).values_list("pk", flat=True):
        pack_copies_stamp(render_id=render_id)
    return report


def _render_get_or_create(
    session: Session, version: str, key: str, language: str, audience: Audience
) -> tuple[PackRender, bool]:
    try:
        with transaction.atomic():
            return PackRender.objects.get_or_create(
                session=session,
                content_version=version,
                audience_key=key,
                language=language,
                defaults={"audience": audience.as_json()},
            )
    except IntegrityError:
        return PackRender.objects.get(
            session=session, content_version=version, audience_key=key, language=language
        ), False


def _pack_attach(session: Session, version: str, render: PackRender, recipient: Recipient) -> int:
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
    # or went) or in another language: the copy moves to the render of their current audience.
    Pack.objects.filter(pk=pack.pk).update(
        render=render,
        party=recipient.party,
        status=BuildStatus.QUEUED,
        reason_code="",
        reason_params={},
        file="",
        stamped_at=None,
        updated_at=timezone.now(),
    )
    return 1

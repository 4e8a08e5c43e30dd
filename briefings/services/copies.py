"""Stamping a ready render into each delegate's copy, asking the access rule again for each."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agenda.models import Session
from briefings.models import BuildReason, BuildStatus, Pack, PackRender
from briefings.selectors.audiences import Audience, pack_audience
from briefings.selectors.content import party_name
from briefings.services import pdf_stamp
from briefings.services.leases import lease_duration
from notices.services.notifications import notifications_create


def _still_reads(pack: Pack, render: PackRender, session: Session) -> bool:
    """The access rule, asked again now: a delegate who lost access gets nothing."""
    return Audience.from_json(render.audience).within(
        pack_audience(user=pack.user, session=session)
    )


def pack_copies_stamp(*, render_id: int) -> int:
    """Stamp the copies of a ready render that are not stamped yet; returns how many."""
    render = PackRender.objects.select_related("session").get(pk=render_id)
    if render.status != BuildStatus.READY:
        return 0
    pending = list(copies_pending(render).values_list("pk", flat=True))
    if not pending:
        _delivery_release(render)
        return 0
    with render.file.open("rb") as handle:
        data = handle.read()
    stamped = 0
    for pack_id in pending:
        PackRender.objects.filter(pk=render.pk, status=BuildStatus.READY).update(
            lease_until=timezone.now() + lease_duration()
        )
        stamped += _pack_stamp(pack_id, render, data)
    _delivery_release(render)
    return stamped


def copies_pending(render: PackRender) -> QuerySet[Pack]:
    return render.packs.exclude(status=BuildStatus.READY).exclude(
        reason_code=BuildReason.NOT_DELIVERED
    )


def _delivery_release(render: PackRender) -> None:
    """Drop the delivery lease once no copy waits (one attached meanwhile keeps it)."""
    with transaction.atomic():
        locked = PackRender.objects.select_for_update().get(pk=render.pk)
        if locked.status == BuildStatus.READY and not copies_pending(locked).exists():
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
            pack.reason_code = BuildReason.NOT_DELIVERED
            pack.reason_params = {}
            pack.save(update_fields=["status", "reason_code", "reason_params", "updated_at"])
            return 0
        now = timezone.now()
        # The stamp in the render's language: the one its reader chose.
        with translation.override(render.language):
            copy = pdf_stamp.stamp(
                data,
                render.stamp_slots,
                pdf_stamp.Recipient(
                    name=pack.user.get_full_name() or pack.user.get_username(),
                    delegation=_("Delegation of %(party)s") % {"party": party_name(pack.party)},
                    pack_id=str(pack.public_id),
                    stamped_at=now,
                ),
            )
        pack.file.save("pack.pdf", ContentFile(copy), save=False)
        pack.status = BuildStatus.READY
        pack.reason_code = ""
        pack.reason_params = {}
        pack.stamped_at = now
        pack.save(
            update_fields=[
                "file",
                "status",
                "reason_code",
                "reason_params",
                "stamped_at",
                "updated_at",
            ]
        )
        notifications_create(
            session=session,
            users=[pack.user],
            key=f"pack-{render.content_version[:16]}",
            subject=format_lazy(
                gettext_lazy("Your briefing pack for {number} is ready"), number=session.number
            ),
            body=format_lazy(
                "{}\n",
                format_lazy(
                    gettext_lazy(
                        "Your copy of the briefing pack for {number} is ready to read and "
                        "download on the platform. It is marked with your name; do not pass it on."
                    ),
                    number=session.number,
                ),
            ),
        )
    return 1

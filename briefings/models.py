"""Briefing packs (docs/architecture.md, "The life of a briefing pack"): one render
per audience, one stamped copy per delegate.

A ``PackRender`` is the PDF of what one group of delegates may read (their
*audience*) for one *content version* of a session. Each delegate's ``Pack``
is that render stamped with their name, delegation, the time and the pack id
on every page, so a leaked copy is traceable. ``PackRequest`` debounces
rebuilds; ``PackReceipt`` records every view and download.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agenda.models import Session
from consult.models import PublicIdModel, TimestampedModel
from members.models import Language, Party


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class BuildReason(models.TextChoices):
    """Why a render or a copy is not ready (or is built again), kept as a code with its values
    (``reason_params``) and worded in each reader's language (``display_reason``)."""

    NOT_DELIVERED = (
        "not_delivered",
        _("Access ended before the copy was made; it was not delivered."),
    )
    REBUILD_REQUESTED = "rebuild_requested", _("Rebuild requested by the secretariat.")
    NO_READER = "no_reader", _("No delegate reads this render any more.")
    WORKER_STOPPED = "worker_stopped", _("Its worker stopped during each of %(attempts)s attempts.")
    RESOURCE_REFUSED = (
        "resource_refused",
        _("The document refers to a resource outside the platform: %(url)s"),
    )
    TIME_LIMIT = "time_limit", _("The render took longer than %(seconds)s seconds.")
    PROCESSOR_LIMIT = "processor_limit", _("The render used more processor time than allowed.")
    MEMORY_LIMIT = "memory_limit", _("The render needed more memory than allowed.")
    NO_RESULT = (
        "no_result",
        _("The render process ended without a result, most likely out of memory."),
    )
    RENDER_FAILED = "render_failed", _("The render failed: %(detail)s")
    ERROR = "error", _("The build stopped on an error: %(detail)s")


class BuildReasonModel(models.Model):
    """The reason a render or a copy carries: a code and its values, never prose, so that
    every reader reads it in their own language."""

    reason_code = models.CharField(
        max_length=20,
        choices=BuildReason.choices,
        blank=True,
        help_text="Why the last attempt failed (or the build was asked for again).",
    )
    reason_params = models.JSONField(
        default=dict,
        blank=True,
        help_text="The values the reason names: attempts, a URL, seconds, a technical detail.",
    )

    class Meta:
        abstract = True

    @property
    def display_reason(self) -> str:
        """The reason in the active language; empty when there is none."""
        if not self.reason_code:
            return ""
        params: dict[str, object] = self.reason_params
        return self.get_reason_code_display() % params


def render_upload_to(instance: "PackRender", filename: str) -> str:
    return f"packs/renders/{instance.session.public_id}/{uuid.uuid4().hex}.pdf"


def pack_upload_to(instance: "Pack", filename: str) -> str:
    return f"packs/copies/{instance.session.public_id}/{instance.public_id}-{uuid.uuid4().hex}.pdf"


class PackRender(BuildReasonModel, PublicIdModel, TimestampedModel):
    """The unstamped PDF of one audience's pack; never served to anybody as it is."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pack_renders")
    content_version = models.CharField(
        max_length=64, help_text="Hash of the agenda, papers and record the pack was built from."
    )
    audience_key = models.CharField(
        max_length=64, help_text="Hash of the items, papers and record entries this audience reads."
    )
    audience = models.JSONField(
        default=dict,
        help_text="The ids the audience reads; a copy is served only while its reader still may.",
    )
    language = models.CharField(
        max_length=8,
        choices=Language.choices,
        default=Language.EN,
        help_text="The working language its headings, dates and notes are written in.",
    )
    status = models.CharField(max_length=8, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    quarantined = models.BooleanField(
        default=False, help_text="Failed too often; rebuilt only by hand."
    )
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is building it until then."
    )
    file = models.FileField(upload_to=render_upload_to, max_length=255, blank=True)
    stamp_slots = models.JSONField(
        default=dict, help_text="Where each copy's stamp goes in the file (byte offsets)."
    )
    page_count = models.PositiveIntegerField(default=0)
    render_seconds = models.FloatField(null=True, blank=True)
    peak_memory_bytes = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "content_version", "audience_key", "language"],
                name="one_render_per_audience_language",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "building", "ready", "failed"]),
                name="pack_render_known_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"Pack render {self.public_id} of {self.session.number} ({self.status})"


class Pack(BuildReasonModel, PublicIdModel, TimestampedModel):
    """A delegate's own copy: the audience render, stamped for them."""

    render = models.ForeignKey(PackRender, on_delete=models.CASCADE, related_name="packs")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="packs")
    content_version = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="packs"
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The delegation it was made for.",
    )
    status = models.CharField(max_length=8, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    file = models.FileField(upload_to=pack_upload_to, max_length=255, blank=True)
    stamped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A redelivered task finds the copy it already made and changes nothing.
            models.UniqueConstraint(
                fields=["session", "content_version", "user"], name="one_pack_per_delegate_version"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "building", "ready", "failed"]),
                name="pack_known_status",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "session", "-created_at"]),
            models.Index(fields=["-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Pack {self.public_id} of {self.session.number} for {self.user}"


class PackReceipt(models.Model):
    """Who opened which copy, when, and how."""

    class Action(models.TextChoices):
        VIEW = "view", _("Read in the browser")
        DOWNLOAD = "download", _("Downloaded the PDF")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pack_receipts")
    pack = models.ForeignKey(
        Pack,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="receipts",
        help_text="The copy read or downloaded; empty for a reading before any copy was ready.",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["session", "user", "action"])]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.session_id} at {self.created_at:%Y-%m-%d %H:%M}"


class PackRequest(TimestampedModel):
    """The pending rebuild of a session's packs; a later request supersedes an earlier one.

    ``generation`` grows with every request: a build task carries the
    generation it was scheduled for and does nothing if a newer one exists,
    so a burst of edits ends in one build after the quiet period.
    """

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="pack_request")
    generation = models.PositiveIntegerField(default=0)
    not_before = models.DateTimeField()
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="Content and recipients when the request was made."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_generation = models.PositiveIntegerField(default=0)
    finished_generation = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Pack request {self.generation} for {self.session.number}"

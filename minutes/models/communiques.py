"""The non-binding communiqué of a session (docs/architecture.md, "minutes"): its versions, the
seat-holders' positions and the breaks of a silence procedure."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.manager import MultilingualManager

from agenda.models import Session
from consult.access import Distribution
from consult.links import DetailPageMixin
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from consult.parallel import ParallelFields, ParallelTextModel
from members.models import Party


class Communique(ParallelTextModel, DetailPageMixin, PublicIdModel, TimestampedModel):
    """The non-binding outcome text of a session, drafted in versions."""

    detail_route = "minutes:communique_detail"

    class Kind(models.TextChoices):
        COMMUNIQUE = "communique", _("Communiqué")
        CHAIR_STATEMENT = "chair_statement", _("Chair's statement")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("text status", "Draft")
        CIRCULATED = "circulated", _("Circulated to seat-holders")
        PUBLISHED = "published", _("Published")

    class SilenceOutcome(models.TextChoices):
        NONE = "", _("Not concluded")
        AGREED = "agreed", _("Agreed under the silence procedure")
        BROKEN = "broken", _("Silence broken")

    class Procedure(models.TextChoices):
        """How a published text was adopted, said on the text wherever it is shown."""

        SILENCE = "silence", _("Adopted under the silence procedure")
        ALL_PARTICIPANTS = "all_participants", _("Agreed by all participants")
        CHAIR = "chair", _("Chair's statement")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="communiques")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.COMMUNIQUE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    distribution = models.CharField(
        max_length=12,
        choices=Distribution.choices,
        default=Distribution.SEAT_HOLDERS,
        help_text="Seat-holders while drafted; public once published.",
    )
    silence_procedure = models.BooleanField(default=False)
    deadline = models.DateTimeField(null=True, blank=True)
    circulated_version = models.ForeignKey(
        "CommuniqueVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    silence_outcome = models.CharField(
        max_length=6, choices=SilenceOutcome.choices, default=SilenceOutcome.NONE, blank=True
    )
    silence_concluded_at = models.DateTimeField(null=True, blank=True)
    published_version = models.ForeignKey(
        "CommuniqueVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_title = models.CharField(max_length=240, blank=True)
    published_preamble = models.TextField(blank=True)
    published_attribution = models.CharField(max_length=240, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Parallel texts (consult/parallel.py): the authoritative text is the title and the
    # versions' text, in ``language`` (ParallelTextModel); each translation lives in the
    # per-language columns that minutes/translation.py registers (title_translation_ru,
    # text_translation_ru, translation_state_ru, ...). The signature stays over the
    # authoritative version.
    text_translation = models.TextField(blank=True, help_text="Sanitised rich text.")

    # Modeltranslation's manager (it would swap the default one's class for it at run time),
    # declared so the type checker knows it.
    objects = MultilingualManager["Communique"]()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["status", "silence_procedure", "deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published")
                | (Q(published_version__isnull=False) & Q(published_at__isnull=False)),
                name="published_communique_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.published_title or self.title

    @property
    def reading_title(self) -> str:
        """The authoritative title readers see: the published one once published."""
        return self.published_title or self.title

    @property
    def reading_text(self) -> str:
        """The authoritative text readers see: the published version, else the circulated one
        (a draft's latest version is read on the drafting page)."""
        version = self.published_version or self.circulated_version
        return version.text if version is not None else ""

    @property
    def procedure(self) -> "Communique.Procedure | None":
        """Publication makes a text the participants' only under the silence procedure or
        when every seat-holder joined it; anything else is published as a chair's statement."""
        if self.status != self.Status.PUBLISHED:
            return None
        if self.kind == self.Kind.CHAIR_STATEMENT:
            return self.Procedure.CHAIR
        if self.silence_procedure:
            return self.Procedure.SILENCE
        return self.Procedure.ALL_PARTICIPANTS


# The parallel texts of a communiqué: its title and text (consult/parallel.py).
COMMUNIQUE_PARALLEL = ParallelFields(
    fields={"title": "title_translation", "text": "text_translation"},
    sources={"title": "reading_title", "text": "reading_text"},
)


class CommuniqueVersion(PublicIdModel, CreatedAtModel):
    communique = models.ForeignKey(Communique, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(help_text="Sanitised rich text.")
    note = models.CharField(max_length=200, blank=True, help_text="What changed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["communique", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["communique", "number"], name="unique_communique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.communique.title} v{self.number}"


class Position(PublicIdModel, TimestampedModel):
    """A seat-holder's position on a circulated version; it may change until the deadline."""

    class Stance(models.TextChoices):
        ASSOCIATES = "associates", _("Associates")
        RESERVATION = "associates_with_reservation", _("Associates with a reservation")
        DISSOCIATES = "dissociates", _("Dissociates")

    version = models.ForeignKey(
        CommuniqueVersion, on_delete=models.CASCADE, related_name="positions"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(max_length=27, choices=Stance.choices)
    reservation = models.TextField(
        blank=True, help_text="Published as a footnote attributed to the party."
    )
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["version", "party__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="one_position_per_party"),
            models.CheckConstraint(
                condition=Q(stance="associates_with_reservation", reservation__gt="")
                | (~Q(stance="associates_with_reservation") & Q(reservation="")),
                name="reservation_only_with_reservation_stance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party.code} {self.get_stance_display().lower()} ({self.version})"


class SilenceBreak(PublicIdModel, CreatedAtModel):
    version = models.ForeignKey(
        CommuniqueVersion, on_delete=models.CASCADE, related_name="silence_breaks"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    broken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["version", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "party"], name="one_silence_break_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party.code} broke silence on {self.version}"


class CommuniqueSignature(CreatedAtModel):
    """The body's signatures of one published version: its canonical JSON signed with
    Ed25519 and its PDF signed with PAdES. Keys never live here, only what they signed."""

    version = models.OneToOneField(
        CommuniqueVersion, on_delete=models.PROTECT, related_name="signature"
    )
    communique = models.ForeignKey(Communique, on_delete=models.PROTECT, related_name="signatures")
    canonical = models.TextField(help_text="The canonical JSON, exactly as signed.")
    signature = models.CharField(max_length=100, help_text="Ed25519 signature, base64.")
    key_id = models.CharField(max_length=16)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64, db_index=True)
    pdf_key_id = models.CharField(max_length=16)
    timestamped = models.BooleanField(default=False)

    class Meta:
        ordering = ["communique", "version__number"]

    def __str__(self) -> str:
        return f"Signature of {self.version}"

"""Papers of a session or item, their versions and their symbol series."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from agenda.models.agendas import AgendaItem
from agenda.models.sessions import Session
from consult.access import Distribution
from consult.links import DetailPageMixin
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from consult.parallel import ParallelFields, TranslationState
from members.models import Party


class Document(DetailPageMixin, PublicIdModel, TimestampedModel):
    """A paper of a session or item; its current text or file is its latest version."""

    detail_route = "agenda:document_detail"

    class Language(models.TextChoices):
        EN = "en", _("English")
        FR = "fr", _("French")
        RU = "ru", _("Russian")

    class Category(models.TextChoices):
        BACKGROUND = "background", _("Background paper")
        NATIONAL_POSITION = "national_position", _("National position")
        SCENARIO = "scenario", _("Scenario text")
        DRAFT_COMMUNIQUE = "draft_communique", _("Draft communiqué")
        NOTE = "note", _("Delegation's private note")

    symbol = models.CharField(max_length=40, unique=True, help_text="e.g. CCB.DEL/14/27")
    title = models.CharField(max_length=200)
    category = models.CharField(
        max_length=20, choices=Category.choices, default=Category.BACKGROUND
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    owner = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text="Empty when the secretariat owns it.",
    )
    # The paper's own language: its text's, and its title's authoritative language.
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    distribution = models.CharField(max_length=12, choices=Distribution.choices)
    # A delegation asked for its paper to be public: it stays ``participants``
    # until the secretariat releases it (nothing is public without the secretariat).
    public_requested = models.BooleanField(default=False)
    current_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A private note written on a passage of another paper, from the briefing
    # pack in the browser: anchored to the paper and the words quoted, so it
    # outlives every rebuild of the pack; like every note, its delegation's alone.
    annotates = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="annotations"
    )
    passage = models.TextField(blank=True, help_text="The words of the annotated paper quoted.")
    # Parallel texts (consult/parallel.py): the title, in ``language``, is authoritative; its
    # translations live in the per-language columns that agenda/translation.py registers
    # (title_translation_ru, translation_state_ru, ...). The text itself is never translated:
    # it stays in the paper's own language.
    title_translation = models.CharField(max_length=200, blank=True)
    translation_state = models.CharField(
        max_length=10, choices=TranslationState.choices, blank=True
    )

    # Modeltranslation's manager (it would swap the default one's class for it at run time),
    # declared so the type checker knows it.
    objects = MultilingualManager["Document"]()

    class Meta:
        ordering = ["session", "symbol"]
        indexes = [
            models.Index(fields=["session", "distribution"]),
            models.Index(fields=["-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(distribution="delegation") | Q(owner__isnull=False),
                name="delegation_document_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(annotates__isnull=True) | Q(distribution="delegation", category="note"),
                name="annotation_is_a_private_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}"


# The parallel texts of a paper: its title alone (consult/parallel.py).
DOCUMENT_PARALLEL = ParallelFields(fields={"title": "title_translation"})


class DocumentSymbolSeries(models.Model):
    """The last number issued in a symbol series and year (``DEL`` 2027 -> ``CCB.DEL/14/27``)."""

    series = models.CharField(max_length=24, help_text="DEL, GAL, or NOTE.<party code>")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="unique_symbol_series_year"),
        ]

    def __str__(self) -> str:
        return f"CCB.{self.series}/{self.last_number}/{self.year % 100:02d}"


def document_upload_to(instance: "DocumentVersion", filename: str) -> str:
    # The stored name never carries the uploader's file name.
    return f"documents/{instance.document.public_id}/{uuid.uuid4().hex}"


class DocumentVersion(PublicIdModel, CreatedAtModel):
    class Format(models.TextChoices):
        RICH_TEXT = "html", _("Rich text")
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("Word (DOCX)")
        ODT = "odt", _("OpenDocument text (ODT)")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=Format.choices)
    body_html = models.TextField(blank=True, help_text="Sanitised with nh3 before it is stored.")
    file = models.FileField(upload_to=document_upload_to, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_version"),
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} v{self.number}"

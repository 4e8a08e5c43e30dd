import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from consult.access import Distribution, ExpiringGroupGrant
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from members.models import Party, QuarterField


class Session(PublicIdModel, TimestampedModel):
    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular"
        EXTRAORDINARY = "extraordinary", "Extraordinary"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        IN_SESSION = "in_session", "In session"
        HELD = "held", "Held"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    number = models.CharField(max_length=20, unique=True, help_text="CCB/2027/Q1 or CCB/2027/X2")
    kind = models.CharField(max_length=13, choices=Kind.choices)
    quarter = QuarterField(db_index=True)
    title = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200)
    venue_timezone = models.CharField(max_length=64, default="Europe/Vienna")
    chair = models.ForeignKey(
        "members.Seat",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_sessions",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    distribution = models.CharField(
        max_length=12,
        choices=Distribution.choices,
        default=Distribution.PARTICIPANTS,
        help_text="Confidentiality level of the session and, by default, of its items.",
    )
    requested_by = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    request_reason = models.TextField(blank=True)
    schedule_revision = models.PositiveIntegerField(
        default=0, help_text="Bumped at each change of date or venue; each change is notified once."
    )

    class Meta:
        ordering = ["-starts_at"]
        permissions = [
            ("attend_session", "Take part in the whole session"),
            ("sit_session", "Sit at the session as a seat-holder"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["quarter"],
                condition=Q(kind="regular") & ~Q(status="cancelled"),
                name="one_regular_session_per_quarter",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agenda:session_detail", kwargs={"public_id": self.public_id})


class SessionGrant(ExpiringGroupGrant):
    content_object = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(ExpiringGroupGrant.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["group", "permission", "content_object"], name="unique_session_grant"
            )
        ]
        indexes = [models.Index(fields=["content_object", "permission", "group"])]


class Agenda(PublicIdModel, CreatedAtModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Provisional (draft)"
        CIRCULATED = "circulated", "Circulated for objections"
        ADOPTED = "adopted", "Adopted"

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="agenda")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    circulated_at = models.DateTimeField(null=True, blank=True)
    objection_deadline = models.DateTimeField(null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=0, help_text="Bumped at each change; briefing packs are built per revision."
    )

    def __str__(self) -> str:
        return f"Agenda of {self.session.number}"


class AgendaItem(PublicIdModel, CreatedAtModel):
    class Kind(models.TextChoices):
        THREAT_ASSESSMENT = "threat_assessment", "Threat assessment"
        SCENARIO_EXERCISE = "scenario_exercise", "Scenario exercise"
        CRISIS_REVIEW = "crisis_review", "Crisis review"
        NORMS = "norms", "Norms of behaviour"
        OFF_RAMPS = "off_ramps", "Off-ramps"
        ANY_OTHER_BUSINESS = "any_other_business", "Any other business"

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="items")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    proposer = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    distribution = models.CharField(
        max_length=12,
        choices=Distribution.choices,
        default=Distribution.PARTICIPANTS,
        help_text="Overrides the session's level for this item.",
    )
    chatham_house = models.BooleanField(default=False)
    is_open = models.BooleanField(default=True, help_text="Still under consideration.")
    starts_at = models.DateTimeField(
        null=True, blank=True, help_text="When the item is taken up: the session's timetable."
    )
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )

    class Meta:
        ordering = ["session", "order"]
        permissions = [("attend_agendaitem", "Take part in this item (ad hoc)")]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "order"], name="unique_item_order"),
        ]

    def __str__(self) -> str:
        return f"{self.session.number} item {self.order}: {self.title}"

    @property
    def ends_at(self) -> datetime | None:
        """The end of the item's slot in the timetable, when both its time and length are set."""
        if self.starts_at is None or self.duration_minutes is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class AgendaItemGrant(ExpiringGroupGrant):
    content_object = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(ExpiringGroupGrant.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["group", "permission", "content_object"], name="unique_item_grant"
            )
        ]
        indexes = [models.Index(fields=["content_object", "permission", "group"])]


class Objection(PublicIdModel, CreatedAtModel):
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="objections")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="objections"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(
        blank=True, help_text="The secretariat's answer, recorded before adoption."
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    digest = models.CharField(
        max_length=64,
        null=True,
        editable=False,
        help_text="SHA-256 of the circulation, the item and the text: the same objection sent "
        "twice in one circulation is one objection.",
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "party", "digest"], name="one_objection_per_text"
            ),
        ]

    def __str__(self) -> str:
        return f"Objection by {self.party.code} to {self.agenda}"


class Invitation(PublicIdModel, TimestampedModel):
    class Kind(models.TextChoices):
        MEMBER = "member", "Member"
        AD_HOC = "ad_hoc", "Ad hoc"
        OBSERVER = "observer", "Observer"

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="invitations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENT)
    valid_until = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "party__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "party"],
                condition=Q(item__isnull=True) & ~Q(status="revoked"),
                name="one_live_session_invitation_per_party",
            ),
            models.UniqueConstraint(
                fields=["item", "party"],
                condition=Q(item__isnull=False) & ~Q(status="revoked"),
                name="one_live_item_invitation_per_party",
            ),
        ]

    def __str__(self) -> str:
        scope = f" item {self.item.order}" if self.item is not None else ""
        return f"{self.party.code} to {self.session.number}{scope} ({self.kind})"


class Document(PublicIdModel, TimestampedModel):
    """A paper of a session or item; its current text or file is its latest version."""

    class Language(models.TextChoices):
        EN = "en", "English"
        FR = "fr", "French"
        RU = "ru", "Russian"

    class Category(models.TextChoices):
        BACKGROUND = "background", "Background paper"
        NATIONAL_POSITION = "national_position", "National position"
        SCENARIO = "scenario", "Scenario text"
        DRAFT_COMMUNIQUE = "draft_communique", "Draft communiqué"
        NOTE = "note", "Delegation's private note"

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
        RICH_TEXT = "html", "Rich text"
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        ODT = "odt", "OpenDocument text (ODT)"

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


class ExtraordinaryRequest(PublicIdModel, CreatedAtModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONVENED = "convened", "Convened"
        DECLINED = "declined", "Declined"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    session = models.OneToOneField(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="extraordinary_request",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Extraordinary session requested by {self.party.code}"


class CalendarFeed(CreatedAtModel):
    """A user's secret iCalendar URL; rotating the token revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"

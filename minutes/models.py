"""The record of a session (DESIGN.md §4): minutes, statements, action points,
and the non-binding communiqué with the seat-holders' positions.

Who may read a row is decided by ``consult.access`` through the selectors;
on Chatham House items the speaker and party of a statement are replaced by
"a participant" in SQL by the selectors, so the raw ``party``/``speaker``
fields of ``Statement`` are never rendered directly.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from agenda.models import AgendaItem, Document, Session
from consult.access import Distribution
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from members.models import Party

# A statement is read by the session's participants unless narrowed; a
# delegation-only statement would have no reader, so it is not offered.
STATEMENT_DISTRIBUTIONS = [
    (value, label) for value, label in Distribution.choices if value != Distribution.DELEGATION
]


class Minutes(PublicIdModel, TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CIRCULATED = "circulated", "Circulated for amendments"
        APPROVED = "approved", "Approved"

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    distribution = models.CharField(
        max_length=12, choices=STATEMENT_DISTRIBUTIONS, default=Distribution.PARTICIPANTS
    )
    revision = models.PositiveIntegerField(
        default=0, help_text="Number of the latest kept revision (0: never circulated)."
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "circulated", "approved"]),
                name="minutes_known_status",
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.session.number}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("minutes:minutes_detail", kwargs={"public_id": self.public_id})


class MinutesRevision(PublicIdModel, CreatedAtModel):
    """A frozen, structured copy of the minutes: rendered per viewer, so it can be anonymised."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    snapshot = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="unique_minutes_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} revision {self.number}"


class Attendance(PublicIdModel, CreatedAtModel):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="attendances")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    delegates = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    arrived_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["minutes", "party__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "party"], name="unique_attendance"),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True)
                | Q(arrived_at__isnull=True)
                | Q(left_at__gt=models.F("arrived_at")),
                name="attendance_leaves_after_arrival",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party.code} at {self.minutes.session.number}"


class Statement(PublicIdModel, TimestampedModel):
    class Kind(models.TextChoices):
        STATEMENT = "statement", "Statement"
        INTERPRETATIVE = "interpretative", "Interpretative statement"

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="statements")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="statements")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speaker_name = models.CharField(
        max_length=200, blank=True, help_text="As recorded; filled from the speaker's account."
    )
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.STATEMENT)
    order = models.PositiveIntegerField(help_text="Speaking order within the item.")
    summary = models.TextField()
    full_text = models.TextField(blank=True, help_text="Sanitised rich text.")
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    distribution = models.CharField(
        max_length=12, choices=STATEMENT_DISTRIBUTIONS, default=Distribution.PARTICIPANTS
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["minutes", "item__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "order"], name="unique_statement_order"),
            models.CheckConstraint(
                condition=~Q(distribution="delegation"), name="statement_has_readers"
            ),
        ]
        indexes = [
            models.Index(fields=["minutes", "item", "order"]),
            models.Index(fields=["-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order} on {self.item}"


class Amendment(PublicIdModel, CreatedAtModel):
    """A correction an attending delegation proposes to circulated minutes."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="amendments",
        help_text="The statement whose summary it replaces; empty for a general correction.",
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    rationale = models.TextField(blank=True)
    # Proposals are read by the proposing delegation and the secretariat only:
    # one on a Chatham House statement would otherwise reveal who spoke.
    distribution = models.CharField(
        max_length=12, choices=Distribution.choices, default=Distribution.SECRETARIAT
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["minutes", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed") | ~Q(decision_reason=""),
                name="amendment_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Amendment by {self.party.code} to {self.minutes}"


class ActionPoint(PublicIdModel, TimestampedModel):
    """Follow-up agreed at a session; open ones roll into the next sessions' packs."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="action_points")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="action_points"
    )
    owner = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_points",
        help_text="Empty when the secretariat owns it.",
    )
    description = models.TextField()
    due_date = models.DateField()
    status = models.CharField(max_length=4, choices=Status.choices, default=Status.OPEN)
    distribution = models.CharField(
        max_length=12, choices=STATEMENT_DISTRIBUTIONS, default=Distribution.PARTICIPANTS
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"Action point of {self.minutes.session.number}: {self.description[:40]}"


class Communique(PublicIdModel, TimestampedModel):
    """The non-binding outcome text of a session, drafted in versions."""

    class Kind(models.TextChoices):
        COMMUNIQUE = "communique", "Communiqué"
        CHAIR_STATEMENT = "chair_statement", "Chair's statement"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CIRCULATED = "circulated", "Circulated to seat-holders"
        PUBLISHED = "published", "Published"

    class SilenceOutcome(models.TextChoices):
        NONE = "", "Not concluded"
        AGREED = "agreed", "Agreed under the silence procedure"
        BROKEN = "broken", "Silence broken"

    class Procedure(models.TextChoices):
        """How a published text was adopted, said on the text wherever it is shown."""

        SILENCE = "silence", "Adopted under the silence procedure"
        ALL_PARTICIPANTS = "all_participants", "Agreed by all participants"
        CHAIR = "chair", "Chair's statement"

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

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("minutes:communique_detail", kwargs={"public_id": self.public_id})

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
        ASSOCIATES = "associates", "Associates"
        RESERVATION = "associates_with_reservation", "Associates with a reservation"
        DISSOCIATES = "dissociates", "Dissociates"

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

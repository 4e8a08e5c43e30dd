"""The minutes of a session (docs/architecture.md, "minutes"): revisions, attendance, statements,
amendments and action points.

Who may read a row is decided by ``consult.access`` through the selectors;
on Chatham House items the speaker and party of a statement are replaced by
"a participant" in SQL by the selectors, so the raw ``party``/``speaker``
fields of ``Statement`` are never rendered directly.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agenda.models import AgendaItem, Document, Session
from consult.access import Distribution
from consult.links import DetailPageMixin
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from members.models import Party

# A statement is read by the session's participants unless narrowed; a
# delegation-only statement would have no reader, so it is not offered.
STATEMENT_DISTRIBUTIONS = [
    (value, label) for value, label in Distribution.choices if value != Distribution.DELEGATION
]


class Minutes(DetailPageMixin, PublicIdModel, TimestampedModel):
    detail_route = "minutes:minutes_detail"

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("text status", "Draft")
        CIRCULATED = "circulated", _("Circulated for amendments")
        APPROVED = "approved", _("Approved")

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


class MinutesRevision(PublicIdModel, CreatedAtModel):
    """A frozen, structured copy of the minutes: rendered per viewer, so it can be anonymised."""

    class Reason(models.TextChoices):
        """What made the revision: the platform's words, worded for each reader."""

        CIRCULATED = "circulated", _("Circulated for amendments")
        AMENDMENT_ACCEPTED = "amendment_accepted", _("Amendment accepted")
        APPROVED = "approved", _("Approved")
        ATTENDANCE_CORRECTED = "attendance_corrected", _("Attendance corrected")
        STATEMENT_ADDED = "statement_added", _("Statement added")
        INTERPRETATIVE_STATEMENT = (
            "interpretative_statement",
            _("Interpretative statement attached"),
        )
        ACTION_POINT_ADDED = "action_point_added", _("Action point added")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=24, choices=Reason.choices)
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
        STATEMENT = "statement", _("Statement")
        INTERPRETATIVE = "interpretative", _("Interpretative statement")

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
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

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
        OPEN = "open", pgettext_lazy("action point status", "Open")
        DONE = "done", _("Done")

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

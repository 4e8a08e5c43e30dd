"""Crisis dossiers and their dated status changes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from agenda.models import AgendaItem, Document, Session
from consult.access import Distribution
from consult.links import DetailPageMixin
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from consult.parallel import ParallelFields, ParallelTextModel
from minutes.models import ActionPoint, Communique, Statement

# A crisis is the body's shared concern: a dossier one delegation alone reads has no place.
CRISIS_DISTRIBUTIONS = [
    (value, label) for value, label in Distribution.choices if value != Distribution.DELEGATION
]


class Crisis(ParallelTextModel, DetailPageMixin, PublicIdModel, TimestampedModel):
    detail_route = "crises:crisis_detail"

    class Status(models.TextChoices):
        WATCH = "watch", _("Watch")
        ACTIVE = "active", _("Active")
        DE_ESCALATING = "de_escalating", _("De-escalating")
        CLOSED = "closed", _("Closed")

    title = models.CharField(max_length=200)
    region = models.CharField(max_length=120)
    summary = models.TextField(blank=True, help_text="Sanitised rich text.")
    status = models.CharField(max_length=13, choices=Status.choices, default=Status.WATCH)
    status_since = models.DateField()
    distribution = models.CharField(
        max_length=12, choices=CRISIS_DISTRIBUTIONS, default=Distribution.PARTICIPANTS
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="raised_crises",
        help_text="The session the crisis was raised at; its distribution is read against it.",
    )
    items = models.ManyToManyField(AgendaItem, blank=True, related_name="crises")
    documents = models.ManyToManyField(Document, blank=True, related_name="crises")
    statements = models.ManyToManyField(Statement, blank=True, related_name="crises")
    action_points = models.ManyToManyField(ActionPoint, blank=True, related_name="crises")
    communiques = models.ManyToManyField(Communique, blank=True, related_name="crises")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The translations of its title and summary (ParallelTextModel; crises/translation.py).
    summary_translation = models.TextField(blank=True, help_text="Sanitised rich text.")
    # Modeltranslation's manager, declared so the type checker knows it.
    objects = MultilingualManager["Crisis"]()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "crises"
        constraints = [
            models.CheckConstraint(
                condition=~Q(distribution=Distribution.DELEGATION), name="crisis_has_readers"
            ),
        ]

    def __str__(self) -> str:
        return self.title


# The parallel texts of a crisis dossier: its title and summary (consult/parallel.py).
CRISIS_PARALLEL = ParallelFields(
    fields={"title": "title_translation", "summary": "summary_translation"}
)


class CrisisTransition(PublicIdModel, CreatedAtModel):
    """One dated change of a crisis's status, with the reason given."""

    class ReasonCode(models.TextChoices):
        """The reasons the platform gives itself, kept as codes and worded for each reader."""

        RAISED = "raised", _("Raised at the session.")

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=13, choices=Crisis.Status.choices, blank=True)
    to_status = models.CharField(max_length=13, choices=Crisis.Status.choices)
    on = models.DateField(help_text="The day the change took effect.")
    reason = models.TextField(blank=True, help_text="The reason a person gave, as typed.")
    reason_code = models.CharField(
        max_length=8,
        choices=ReasonCode.choices,
        blank=True,
        help_text="The platform's reason, for a dossier opened without one; empty when a "
        "person gave the reason.",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on", "created_at"]

    def __str__(self) -> str:
        return f"{self.crisis}: {self.from_status or 'new'} → {self.to_status}"

    @property
    def display_reason(self) -> str:
        """The reason in the active language: the platform's worded from its code, a
        person's as they typed it."""
        return self.get_reason_code_display() if self.reason_code else self.reason

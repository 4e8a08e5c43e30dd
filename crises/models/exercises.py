"""Tabletop exercises (HSEEP practice): a scenario, its Master Scenario Events List of
injects released live by the facilitator, the players' responses, and the After-Action
Report with its improvement plan.

Who reads what (crises/selectors/exercises.py, through consult.access):

- the exercise itself, with its MSEL (every inject before release, expected responses):
  the secretariat; its participating parties read its title, scenario and objectives once
  it has started;
- an inject to all participants: the participating parties, from its release on;
- an inject to one party in secret: that party only, from its release on, and every
  participating party once the facilitator discloses it;
- a response: the responding party and the secretariat, never the other players, also
  after the inject is disclosed (a delegation's answer under exercise conditions is its
  own deliberation; the facilitator brings what the body should learn into the AAR);
- the After-Action Report: the secretariat while a draft; once published, whoever reads
  the exercise, and the next briefing pack, each in their working language where a
  current translation has it (``AAR_PARALLEL``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from agenda.models import AgendaItem, Session
from consult.links import DetailPageMixin
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from consult.parallel import ParallelFields, ParallelLanguageModel, ParallelTextModel
from crises.models.dossiers import Crisis
from members.models import Party
from minutes.models import ActionPoint


class Exercise(ParallelTextModel, DetailPageMixin, PublicIdModel, TimestampedModel):
    detail_route = "crises:exercise_detail"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    title = models.CharField(max_length=200)
    scenario = models.TextField(blank=True, help_text="Sanitised rich text.")
    objectives = models.TextField(blank=True)
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="exercises"
    )
    crisis = models.ForeignKey(
        Crisis, on_delete=models.PROTECT, null=True, blank=True, related_name="exercises"
    )
    # The item's session, or the session the crisis was raised at: what the rule reads.
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="exercises")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    parties = models.ManyToManyField(Party, related_name="exercises")
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The translations of its title, scenario and objectives (ParallelTextModel;
    # crises/translation.py).
    scenario_translation = models.TextField(blank=True, help_text="Sanitised rich text.")
    objectives_translation = models.TextField(blank=True)
    # Modeltranslation's manager, declared so the type checker knows it.
    objects = MultilingualManager["Exercise"]()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) | Q(crisis__isnull=False),
                name="exercise_on_item_or_crisis",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# The parallel texts of an exercise: its title, scenario and objectives (consult/parallel.py).
EXERCISE_PARALLEL = ParallelFields(
    fields={
        "title": "title_translation",
        "scenario": "scenario_translation",
        "objectives": "objectives_translation",
    }
)


class Inject(ParallelLanguageModel, PublicIdModel, TimestampedModel):
    """One event of the MSEL: to every participant, or in secret to one party. Its text is a
    parallel text without a title (consult/parallel.py)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="injects")
    order = models.PositiveSmallIntegerField()
    scenario_time = models.CharField(
        max_length=60, blank=True, help_text='When it happens in the scenario ("D+1 06:00").'
    )
    text = models.TextField()
    recipient = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: every participating party. A party: that party only, in secret.",
    )
    expected_response = models.TextField(blank=True, help_text="The facilitator's only.")
    follow_up = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled_after = models.PositiveIntegerField(
        null=True, blank=True, help_text="Released this many minutes after the start."
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disclosed_at = models.DateTimeField(null=True, blank=True)
    # The translations of its text (ParallelLanguageModel; crises/translation.py).
    text_translation = models.TextField(blank=True)
    # Modeltranslation's manager, declared so the type checker knows it.
    objects = MultilingualManager["Inject"]()

    class Meta:
        ordering = ["exercise", "order"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "order"], name="one_inject_per_order"),
        ]

    def __str__(self) -> str:
        return f"Inject {self.order} of {self.exercise}"

    def get_absolute_url(self) -> str:
        """An inject is read on its exercise's page."""
        return self.exercise.get_absolute_url()

    @property
    def is_secret(self) -> bool:
        return self.recipient_id is not None and self.disclosed_at is None


# The parallel text of an inject: its text alone (consult/parallel.py).
INJECT_PARALLEL = ParallelFields(fields={"text": "text_translation"})


class Response(PublicIdModel, CreatedAtModel):
    """A party's answer to an inject."""

    inject = models.ForeignKey(Inject, on_delete=models.CASCADE, related_name="responses")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.party} on {self.inject}"


class ExerciseEvent(models.Model):
    """One thing the live channel tells: kept as a row, so that a browser reconnecting
    with its last event id catches up. It names what happened; each reader is sent only
    the events whose inject or response the rule lets them read at that moment."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status changed")
        RELEASED = "released", _("Inject released")
        DISCLOSED = "disclosed", _("Inject disclosed")
        RESPONSE = "response", _("Response recorded")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=9, choices=Kind.choices)
    inject = models.ForeignKey(
        Inject, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} in {self.exercise}"


class AfterActionReport(ParallelLanguageModel, PublicIdModel, TimestampedModel):
    """The AAR/IP: drafted from the timeline, edited and published by the secretariat. Its
    text is a parallel text without a title (consult/parallel.py), read once published by
    the exercise's readers and the next briefing pack, each in their language."""

    exercise = models.OneToOneField(
        Exercise, on_delete=models.CASCADE, related_name="after_action_report"
    )
    text = models.TextField(blank=True, help_text="Sanitised rich text.")
    published_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The translations of its text (ParallelLanguageModel; crises/translation.py).
    text_translation = models.TextField(blank=True, help_text="Sanitised rich text.")
    # Modeltranslation's manager, declared so the type checker knows it.
    objects = MultilingualManager["AfterActionReport"]()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"After-action report of {self.exercise}"


# The parallel text of an after-action report: its text alone (consult/parallel.py).
AAR_PARALLEL = ParallelFields(fields={"text": "text_translation"})


class ImprovementItem(PublicIdModel, CreatedAtModel):
    """One line of the improvement plan; confirmed, it becomes an action point of the record."""

    report = models.ForeignKey(
        AfterActionReport, on_delete=models.CASCADE, related_name="improvements"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField()
    action_point = models.OneToOneField(
        ActionPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "created_at"]

    def __str__(self) -> str:
        return self.description[:60]

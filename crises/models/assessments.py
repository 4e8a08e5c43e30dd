"""The threat list and threat assessments in Delphi rounds."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from agenda.models import Session
from consult.links import DetailPageMixin
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from consult.parallel import ParallelFields, ParallelTextModel
from crises.models.dossiers import Crisis
from members.models import Party

SCORE_MIN = 1
SCORE_MAX = 5


class Threat(ParallelTextModel, PublicIdModel, TimestampedModel):
    """An entry of the shared threat list the secretariat keeps."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    region = models.CharField(max_length=120, blank=True)
    crisis = models.ForeignKey(
        Crisis, on_delete=models.PROTECT, null=True, blank=True, related_name="threats"
    )
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="No longer offered to new assessments."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The translations of its title and description (ParallelTextModel; crises/translation.py).
    description_translation = models.TextField(blank=True)
    # Modeltranslation's manager, declared so the type checker knows it.
    objects = MultilingualManager["Threat"]()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


# The parallel texts of a threat: its title and description, plain text (consult/parallel.py).
THREAT_PARALLEL = ParallelFields(
    fields={"title": "title_translation", "description": "description_translation"}
)


class Assessment(DetailPageMixin, PublicIdModel, TimestampedModel):
    """The threat assessment before one regular session, run in Delphi rounds."""

    detail_route = "crises:assessment_detail"

    class Attribution(models.TextChoices):
        ATTRIBUTED = "attributed", _("Attributed: each party's scores carry its name")
        ANONYMISED = "anonymised", _("Anonymised: scores are shown without the party")

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="assessment")
    attribution = models.CharField(
        max_length=10, choices=Attribution.choices, default=Attribution.ANONYMISED
    )
    convergence_threshold = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.0")), MaxValueValidator(Decimal("4.0"))],
        help_text="A threat whose spread (interquartile range) is below this has converged: "
        "no further round is offered for it.",
    )
    threats = models.ManyToManyField(Threat, related_name="assessments")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-session__starts_at"]

    def __str__(self) -> str:
        return f"Threat assessment for {self.session.number}"


class AssessmentRound(PublicIdModel, CreatedAtModel):
    """One Delphi round: independent scores until the deadline, sealed until released."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    deadline = models.DateTimeField()
    threats = models.ManyToManyField(Threat, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Reminders to delegations that have not scored: sent once each.
    reminded_3_days_at = models.DateTimeField(null=True, blank=True)
    reminded_1_day_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_round_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="round_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.assessment}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class Score(PublicIdModel, TimestampedModel):
    """One delegation's view of one threat in one round."""

    class Trend(models.TextChoices):
        RISING = "rising", _("Rising")
        STEADY = "steady", _("Steady")
        FALLING = "falling", _("Falling")

    class Confidence(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="scores")
    threat = models.ForeignKey(Threat, on_delete=models.PROTECT, related_name="scores")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    likelihood = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    impact = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    trend = models.CharField(max_length=7, choices=Trend.choices)
    confidence = models.CharField(max_length=6, choices=Confidence.choices)
    rationale = models.TextField(blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["round", "threat", "party__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "threat", "party"], name="one_score_per_party_threat_round"
            ),
            models.CheckConstraint(
                condition=Q(likelihood__gte=SCORE_MIN, likelihood__lte=SCORE_MAX)
                & Q(impact__gte=SCORE_MIN, impact__lte=SCORE_MAX),
                name="score_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} on {self.threat} ({self.round})"

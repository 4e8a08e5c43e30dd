"""Off-ramps (options to step a crisis down, with each party's stance) and the register of
norms of behaviour (adherence, incidents reported under a norm, the others' responses).

An off-ramp is read as its crisis is (the crisis's distribution against the session it was
raised at). A stance is read as its off-ramp, except a ``private`` one: only its own party
and the secretariat read it. A norm is read by its own distribution against the session it
was registered at, like a crisis; adherence as the norm; an incident by its distribution
against the norm's session (and always by the party that reported it), a response as the
incident. Stances and adherence keep their history: a new statement is a new row, and the
current one is the latest the reader may read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from agenda.models import Session
from consult.access import Distribution
from consult.links import DetailPageMixin
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from consult.parallel import ParallelFields, ParallelTextModel
from crises.models.dossiers import CRISIS_DISTRIBUTIONS, Crisis
from members.models import Party
from minutes.models import Communique, Statement


class OffRamp(ParallelTextModel, DetailPageMixin, PublicIdModel, TimestampedModel):
    """An option proposed to step a crisis down."""

    detail_route = "crises:off_ramp_detail"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DISCUSSED = "discussed", _("Discussed")
        ENDORSED_BY_SOME = "endorsed_by_some", _("Endorsed by some")
        TAKEN_UP = "taken_up", _("Taken up")
        DROPPED = "dropped", _("Dropped")

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="off_ramps")
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True, help_text="Sanitised rich text.")
    proposer = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The party that proposed it; none: the secretariat.",
    )
    preconditions = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    status_since = models.DateField()
    statements = models.ManyToManyField(Statement, blank=True, related_name="off_ramps")
    communiques = models.ManyToManyField(Communique, blank=True, related_name="off_ramps")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The translations of its title and text (ParallelTextModel; crises/translation.py).
    text_translation = models.TextField(blank=True, help_text="Sanitised rich text.")
    # Modeltranslation's manager, declared so the type checker knows it.
    objects = MultilingualManager["OffRamp"]()

    class Meta:
        ordering = ["crisis", "title"]

    def __str__(self) -> str:
        return self.title


# The parallel texts of an off-ramp: its title and text (consult/parallel.py).
OFF_RAMP_PARALLEL = ParallelFields(
    fields={"title": "title_translation", "text": "text_translation"}
)


class OffRampTransition(PublicIdModel, CreatedAtModel):
    """One dated change of an off-ramp's status."""

    off_ramp = models.ForeignKey(OffRamp, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=OffRamp.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=OffRamp.Status.choices)
    on = models.DateField()
    reason = models.TextField(blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on", "created_at"]

    def __str__(self) -> str:
        return f"{self.off_ramp}: {self.from_status or 'new'} → {self.to_status}"


class Stance(PublicIdModel, CreatedAtModel):
    """A party's stance on an off-ramp as stated on a day; the latest is the current one."""

    class Position(models.TextChoices):
        SUPPORTS = "supports", _("Supports")
        OPEN = "open", _("Open")
        OPPOSES = "opposes", _("Opposes")

    off_ramp = models.ForeignKey(OffRamp, on_delete=models.CASCADE, related_name="stances")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=8, choices=Position.choices)
    note = models.TextField(blank=True)
    private = models.BooleanField(default=False, help_text="Kept to the party and the secretariat.")
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["off_ramp", "party", "created_at"]
        indexes = [models.Index(fields=["off_ramp", "party", "created_at"])]

    def __str__(self) -> str:
        return f"{self.party}: {self.position} on {self.off_ramp}"


class Norm(ParallelTextModel, DetailPageMixin, PublicIdModel, TimestampedModel):
    """A norm of behaviour the body discusses (safe distances, notice before exercises…)."""

    detail_route = "crises:norm_detail"

    title = models.CharField(max_length=200)
    text = models.TextField(help_text="Sanitised rich text.")
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="e.g. the 1972 US-Soviet Incidents at Sea agreement, CUES.",
    )
    distribution = models.CharField(
        max_length=12, choices=CRISIS_DISTRIBUTIONS, default=Distribution.PARTICIPANTS
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="norms",
        help_text="The session the norm was registered at; its distribution is read against it.",
    )
    communiques = models.ManyToManyField(Communique, blank=True, related_name="norms")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The translations of its title and text (ParallelTextModel; crises/translation.py).
    text_translation = models.TextField(blank=True, help_text="Sanitised rich text.")
    # Modeltranslation's manager, declared so the type checker knows it.
    objects = MultilingualManager["Norm"]()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(distribution=Distribution.DELEGATION), name="norm_has_readers"
            ),
        ]

    def __str__(self) -> str:
        return self.title


# The parallel texts of a norm: its title and text (consult/parallel.py).
NORM_PARALLEL = ParallelFields(fields={"title": "title_translation", "text": "text_translation"})


class Adherence(PublicIdModel, CreatedAtModel):
    """A party's stated adherence to a norm; the latest is the current one."""

    class Level(models.TextChoices):
        ADHERES = "adheres", _("Adheres")
        WITH_RESERVATIONS = "with_reservations", _("With reservations")
        DOES_NOT = "does_not", _("Does not adhere")

    norm = models.ForeignKey(Norm, on_delete=models.CASCADE, related_name="adherences")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=17, choices=Level.choices)
    note = models.TextField(blank=True)
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["norm", "party", "created_at"]
        indexes = [models.Index(fields=["norm", "party", "created_at"])]

    def __str__(self) -> str:
        return f"{self.party}: {self.level} ({self.norm})"


class Incident(PublicIdModel, CreatedAtModel):
    """An incident a party reports under a norm."""

    norm = models.ForeignKey(Norm, on_delete=models.CASCADE, related_name="incidents")
    occurred_on = models.DateField()
    place = models.CharField(max_length=200)
    parties_involved = models.ManyToManyField(Party, related_name="+")
    reporting_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    distribution = models.CharField(
        max_length=12, choices=CRISIS_DISTRIBUTIONS, default=Distribution.PARTICIPANTS
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["occurred_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(distribution=Distribution.DELEGATION), name="incident_has_readers"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.norm}: {self.place} ({self.occurred_on})"


class IncidentResponse(PublicIdModel, CreatedAtModel):
    """Another party's response to a reported incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="responses")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["incident", "created_at"]

    def __str__(self) -> str:
        return f"{self.party} on {self.incident}"

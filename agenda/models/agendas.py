"""The provisional agenda, its items and the objections raised to it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from agenda.models.sessions import Session
from consult.access import Distribution, ExpiringGroupGrant
from consult.models import CreatedAtModel, PublicIdModel
from consult.parallel import ParallelFields, TranslationState, language_choices
from members.models import Party


class Agenda(PublicIdModel, CreatedAtModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Provisional (draft)")
        CIRCULATED = "circulated", _("Circulated for objections")
        ADOPTED = "adopted", _("Adopted")

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
        THREAT_ASSESSMENT = "threat_assessment", _("Threat assessment")
        SCENARIO_EXERCISE = "scenario_exercise", _("Scenario exercise")
        CRISIS_REVIEW = "crisis_review", _("Crisis review")
        NORMS = "norms", _("Norms of behaviour")
        OFF_RAMPS = "off_ramps", _("Off-ramps")
        ANY_OTHER_BUSINESS = "any_other_business", _("Any other business")

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
    # Parallel texts (consult/parallel.py): the authoritative title and description are the
    # fields above, in ``language``; each translation lives in the per-language columns that
    # agenda/translation.py registers (title_translation_ru, description_translation_ru,
    # translation_state_ru, ...).
    language = models.CharField(
        max_length=2,
        choices=language_choices(),
        default="en",
        help_text="The language of the authoritative text.",
    )
    title_translation = models.CharField(max_length=200, blank=True)
    description_translation = models.TextField(blank=True)
    translation_state = models.CharField(
        max_length=10, choices=TranslationState.choices, blank=True
    )

    # Modeltranslation's manager (it would swap the default one's class for it at run time),
    # declared so the type checker knows it.
    objects = MultilingualManager["AgendaItem"]()

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


# The parallel texts of an agenda item: its title and description (consult/parallel.py).
AGENDA_ITEM_PARALLEL = ParallelFields(
    fields={"title": "title_translation", "description": "description_translation"}
)


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

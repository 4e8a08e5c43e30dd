"""The crisis alert: a seat-holder's head of delegation tells the table that an incident has
occurred and asks for consultations; every recipient acknowledges it with one click.

Who reads an alert (docs/architecture.md, "The confidentiality rule"): its recipients (one
``AlertDelivery`` row each: the heads of delegation of the quarter's seat-holders and the
secretariat at the moment it was raised) and the raising party's current delegation. The
rule is a filter on the delivery rows (``crises.selectors.alerts.alert_list``), not a
distribution: an alert is addressed to people, not to a session's readers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agenda.models import ExtraordinaryRequest
from consult.links import DetailPageMixin
from consult.models import PublicIdModel
from crises.models.dossiers import Crisis
from members.models import Party


class Alert(DetailPageMixin, PublicIdModel):
    detail_route = "crises:alert_detail"

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        URGENT = "urgent", _("Urgent")
        FLASH = "flash", _("Flash")

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The seat-holder whose head of delegation raised it.",
    )
    crisis = models.ForeignKey(
        Crisis, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    text = models.TextField()
    urgency = models.CharField(max_length=7, choices=Urgency.choices, default=Urgency.URGENT)
    raised_at = models.DateTimeField()
    extraordinary_request = models.OneToOneField(
        ExtraordinaryRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alert",
        help_text="The request for an extraordinary session the alert became.",
    )

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["-raised_at"])]

    def __str__(self) -> str:
        return f"{self.get_urgency_display()} alert by {self.party.code}"


class AlertDelivery(models.Model):
    """One recipient of an alert: when its notice went out, when it was acknowledged, and the
    reminders sent while it was not (each once: the row is locked while one is decided)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The seat-holder the recipient heads; empty for the secretariat.",
    )
    delivered_at = models.DateTimeField(
        null=True, blank=True, help_text="When its e-mail notice was recorded and sent off."
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reminded_5_at = models.DateTimeField(null=True, blank=True)
    reminded_15_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["alert", "party__code", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="alert_delivered_once"),
        ]
        indexes = [models.Index(fields=["user", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.alert} to {self.user}"

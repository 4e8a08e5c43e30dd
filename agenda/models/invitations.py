"""Invitations of parties to a session, or ad hoc to one item."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agenda.models.agendas import AgendaItem
from agenda.models.sessions import Session
from consult.models import PublicIdModel, TimestampedModel
from members.models import Party


class Invitation(PublicIdModel, TimestampedModel):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        AD_HOC = "ad_hoc", _("Ad hoc")
        OBSERVER = "observer", _("Observer")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    class ReasonCode(models.TextChoices):
        """The reasons the planner gives, kept as codes and worded for each reader."""

        SEAT_HOLDER = "seat_holder", _("Seat-holder of the quarter.")
        OBSERVER_SEAT = "observer_seat", _("Observer seat.")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="invitations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.TextField(blank=True, help_text="The secretariat's reason, as typed.")
    reason_code = models.CharField(
        max_length=16,
        choices=ReasonCode.choices,
        blank=True,
        help_text="The planner's reason; empty when a person gave one (or none).",
    )
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

    @property
    def display_reason(self) -> str:
        """The reason in the active language: the planner's worded from its code, a person's
        as they typed it."""
        return self.get_reason_code_display() if self.reason_code else self.reason

"""Sessions of the body, their group grants, extraordinary requests and calendar feeds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from consult.access import Distribution, ExpiringGroupGrant
from consult.links import DetailPageMixin
from consult.models import CreatedAtModel, PublicIdModel, TimestampedModel
from consult.times import utc_text
from members.models import Party, QuarterField


class Session(DetailPageMixin, PublicIdModel, TimestampedModel):
    detail_route = "agenda:session_detail"

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        EXTRAORDINARY = "extraordinary", _("Extraordinary")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("session status", "Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        IN_SESSION = "in_session", _("In session")
        HELD = "held", pgettext_lazy("session status", "Held")
        CLOSED = "closed", pgettext_lazy("session status", "Closed")
        CANCELLED = "cancelled", _("Cancelled")

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


class ExtraordinaryRequest(PublicIdModel, CreatedAtModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONVENED = "convened", _("Convened")
        DECLINED = "declined", _("Declined")

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(help_text="The requester's words, as typed (an alert's text).")
    alert_raised_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the crisis alert the request was made from was raised; empty for a "
        "request made as such.",
    )
    alert_about = models.CharField(
        max_length=200,
        blank=True,
        help_text="The title of the crisis that alert was about, as it read then.",
    )
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

    @property
    def display_reason(self) -> str:
        """The reason in the active language: the requester's words, and for a request made
        from a crisis alert, the alert named around them in the reader's language."""
        if self.alert_raised_at is None:
            return self.reason
        about = f" ({self.alert_about})" if self.alert_about else ""
        return gettext("Alert of %(at)s%(about)s: %(text)s") % {
            "at": utc_text(self.alert_raised_at, pgettext("date format", "j E Y, H:i")),
            "about": about,
            "text": self.reason,
        }


class CalendarFeed(CreatedAtModel):
    """A user's secret iCalendar URL; rotating the token revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"

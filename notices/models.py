"""The notices the platform e-mails a person, kept so each goes out once and can be reread."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One e-mail per (user, session, event key): the key makes every notice go out once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # By name: notices sit below agenda and import none of it.
    session = models.ForeignKey(
        "agenda.Session", on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=80, help_text="e.g. reminder-7d, change-3")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(
        null=True, blank=True, help_text="Set once the e-mail left; a retried delivery skips it."
    )
    read_at = models.DateTimeField(
        null=True, blank=True, help_text="When its reader opened it on the notices page."
    )

    class Meta:
        # The table it had in agenda: the model moved, its rows did not.
        db_table = "agenda_notification"
        constraints = [
            models.UniqueConstraint(fields=["user", "session", "key"], name="notify_once"),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.key} to {self.user} for {self.session}"

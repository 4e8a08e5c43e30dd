"""Reads of the audit trail: the secretariat reads every entry; anyone else
only the entries about their own account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from audit.models import AuditEntry
from consult import access
from consult.actors import Actor


def audit_entry_list(*, user: Actor) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.order_by("-seq")
    if not user.is_authenticated:
        return entries.none()
    if access.is_secretariat(user):
        return entries
    return entries.filter(user_id=user.pk)


def audit_user_choice_list(*, user: Actor) -> list[str]:
    """The usernames the filter offers: every account for the secretariat, one's own otherwise."""
    if access.is_secretariat(user):
        User = get_user_model()
        return list(
            User._default_manager.order_by(User.USERNAME_FIELD).values_list(
                User.USERNAME_FIELD, flat=True
            )
        )
    return [user.get_username()]

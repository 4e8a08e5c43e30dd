"""The audit trail: one append-only, hash-chained table.

Each entry carries the SHA-256 of the entry before it (``prev_hash``) and its
own (``hash``, over a canonical serialisation of its fields and ``prev_hash``),
so altering, inserting or removing a row breaks the chain at that row
(``manage.py audit_verify``). ``seq`` is given by the service under a lock, so
concurrent writers never fork the chain. Rows are never updated or deleted
through the platform: the model and its queryset refuse it, and on PostgreSQL a
trigger refuses it (migration 0002); only the retention prune removes the
oldest rows, re-anchoring the chain in ``AuditAnchor``.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditRefused(Exception):
    """An attempt to change or remove an audit entry."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AuditRefused("Audit entries are append-only: they are never changed or deleted.")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    update_or_create = _refuse


class AuditEntry(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        ACCOUNT_LOCKED = "account_locked", _("Account locked")
        ACCOUNT_UNLOCKED = "account_unlocked", _("Account unlocked")
        SECOND_FACTOR = "second_factor", _("Second factor")
        TOKEN_ISSUED = "token_issued", _("API token issued")
        TOKEN_USED = "token_used", _("API token used")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        PAPER_DOWNLOAD = "paper_download", _("Paper downloaded")
        PACK_READ = "pack_read", _("Briefing pack read")
        PACK_DOWNLOAD = "pack_download", _("Briefing pack downloaded")
        EXPORT = "export", _("Export")
        SEARCH = "search", _("Search")
        INVITATION = "invitation", _("Invitation")
        GRANT = "grant", _("Grant")
        ACCREDITATION = "accreditation", _("Accreditation")
        TRANSITION = "transition", _("Transition")
        PUBLICATION = "publication", _("Publication")
        REBUILD = "rebuild", _("Pack rebuild")
        CHANGE = "change", _("Secretariat change")
        FILING = "filing", _("Paper filed")
        TRACE = "trace", _("Leaked copy traced")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")
        REFUSED = "refused", _("Refused")

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS)
    # The account the entry is about (the actor, or the account a failed login
    # named). No database constraint: deleting a user must not touch the trail.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["user", "-seq"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.username or '-'} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()


class AuditAnchor(models.Model):
    """Where the chain starts after the retention prune removed older entries:
    the first remaining entry's ``prev_hash`` is ``hash``, and its ``seq``
    follows ``seq``. Absent until the first prune (the chain starts at genesis)."""

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    pruned_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"chain anchored after #{self.seq}"

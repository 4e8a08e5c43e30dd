"""Writing and confirming a parallel text's translation (consult/parallel.py): the steps
every app's translation services share, parameterised by what differs between them.

Each app service (``communique_translation_set``, ``document_title_translation_confirm``
...) cleans the values as its own create and edit services clean the authoritative text,
and names who may do it (``may``: a check from consult/access.py that refuses, the
secretariat's by default through ``secretariat``), how its row is locked (``locking``)
and how the audit trail names the text (``named``). Here: the check, the language, the
row locked, the translation written or confirmed, saved and audited, all in the caller's
transaction, so a refusal leaves nothing half-saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise

from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import require_secretariat
from consult.actors import Actor
from consult.parallel import (
    ParallelFields,
    check_language,
    translation_confirm,
    translation_write,
)

# Who may write or confirm a translation of a text: refuses (PermissionDenied) anyone else.
type Check[M] = Callable[[Actor, M], None]
# The values of a translation, cleaned, from the locked row (where they depend on it).
type Values[M] = Mapping[str, str] | Callable[[M], Mapping[str, str]]


def secretariat(doing: str | Promise) -> Check[Any]:
    """The secretariat only: a refusal says it may ``doing`` (in the reader's language)."""

    def check(user: Actor, subject: Any) -> None:
        require_secretariat(user, str(doing))

    return check


def quoted(subject: Any) -> str:
    """How the audit trail names a text by default: its own name, in quotes."""
    return f"“{subject}”"


def _locked_change[M: models.Model](
    subject: M,
    *,
    user: Actor,
    may: Check[M],
    language: str,
    locking: QuerySet[M] | None,
    change: Callable[[M, str], list[str]],
    said: str,
    named: Callable[[M], str],
    audit_kind: str,
) -> M:
    """Check ``may``, lock ``subject``'s row, apply ``change`` (the columns it set), save
    them (with ``updated_at`` where the model has one) and audit them."""
    may(user, subject)
    language = check_language(language)
    queryset = (
        locking if locking is not None else type(subject)._default_manager.select_for_update()
    )
    locked = queryset.get(pk=subject.pk)
    columns = change(locked, language)
    if columns:
        stamped = any(field.name == "updated_at" for field in locked._meta.concrete_fields)
        locked.save(update_fields=[*columns, *(["updated_at"] if stamped else [])])
        summary = said % {"language": language, "text": named(locked)}
        audit_record(kind=audit_kind, user=user, obj=locked, summary=summary)
    return locked


def translation_record[M: models.Model](
    subject: M,
    spec: ParallelFields,
    *,
    user: Actor,
    language: str,
    values: Values[M],
    may: Check[M],
    locking: QuerySet[M] | None = None,
    named: Callable[[M], str] = quoted,
    audit_kind: str = AuditEntry.Kind.CHANGE,
) -> M:
    """Add or rewrite the translation of ``subject`` into ``language`` with ``values``
    (cleaned by the caller, or cleaned from the locked row when a callable): an
    unofficial translation until the secretariat confirms it."""

    def write(locked: M, checked: str) -> list[str]:
        cleaned = values(locked) if callable(values) else values
        return translation_write(locked, spec, language=checked, values=cleaned)

    return _locked_change(
        subject,
        user=user,
        may=may,
        language=language,
        locking=locking,
        change=write,
        said="Wrote the %(language)s translation of %(text)s (unofficial).",
        named=named,
        audit_kind=audit_kind,
    )


def translation_confirm_record[M: models.Model](
    subject: M,
    spec: ParallelFields,
    *,
    user: Actor,
    language: str,
    may: Check[M],
    locking: QuerySet[M] | None = None,
    named: Callable[[M], str] = quoted,
    audit_kind: str = AuditEntry.Kind.CHANGE,
) -> M:
    """Confirm a current translation; a missing or outdated one is refused, a confirmed
    one stays as it is (nothing saved, nothing audited)."""
    return _locked_change(
        subject,
        user=user,
        may=may,
        language=language,
        locking=locking,
        change=lambda locked, checked: translation_confirm(locked, spec, language=checked),
        said="Confirmed the %(language)s translation of %(text)s.",
        named=named,
        audit_kind=audit_kind,
    )

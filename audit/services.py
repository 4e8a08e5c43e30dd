"""Writes of the audit trail: append an entry, verify the chain, prune past retention.

``audit_record`` is the one way in. Call it from inside the service whose
action it records, so the entry commits or rolls back with the action; reads
(downloads, exports, search) call ``audit_read``, which writes once the
surrounding transaction, if any, has committed. Both write directly to the
database, never through the task queue, so nothing is lost while it is down.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone

from audit.context import current_ip, current_user
from audit.models import GENESIS_HASH, AuditAnchor, AuditEntry
from consult.actors import Actor

# Any fixed 64-bit number; it names the chain's lock among PostgreSQL's advisory locks.
CHAIN_LOCK_KEY = 0x61756469745F6368

HASHED_FIELDS = (
    "seq",
    "at",
    "kind",
    "outcome",
    "user_id",
    "username",
    "object_type",
    "object_id",
    "summary",
    "ip",
    "prev_hash",
)


def entry_canonical(entry: AuditEntry) -> bytes:
    """The hashed form of an entry: its fields as sorted, compact JSON (UTF-8),
    the time in UTC with microseconds."""
    values: dict[str, Any] = {name: getattr(entry, name) for name in HASHED_FIELDS}
    at: datetime = values["at"]
    values["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(entry_canonical(entry)).hexdigest()


def _chain_lock() -> None:
    """Serialise appends until the transaction ends. On SQLite every write
    transaction already holds the database's one write lock (IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _chain_head() -> tuple[int, str]:
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    if last is not None:
        return last
    anchor = AuditAnchor.objects.order_by("-seq").values_list("seq", "hash").first()
    return anchor if anchor is not None else (0, GENESIS_HASH)


def _describe(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    public_id = getattr(obj, "public_id", None)
    return obj._meta.label_lower, str(public_id if public_id is not None else obj.pk)


def _clip(value: str, field: str) -> str:
    # PostgreSQL's text refuses NUL; a summary quoting what someone typed must not fail.
    value = value.replace("\x00", "")
    limit = getattr(AuditEntry._meta.get_field(field), "max_length", None) or len(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def audit_record(
    *,
    kind: str,
    user: Actor | None = None,
    username: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    outcome: str = AuditEntry.Outcome.SUCCESS,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry: who (``user``, by default the request's signed-in user;
    or only a ``username`` for an unknown account), what (``kind``; ``obj`` or
    ``object_type``/``object_id``; ``summary``), the ``outcome``, and from where
    (``ip``, by default the request's client address). Runs in the caller's
    transaction, so the entry commits or rolls back with the action."""
    # Refused before the transaction: a wrong call leaves the caller's transaction usable.
    if kind not in AuditEntry.Kind.values:
        raise ValueError(f"Unknown audit kind {kind!r}.")
    if outcome not in AuditEntry.Outcome.values:
        raise ValueError(f"Unknown audit outcome {outcome!r}.")
    return _append(
        kind=kind,
        user=user,
        username=username,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        outcome=outcome,
        ip=ip,
    )


# No savepoint of its own: inside a service's transaction the entry stands or
# falls with the action, and a request records no more queries than it must.
@transaction.atomic(savepoint=False)
def _append(
    *,
    kind: str,
    user: Actor | None,
    username: str,
    obj: models.Model | None,
    object_type: str,
    object_id: str,
    summary: str,
    outcome: str,
    ip: str | None,
) -> AuditEntry:
    if obj is not None:
        object_type, object_id = _describe(obj)
    if user is None and not username:
        user = current_user()
    account = user if isinstance(user, User) and user.is_authenticated else None
    _chain_lock()
    seq, prev_hash = _chain_head()
    entry = AuditEntry(
        seq=seq + 1,
        at=timezone.now(),
        kind=kind,
        outcome=outcome,
        user_id=account.pk if account is not None else None,
        username=_clip(account.get_username() if account is not None else username, "username"),
        object_type=_clip(object_type, "object_type"),
        object_id=_clip(object_id, "object_id"),
        summary=_clip(summary, "summary"),
        ip=current_ip() if ip is None else ip,
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    return entry


def audit_read(**fields: Any) -> None:
    """Record a read (download, export, search) once the surrounding transaction,
    if any, has committed; outside one, at once. Takes ``audit_record``'s keywords."""
    if fields.get("user") is None and not fields.get("username"):
        fields["user"] = current_user()
    if fields.get("ip") is None:
        fields["ip"] = current_ip()
    transaction.on_commit(lambda: audit_record(**fields))


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def audit_chain_verify(*, batch: int = 2000) -> ChainReport:
    """Walk the chain from its anchor; the first entry whose link or hash does
    not hold, and why."""
    anchor = AuditAnchor.objects.order_by("-seq").values_list("seq", "hash").first()
    expected_seq, prev_hash = (anchor[0] + 1, anchor[1]) if anchor else (1, GENESIS_HASH)
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch):
        if entry.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != prev_hash:
            return ChainReport(
                checked, entry.seq, "its prev_hash is not the hash of the entry before"
            )
        if entry_hash(entry) != entry.hash:
            return ChainReport(checked, entry.seq, "its content no longer matches its hash")
        checked += 1
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    return ChainReport(checked)


def retention() -> timedelta:
    return timedelta(days=settings.AUDIT_RETENTION_DAYS)


@transaction.atomic
def audit_prune(*, now: datetime | None = None) -> int:
    """Remove the entries older than ``AUDIT_RETENTION_DAYS`` and re-anchor the
    chain on the last one removed, so the rest still verifies; the number removed."""
    cutoff = (now or timezone.now()) - retention()
    _chain_lock()
    last = (
        AuditEntry.objects.filter(at__lt=cutoff).order_by("-seq").values_list("seq", "hash").first()
    )
    if last is None:
        return 0
    seq, last_hash = last
    AuditAnchor.objects.all().delete()
    AuditAnchor.objects.create(seq=seq, hash=last_hash, pruned_at=timezone.now())
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The trigger of migration 0002 lets only this transaction delete.
            cursor.execute("SET LOCAL audit.pruning = 'on'")
        cursor.execute(f"DELETE FROM {table} WHERE seq <= %s", [seq])  # noqa: S608
        removed: int = cursor.rowcount
    return removed

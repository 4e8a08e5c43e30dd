import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from audit.models import GENESIS_HASH, AuditAnchor, AuditEntry, AuditRefused
from audit.services import audit_chain_verify, audit_prune, audit_record, entry_hash
from tests.factories import UserFactory


def _entries(count: int) -> list[AuditEntry]:
    user = UserFactory(username="someone")
    return [
        audit_record(kind=AuditEntry.Kind.SEARCH, user=user, summary=f"query {n}")
        for n in range(count)
    ]


@pytest.mark.django_db
class TestChain:
    def test_each_entry_carries_the_hash_of_the_one_before(self):
        """The first entry links to genesis, each next one to its predecessor's hash."""
        first, second, third = _entries(3)
        assert first.prev_hash == GENESIS_HASH
        assert second.prev_hash == first.hash
        assert third.prev_hash == second.hash
        assert [first.seq, second.seq, third.seq] == [1, 2, 3]
        stored = AuditEntry.objects.get(seq=2)
        assert entry_hash(stored) == stored.hash == second.hash

    def test_verify_passes_on_an_intact_chain(self, capsys):
        """audit_verify counts every entry and exits normally."""
        _entries(4)
        call_command("audit_verify")
        assert "4 entries verified" in capsys.readouterr().out

    def test_verify_names_the_entry_altered_in_the_database(self):
        """A row changed by raw SQL (trigger disabled, as a database owner could) is named."""
        _entries(5)
        table = AuditEntry._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_entry_immutable")
            cursor.execute(f"UPDATE {table} SET summary = 'nothing to see' WHERE seq = 3")
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_entry_immutable")
        with pytest.raises(CommandError, match=r"entry #3: its content no longer matches"):
            call_command("audit_verify")

    def test_verify_names_a_removed_entry(self):
        """A deleted row breaks the chain where it was."""
        _entries(4)
        table = AuditEntry._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL audit.pruning = 'on'")
            cursor.execute(f"DELETE FROM {table} WHERE seq = 2")
        report = audit_chain_verify()
        assert (report.broken_seq, report.checked) == (2, 1)

    def test_a_rehashed_row_still_breaks_the_next_link(self):
        """Rewriting a row and its own hash leaves the next entry pointing at the old hash."""
        _entries(3)
        table = AuditEntry._meta.db_table
        forged = AuditEntry.objects.get(seq=2)
        forged.summary = "forged"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_entry_immutable")
            cursor.execute(
                f"UPDATE {table} SET summary = %s, hash = %s WHERE seq = 2",
                ["forged", entry_hash(forged)],
            )
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_entry_immutable")
        report = audit_chain_verify()
        assert report.broken_seq == 3
        assert "prev_hash" in report.reason


@pytest.mark.django_db
class TestAppendOnly:
    def test_the_model_refuses_to_save_a_change(self):
        entry = _entries(1)[0]
        entry.summary = "changed"
        with pytest.raises(AuditRefused):
            entry.save()
        assert AuditEntry.objects.get(seq=entry.seq).summary == "query 0"

    def test_the_model_and_queryset_refuse_deletes_and_updates(self):
        entry = _entries(1)[0]
        with pytest.raises(AuditRefused):
            entry.delete()
        with pytest.raises(AuditRefused):
            AuditEntry.objects.all().delete()
        with pytest.raises(AuditRefused):
            AuditEntry.objects.filter(seq=entry.seq).update(summary="changed")
        assert AuditEntry.objects.count() == 1

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE audit_auditentry SET summary = 'changed'",
            "DELETE FROM audit_auditentry",
        ],
    )
    def test_the_database_refuses_raw_updates_and_deletes(self, sql):
        """Even SQL sent through the platform's connection cannot change the trail."""
        _entries(1)
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
        assert AuditEntry.objects.get().summary == "query 0"

    def test_unknown_kinds_and_outcomes_are_refused(self):
        with pytest.raises(ValueError, match="kind"):
            audit_record(kind="made_up")
        with pytest.raises(ValueError, match="outcome"):
            audit_record(kind=AuditEntry.Kind.SEARCH, outcome="maybe")
        assert not AuditEntry.objects.exists()

    def test_text_someone_typed_is_stored_without_nul_and_clipped(self):
        """A summary quoting input never fails the action it records."""
        entry = audit_record(kind=AuditEntry.Kind.SEARCH, summary="a\x00b" + "x" * 600)
        stored = AuditEntry.objects.get(seq=entry.seq)
        assert stored.summary.startswith("abx")
        assert len(stored.summary) == 500
        assert audit_chain_verify().intact

    def test_an_entry_rolls_back_with_its_action(self):
        """Recorded inside a transaction that fails, the entry is gone with the action."""

        def invite_then_fail() -> None:
            with transaction.atomic():
                audit_record(kind=AuditEntry.Kind.INVITATION, summary="invited")
                raise RuntimeError

        with pytest.raises(RuntimeError):
            invite_then_fail()
        assert not AuditEntry.objects.exists()


@pytest.mark.django_db
class TestRetention:
    @override_settings(AUDIT_RETENTION_DAYS=30)
    def test_prune_drops_old_entries_and_the_rest_still_verifies(self, time_machine):
        """Entries past retention go; the anchor keeps the remaining chain verifiable."""
        now = timezone.now()
        time_machine.move_to(now - timedelta(days=40), tick=False)
        old = _entries(3)
        time_machine.move_to(now, tick=False)
        kept = audit_record(kind=AuditEntry.Kind.SEARCH, summary="recent")
        assert audit_prune() == 3
        assert list(AuditEntry.objects.values_list("seq", flat=True)) == [kept.seq]
        anchor = AuditAnchor.objects.get()
        assert (anchor.seq, anchor.hash) == (old[-1].seq, old[-1].hash)
        assert audit_chain_verify().intact
        following = audit_record(kind=AuditEntry.Kind.SEARCH, summary="after the prune")
        assert following.prev_hash == kept.hash
        assert audit_chain_verify().checked == 2
        assert audit_prune() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share SQLite's one writer")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    """Writers appending at once each link to a distinct predecessor."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            barrier.wait()
            for n in range(10):
                audit_record(kind=AuditEntry.Kind.SEARCH, summary=f"query {n}")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.count() == 40
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == 40
    assert audit_chain_verify().checked == 40

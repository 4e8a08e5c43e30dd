"""``bin/backup`` and ``bin/restore``: the demo comes back whole into a fresh database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEntry
from consult.backup import (
    MANIFEST,
    BackupError,
    backup_check,
    backup_restore,
    backup_write,
    database_counts,
    tree_hashes,
)

ROOT = Path(__file__).resolve().parent.parent


def _url(database: dict[str, Any], name: str) -> str:
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{name}"


def _run(script: str, *args: str, database_url: str, media: Path, data: Path) -> Any:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "CONSULT_DATA_DIR": str(data),
    }
    return subprocess.run(
        [str(ROOT / "bin" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture
def fresh_database() -> Iterator[dict[str, Any]]:
    """An empty database on the server the tests run on, dropped afterwards."""
    source = connection.settings_dict
    name = f"restored_{uuid.uuid4().hex[:12]}"
    admin = dict(source, NAME="postgres")
    with psycopg.connect(_url(admin, "postgres"), autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield dict(source, NAME=name)
    finally:
        with psycopg.connect(_url(admin, "postgres"), autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="restores into PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_demo_comes_back_with_its_rows_files_and_audit_chain(
    settings: Any, tmp_path: Path, fresh_database: dict[str, Any]
) -> None:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    call_command("seed_demo", "--demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert AuditEntry.objects.exists()
    assert any(media.rglob("*.pdf")), "the demo wrote no file: the file check would be empty"
    source = connection.settings_dict
    source_url = _url(source, source["NAME"])
    backup = tmp_path / "backup"

    made = _run("backup", str(backup), database_url=source_url, media=media, data=tmp_path)
    assert made.returncode == 0, made.stderr
    manifest = backup_check(backup)
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["files"] == tree_hashes(media)
    assert manifest["rows"] == database_counts(source)
    assert manifest["rows"]["audit_auditentry"] == AuditEntry.objects.count()

    restored_media = tmp_path / "restored-media"
    target_url = _url(fresh_database, fresh_database["NAME"])
    restored = _run(
        "restore", str(backup), database_url=target_url, media=restored_media, data=tmp_path
    )
    assert restored.returncode == 0, restored.stderr
    assert "the audit chain verifies" in restored.stdout
    assert database_counts(fresh_database) == database_counts(source)
    assert tree_hashes(restored_media) == tree_hashes(media)
    verify = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "audit_verify"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": target_url, "CONSULT_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode == 0, verify.stderr
    assert f"{AuditEntry.objects.count()} entries verified" in verify.stdout

    again = _run(
        "restore", str(backup), database_url=target_url, media=tmp_path / "empty", data=tmp_path
    )
    assert again.returncode == 1
    assert "already has" in again.stderr
    into_files = _run(
        "restore", str(backup), database_url=source_url, media=restored_media, data=tmp_path
    )
    assert into_files.returncode == 1

    some_file = next(path for path in (backup / "media").rglob("*") if path.is_file())
    some_file.write_bytes(some_file.read_bytes() + b"tampered")
    checked = _run(
        "restore", "--check", str(backup), database_url=target_url, media=media, data=tmp_path
    )
    assert checked.returncode == 1
    assert some_file.relative_to(backup / "media").as_posix() in checked.stderr


def _sqlite_database(path: Path, rows: int) -> dict[str, Any]:
    database = sqlite3.connect(path)
    with database:
        database.execute("CREATE TABLE paper (id INTEGER PRIMARY KEY, title TEXT)")
        database.executemany(
            "INSERT INTO paper (title) VALUES (?)", [(f"paper {n}",) for n in range(rows)]
        )
    database.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


class TestEmbeddedDatabase:
    def test_sqlite_is_copied_with_the_backup_api_and_restored_only_into_an_empty_file(
        self, tmp_path: Path
    ) -> None:
        source = _sqlite_database(tmp_path / "source.sqlite3", rows=3)
        media = tmp_path / "media"
        (media / "papers").mkdir(parents=True)
        (media / "papers" / "a.pdf").write_bytes(b"%PDF-1.7 a")
        manifest = backup_write(tmp_path / "backup", database=source, media_root=media)
        assert manifest["rows"] == {"paper": 3}
        assert list(manifest["files"]) == ["papers/a.pdf"]

        target = {"ENGINE": source["ENGINE"], "NAME": str(tmp_path / "restored.sqlite3")}
        backup_restore(tmp_path / "backup", database=target, media_root=tmp_path / "restored")
        assert database_counts(target) == {"paper": 3}
        assert (tmp_path / "restored" / "papers" / "a.pdf").read_bytes() == b"%PDF-1.7 a"

        occupied = _sqlite_database(tmp_path / "occupied.sqlite3", rows=1)
        with pytest.raises(BackupError, match="already has 1 tables"):
            backup_restore(tmp_path / "backup", database=occupied, media_root=tmp_path / "m2")
        backup_restore(
            tmp_path / "backup", database=occupied, media_root=tmp_path / "restored", force=True
        )
        assert database_counts(occupied) == {"paper": 3}

    def test_a_backup_is_never_written_over_another(self, tmp_path: Path) -> None:
        source = _sqlite_database(tmp_path / "source.sqlite3", rows=1)
        (tmp_path / "backup").mkdir()
        (tmp_path / "backup" / MANIFEST).write_text("{}")
        with pytest.raises(BackupError, match="not empty"):
            backup_write(tmp_path / "backup", database=source, media_root=tmp_path / "media")

    def test_an_altered_database_copy_is_refused_before_anything_is_restored(
        self, tmp_path: Path
    ) -> None:
        source = _sqlite_database(tmp_path / "source.sqlite3", rows=2)
        backup_write(tmp_path / "backup", database=source, media_root=tmp_path / "media")
        copy = tmp_path / "backup" / "database.sqlite3"
        copy.write_bytes(copy.read_bytes()[:-1] + b"\x01")
        target = {"ENGINE": source["ENGINE"], "NAME": str(tmp_path / "restored.sqlite3")}
        with pytest.raises(BackupError, match="does not match the manifest"):
            backup_restore(tmp_path / "backup", database=target, media_root=tmp_path / "r")
        assert not Path(target["NAME"]).exists()

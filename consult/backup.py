"""Backups: ``bin/backup DEST`` and ``bin/restore SRC`` (``python -m consult.backup``).

A backup is a folder:

- ``database.dump`` (PostgreSQL: ``pg_dump`` custom format) or
  ``database.sqlite3`` (the embedded default: SQLite's online backup API);
- ``media/``: the uploaded papers and rendered packs (``MEDIA_ROOT``);
- ``manifest.json``: the SHA-256 of the database file and of every media file,
  and the number of rows of every table at the moment of the dump.

The database copy is consistent: on PostgreSQL the rows are counted in the
very snapshot ``pg_dump`` reads (``--snapshot``); on SQLite the backup API
copies one consistent state and the rows are counted in the copy. Media files
are copied after the database, so every file the database names is there
(papers and packs are written before the rows that name them and never
rewritten in place).

Restoring checks every hash first, refuses a database that has tables or a
media folder that has files unless told (``--force``), loads both, then checks
the row counts and the audit chain.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """A backup that cannot be written, read or restored, and why."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_hashes(root: Path) -> dict[str, str]:
    """``relative/path -> sha256`` of every file under ``root`` (none if it is absent)."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): file_sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - PostgreSQL's own tools, arguments built here
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


@contextmanager
def _pg_connection(database: dict[str, Any]) -> Iterator[Any]:
    import psycopg

    connection = psycopg.connect(
        dbname=database["NAME"],
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
    )
    try:
        yield connection
    finally:
        connection.close()


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _pg_counts(cursor: Any) -> dict[str, int]:
    from psycopg import sql

    counts = {}
    for table in _pg_tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [row[0] for row in rows]


def _sqlite_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in _sqlite_tables(connection)
        }
    finally:
        connection.close()


def _vendor(database: dict[str, Any]) -> str:
    engine = database["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"No backup method for the database engine {engine}.")


def database_counts(database: dict[str, Any]) -> dict[str, int]:
    """The number of rows of every table of ``database`` (a Django DATABASES entry)."""
    if _vendor(database) == "postgresql":
        with _pg_connection(database) as connection, connection.cursor() as cursor:
            return _pg_counts(cursor)
    return _sqlite_counts(Path(database["NAME"]))


def _dump_postgresql(database: dict[str, Any], target: Path) -> dict[str, int]:
    from psycopg import IsolationLevel

    with _pg_connection(database) as connection:
        # One snapshot for the dump and the counts: pg_dump reads the one exported here.
        connection.isolation_level = IsolationLevel.REPEATABLE_READ
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                _pg_env(database),
            )
            counts = _pg_counts(cursor)
        connection.rollback()
    return counts


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: one consistent copy, even while others write."""
    origin = sqlite3.connect(source)
    copy = sqlite3.connect(target)
    try:
        with copy:
            origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def backup_write(dest: Path, *, database: dict[str, Any], media_root: Path) -> dict[str, Any]:
    """Write a backup of ``database`` and ``media_root`` into the new folder ``dest``."""
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty; back up into a new folder.")
    dest.mkdir(parents=True, exist_ok=True)
    vendor = _vendor(database)
    if vendor == "postgresql":
        database_file = dest / PG_DUMP
        counts = _dump_postgresql(database, database_file)
    else:
        source = Path(database["NAME"])
        if not source.is_file():
            raise BackupError(f"The SQLite database {source} does not exist.")
        database_file = dest / SQLITE_COPY
        _copy_sqlite(source, database_file)
        counts = _sqlite_counts(database_file)
    if media_root.is_dir():
        shutil.copytree(media_root, dest / MEDIA, symlinks=False)
    else:
        (dest / MEDIA).mkdir()
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {
            "vendor": vendor,
            "file": database_file.name,
            "sha256": file_sha256(database_file),
        },
        "rows": counts,
        "files": tree_hashes(dest / MEDIA),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def backup_check(src: Path) -> dict[str, Any]:
    """Read ``src``'s manifest and check every hash in it; the manifest."""
    try:
        manifest: dict[str, Any] = json.loads((src / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{src} holds no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    database_file = src / manifest["database"]["file"]
    if not database_file.is_file() or file_sha256(database_file) != manifest["database"]["sha256"]:
        raise BackupError(f"{database_file.name} is missing or does not match the manifest.")
    found = tree_hashes(src / MEDIA)
    expected: dict[str, str] = manifest["files"]
    if found != expected:
        wrong = sorted(
            name for name in set(found) | set(expected) if found.get(name) != expected.get(name)
        )
        raise BackupError(f"Media files missing, extra or altered: {', '.join(wrong[:10])}.")
    return manifest


def _restore_postgresql(dump: Path, database: dict[str, Any], *, force: bool) -> None:
    with _pg_connection(database) as connection, connection.cursor() as cursor:
        tables = _pg_tables(cursor)
    if tables and not force:
        raise BackupError(
            f"The database {database['NAME']} already has {len(tables)} tables; restore into an "
            "empty database, or pass --force to replace its contents."
        )
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    if tables:
        command += ["--clean", "--if-exists"]
    _run(
        [*command, "--single-transaction", f"--dbname={database['NAME']}", str(dump)],
        _pg_env(database),
    )


def _restore_sqlite(copy: Path, database: dict[str, Any], *, force: bool) -> None:
    target = Path(database["NAME"])
    if target.exists():
        connection = sqlite3.connect(target)
        try:
            tables = _sqlite_tables(connection)
        finally:
            connection.close()
        if tables and not force:
            raise BackupError(
                f"{target} already has {len(tables)} tables; restore into an empty database, "
                "or pass --force to replace its contents."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(copy, target)


def _restore_media(src: Path, media_root: Path, *, force: bool) -> None:
    if media_root.is_dir() and any(media_root.iterdir()):
        if not force:
            raise BackupError(
                f"{media_root} is not empty; restore into an empty folder, or pass --force "
                "to replace its contents."
            )
        # Swapped in whole, so an interrupted restore never leaves a mix of both.
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
        shutil.copytree(src, staging / "media")
        old = media_root.with_name(f".{media_root.name}-replaced")
        media_root.rename(old)
        (staging / "media").rename(media_root)
        shutil.rmtree(old)
        staging.rmdir()
        return
    media_root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, media_root, dirs_exist_ok=True)


def backup_restore(
    src: Path, *, database: dict[str, Any], media_root: Path, force: bool = False
) -> dict[str, Any]:
    """Bring the backup in ``src`` back into ``database`` and ``media_root``, then check
    that the rows and files are those the manifest lists; the manifest."""
    manifest = backup_check(src)
    vendor = _vendor(database)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"This is a {manifest['database']['vendor']} backup; the target is {vendor}."
        )
    database_file = src / manifest["database"]["file"]
    if vendor == "postgresql":
        _restore_postgresql(database_file, database, force=force)
    else:
        _restore_sqlite(database_file, database, force=force)
    _restore_media(src / MEDIA, media_root, force=force)
    counts = database_counts(database)
    if counts != manifest["rows"]:
        differing = sorted(
            table
            for table in set(counts) | set(manifest["rows"])
            if counts.get(table) != manifest["rows"].get(table)
        )
        raise BackupError(f"Restored row counts differ from the manifest: {', '.join(differing)}.")
    if tree_hashes(media_root) != manifest["files"]:
        raise BackupError(f"The files restored into {media_root} differ from the manifest.")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m consult.backup", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("backup", help="write a backup into a new folder")
    write.add_argument("dest", type=Path)
    restore = commands.add_parser("restore", help="restore a backup")
    restore.add_argument("src", type=Path)
    restore.add_argument(
        "--force", action="store_true", help="replace a database or media folder that holds data"
    )
    check = commands.add_parser("check", help="check a backup's hashes without restoring it")
    check.add_argument("src", type=Path)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    media_root = Path(settings.MEDIA_ROOT)
    try:
        if args.command == "backup":
            manifest = backup_write(args.dest, database=database, media_root=media_root)
            print(
                f"Backed up {sum(manifest['rows'].values())} rows and "
                f"{len(manifest['files'])} files into {args.dest}."
            )
        elif args.command == "check":
            manifest = backup_check(args.src)
            print(
                f"{args.src}: every hash matches ({len(manifest['files'])} files, "
                f"{manifest['database']['vendor']} database of {manifest['created_at']})."
            )
        else:
            manifest = backup_restore(
                args.src, database=database, media_root=media_root, force=args.force
            )
            from audit.services import audit_chain_verify

            report = audit_chain_verify()
            if not report.intact:
                raise BackupError(
                    f"Restored, but the audit chain is broken at entry #{report.broken_seq}: "
                    f"{report.reason}."
                )
            print(
                f"Restored {sum(manifest['rows'].values())} rows and {len(manifest['files'])} "
                f"files; the audit chain verifies ({report.checked} entries)."
            )
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

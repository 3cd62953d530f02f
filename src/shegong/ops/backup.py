"""Backups and restores of a deployment (`shegong backup`, `shegong restore`).

A backup is a directory `shegong-<UTC time>/` holding:

- `database.dump` — PostgreSQL's `pg_dump --format=custom` (one consistent snapshot: pg_dump
  reads in a single repeatable-read transaction while the platform keeps working); on the
  embedded SQLite default, `database.sqlite3` through SQLite's online backup API;
- `media.tar.gz` — the uploaded files (attachments, generated reports);
- `manifest.json` — when, which database and server version, the migrations applied, row
  counts of the main tables, the SHA-256 of each file, and the **id** of the field-encryption
  key the ID numbers are sealed with (`core.crypto.key_id`), never the key itself: the key is
  kept apart from the backups, and a restore refuses a backup whose key it does not hold.

A backup is verified as it is written (checksums, `pg_restore --list` reads the whole archive's
table of contents, the media archive is listed) and the oldest beyond `keep` are removed.
A restore goes into an empty database only, checks the checksums first, and reports the row
counts against the manifest. Point-in-time recovery with WAL archiving: docs/deployment.md."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

PREFIX = "shegong-"
MANIFEST = "manifest.json"
COUNTED = (
    "people_resident",
    "petitions_matter",
    "funds_journalentry",
    "funds_journalline",
    "volunteers_servicerecord",
    "orgs_organisation",
    "accounts_user",
    "core_auditlog",
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Target:
    """Where a restore writes: a PostgreSQL database (by URL) or a SQLite file."""

    vendor: str
    url: str = ""
    path: Path | None = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or "127.0.0.1"),
        PGPORT=str(db.get("PORT") or 5432),
        PGUSER=str(db.get("USER") or ""),
        PGDATABASE=str(db["NAME"]),
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(command: list[str], *, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-1000:]}")
    return done.stdout


def table_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in COUNTED:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed table names
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor) -> list[str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def backup_create(*, directory: Path, keep: int = 14, now: datetime | None = None) -> Path:
    """Write, verify and rotate a backup into `directory`; the new backup's path."""
    from shegong.core import crypto

    now = now or datetime.now(UTC)
    target = Path(directory) / f"{PREFIX}{now:%Y%m%dT%H%M%SZ}"
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    db = connection.settings_dict
    with connection.cursor() as cursor:
        counts = table_counts(cursor)
        migrations = _applied_migrations(cursor)
    if connection.vendor == "postgresql":
        database = partial / "database.dump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(database)],
            env=_pg_env(db),
        )
        server = connection.pg_version
    elif connection.vendor == "sqlite":
        database = partial / "database.sqlite3"
        connection.ensure_connection()  # the live connection: works for a file or in memory
        copy = sqlite3.connect(str(database))
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        server = sqlite3.sqlite_version
    else:
        raise BackupError(f"no backup for the {connection.vendor} database")
    media = partial / "media.tar.gz"
    with tarfile.open(media, "w:gz") as archive:
        root = Path(settings.MEDIA_ROOT)
        if root.exists():
            archive.add(root, arcname="media")
    manifest = {
        "format": 1,
        "created_at": now.isoformat(),
        "database": {"vendor": connection.vendor, "name": str(db["NAME"]), "server": server},
        "field_key_id": crypto.current_key().kid,
        "old_field_key_ids": [k.kid for k in crypto.keys()[1:]],
        "migrations": migrations,
        "counts": counts,
        "files": {p.name: _sha256(p) for p in (database, media)},
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    backup_verify(partial)
    partial.rename(target)
    rotate(directory=Path(directory), keep=keep)
    return target


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads((Path(path) / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: no readable {MANIFEST} ({exc})") from exc


def backup_verify(path: Path) -> dict[str, Any]:
    """Check every file against the manifest and that each archive reads; the manifest."""
    path = Path(path)
    manifest = read_manifest(path)
    for name, digest in manifest["files"].items():
        if not (path / name).exists():
            raise BackupError(f"{path}: {name} is missing")
        if _sha256(path / name) != digest:
            raise BackupError(f"{path}: {name} does not match its checksum (damaged?)")
    if (path / "database.dump").exists():
        listing = _run(["pg_restore", "--list", str(path / "database.dump")])
        if "TABLE DATA" not in listing:
            raise BackupError(f"{path}: database.dump holds no table data")
    else:
        check = sqlite3.connect(str(path / "database.sqlite3"))
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path}: database.sqlite3 fails its integrity check")
        finally:
            check.close()
    with tarfile.open(path / "media.tar.gz", "r:gz") as archive:
        archive.getmembers()
    return manifest


def rotate(*, directory: Path, keep: int) -> list[Path]:
    """Remove the oldest complete backups beyond the newest `keep`; the removed ones."""
    found = sorted(
        p for p in Path(directory).glob(f"{PREFIX}*") if p.is_dir() and p.suffix != ".partial"
    )
    removed = found[: max(0, len(found) - max(keep, 1))]
    for path in removed:
        shutil.rmtree(path)
    return removed


def _target_is_empty(target: Target) -> bool:
    if target.vendor == "postgresql":
        out = _run(
            [
                "psql",
                target.url,
                "-tAc",
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'",
            ]
        )
        return out.strip() == "0"
    return target.path is not None and (not target.path.exists() or target.path.stat().st_size == 0)


def backup_restore(*, path: Path, target: Target, media_root: Path) -> dict[str, Any]:
    """Restore the backup at `path` into an empty `target` and its files under `media_root`;
    the manifest. Refuses a damaged backup, a non-empty target, and a backup sealed with a
    field key this installation does not hold (its ID numbers could not be read)."""
    from shegong.core import crypto

    manifest = backup_verify(path)
    held = {k.kid for k in crypto.keys()}
    if manifest["field_key_id"] not in held:
        raise BackupError(
            f"the backup's ID numbers are sealed with key {manifest['field_key_id']}; this "
            f"installation holds {', '.join(sorted(held))}: set SHEGONG_FIELD_KEY (or "
            "SHEGONG_FIELD_KEYS_OLD) to that key first"
        )
    if manifest["database"]["vendor"] != target.vendor:
        raise BackupError(
            f"a {manifest['database']['vendor']} backup cannot go into {target.vendor}"
        )
    if not _target_is_empty(target):
        raise BackupError("the target database is not empty: restore into a new database")
    path = Path(path)
    if target.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "-d",
                target.url,
                str(path / "database.dump"),
            ]
        )
    else:
        shutil.copyfile(path / "database.sqlite3", target.path)
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path / "media.tar.gz", "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("media/")]
        for member in members:
            member.name = member.name.removeprefix("media/")
        archive.extractall(media_root, members=[m for m in members if m.name], filter="data")
    return manifest


def restored_counts(target: Target) -> dict[str, int]:
    """The row counts of the main tables in a restored database (to set beside the manifest)."""
    if target.vendor == "postgresql":
        sql = " UNION ALL ".join(
            f"SELECT '{t}', COUNT(*) FROM {t}"  # noqa: S608 - fixed table names
            for t in COUNTED
        )
        out = _run(["psql", target.url, "-tA", "-F", "\t", "-c", sql])
        return {name: int(n) for name, n in (line.split("\t") for line in out.splitlines() if line)}
    db = sqlite3.connect(str(target.path))
    try:
        return table_counts(db.cursor())
    finally:
        db.close()

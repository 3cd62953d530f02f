"""The test database, built once and cloned for each pytest-xdist worker.

Building the schema from migrations takes most of a worker's start-up (and several times longer
on a busy machine), so it is done once: a template database with every migration applied, the
regions the tests use and the rows data migrations seed, plus the serialised copy that
`serialized_rollback` restores. Each worker then gets its own copy: on SQLite, the template file
copied into the worker's in-memory database with SQLite's backup API; on PostgreSQL, a database
created `WITH TEMPLATE`. The template is named by a hash of everything it is built from
(migrations, region data, this file), so a change to any of them builds a new one, once, under
a file lock the workers share. Templates live in var/test-db/ (SQLite) or beside the test
database (PostgreSQL) and are reused by the next run.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings

BUILD_SCRIPT = """
import sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from tests.testdb import load_test_regions
call_command("migrate", verbosity=0, interactive=False)
load_test_regions()
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(connection.creation.serialize_db_to_string())
"""


def load_test_regions() -> None:
    """The whole country down to counties, plus every township and village of the test counties."""
    from shegong.regions.loader import upsert_units
    from tests.conftest import test_region_units

    upsert_units(list(test_region_units()))


def template_key() -> str:
    """A hash of what the template is built from."""
    digest = hashlib.sha256()
    sources: list[Path] = [Path(__file__), Path(__file__).with_name("conftest.py")]
    for config in apps.get_app_configs():
        migrations = Path(config.path) / "migrations"
        if migrations.is_dir():
            sources += sorted(migrations.glob("*.py"))
    from shegong.regions.loader import BASE_FILE, PROVINCE_DIR

    sources += [Path(BASE_FILE), Path(PROVINCE_DIR) / "44.tsv.xz"]
    for path in sources:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "test-db"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def _lock(name: str):
    with open(_folder() / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(env: dict[str, str], serial_path: Path) -> None:
    """Run migrations and load the data in a separate process, against the database `env` names."""
    root = Path(__file__).resolve().parent.parent
    full_env = {
        **os.environ,
        **env,
        "DJANGO_SETTINGS_MODULE": "shegong.settings.test",
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    subprocess.run(
        [sys.executable, "-c", BUILD_SCRIPT, str(serial_path)],
        env=full_env,
        cwd=root,
        check=True,
    )


# ---- SQLite --------------------------------------------------------------------------------------


def sqlite_worker_database(connection) -> str:
    """Fill the worker's in-memory test database from the template; return its serialised rows."""
    import sqlite3

    key = template_key()
    template = _folder() / f"sqlite-{key}.sqlite3"
    serial = template.with_suffix(".json")
    with _lock("sqlite"):
        if not template.exists() or not serial.exists():
            for old in _folder().glob("sqlite-*"):
                old.unlink()
            building = template.with_suffix(".building")
            building.unlink(missing_ok=True)
            _build({"SHEGONG_TEST_DB_FILE": str(building)}, serial)
            source = sqlite3.connect(building)
            source.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            source.close()
            building.rename(template)
    test_name = connection.creation._get_test_db_name()
    connection.close()
    connection.settings_dict["NAME"] = test_name
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    return serial.read_text(encoding="utf-8")


# ---- PostgreSQL ----------------------------------------------------------------------------------


def _pg_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def postgres_worker_database(connection, worker: str) -> tuple[str, str]:
    """Create the worker's test database from the template; return (its name, serialised rows)."""
    key = template_key()
    base = connection.settings_dict["NAME"]
    template = f"test_{base}_tpl_{key}"[:63]
    serial = _folder() / f"postgres-{template}.json"
    quote = connection.ops.quote_name
    with _lock(f"postgres-{base}"):
        with connection._nodb_cursor() as cursor:
            if not _pg_exists(cursor, template) or not serial.exists():
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s",
                    [f"test_{base}_tpl_%"],
                )
                for (old,) in cursor.fetchall():
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
                cursor.execute(f"CREATE DATABASE {quote(template)}")
                url = _postgres_url(connection.settings_dict, template)
                _build({"DATABASE_URL": url}, serial)
        name = f"test_{base}_{worker}"[:63]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} WITH TEMPLATE {quote(template)}")
    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES[connection.alias]["NAME"] = name
    return name, serial.read_text(encoding="utf-8")


def postgres_drop(connection, name: str) -> None:
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def _postgres_url(settings_dict: dict, name: str) -> str:
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}{host}:{port}/{name}"

"""Issue 18, Done-when 2: the restore drill. Back up a database with residents (ID numbers
encrypted), a balanced ledger and an uploaded file; restore it into a new, empty database; the
row counts match the backup's, the ledger balances and an encrypted ID number decrypts with the
installation's key. A damaged backup, a non-empty target and a backup sealed with a key this
installation does not hold are refused; old backups are rotated. On PostgreSQL (pg_dump custom
format, pg_restore into a fresh database) and on the embedded SQLite default."""

from __future__ import annotations

import base64
import secrets
import sqlite3
import subprocess
import uuid
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shegong.core import crypto
from shegong.ops.backup import backup_create
from shegong.people.synthetic import make_id_number
from tests.people.conftest import VILLAGE


@pytest.fixture
def world(make_member, settings, tmp_path):
    from shegong.funds import services as funds
    from shegong.funds.models import FundSource
    from shegong.people import services as people
    from shegong.regions.models import Region

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "contact").mkdir(parents=True)
    (tmp_path / "media" / "contact" / "minutes.txt").write_text("会议纪要扫描件")
    staff = make_member("dept_staff", "440106001000", name="五山街道社会工作办公室")
    number = make_id_number("440106", date(1944, 5, 6), 1, "F")
    resident = people.resident_create(
        acting_user=staff,
        name="备份演练老人",
        id_number=number,
        region=Region.objects.get(code=VILLAGE),
        confirm_duplicates=True,
    )
    funds.appropriation_post(
        acting_user=None,
        organisation=staff.active_membership.organisation,
        source=FundSource.LOCAL,
        amount=1_234_500,
        memo="年初预算",
        purpose="",
    )
    return {"resident": resident, "number": number}


def _restore_target(tmp_path: Path):
    """(restore options, a function reading from the restored database, cleanup)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        name = f"shegong_restore_{uuid.uuid4().hex[:10]}"
        base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        subprocess.run(
            ["psql", f"{base}/postgres", "-c", f"CREATE DATABASE {name}"],
            check=True,
            capture_output=True,
        )

        def query(sql):
            import psycopg

            with psycopg.connect(f"{base}/{name}") as restored:
                return restored.execute(sql).fetchall()

        def cleanup():
            subprocess.run(
                ["psql", f"{base}/postgres", "-c", f"DROP DATABASE IF EXISTS {name}"],
                check=False,
                capture_output=True,
            )

        return {"database_url": f"{base}/{name}"}, query, cleanup
    path = tmp_path / "restored.sqlite3"

    def query(sql):
        restored = sqlite3.connect(str(path))
        try:
            return restored.execute(sql).fetchall()
        finally:
            restored.close()

    return {"sqlite": path}, query, lambda: None


@pytest.mark.django_db(transaction=True)
def test_the_restore_drill(world, tmp_path, settings):
    backups = tmp_path / "backups"
    out = StringIO()
    call_command("backup", dir=backups, keep=2, stdout=out)
    (made,) = backups.iterdir()
    assert "written and verified" in out.getvalue()
    names = sorted(p.name for p in made.iterdir())
    dump = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert names == sorted([dump, "manifest.json", "media.tar.gz"])
    manifest = (made / "manifest.json").read_text()
    assert crypto.current_key().kid in manifest and settings.SHEGONG_FIELD_KEY not in manifest

    options, query, cleanup = _restore_target(tmp_path)
    restored_media = tmp_path / "restored-media"
    try:
        out = StringIO()
        call_command("restore", str(made), media_root=restored_media, stdout=out, **options)
        assert "people_resident: 1 (backup: 1)" in out.getvalue()
        ((sealed,),) = query(
            f"SELECT id_number_encrypted FROM people_resident WHERE id = {world['resident'].pk}"  # noqa: S608
        )
        assert sealed.startswith(crypto.token_prefix()) and world["number"] not in sealed
        assert crypto.decrypt(sealed) == world["number"]
        ((debits, credits, lines),) = query(
            "SELECT SUM(debit), SUM(credit), COUNT(*) FROM funds_journalline"
        )
        assert lines >= 2 and debits == credits > 0  # the ledger balances
        assert (restored_media / "contact" / "minutes.txt").read_text() == "会议纪要扫描件"
        with pytest.raises(CommandError, match="not empty"):  # restored once only
            call_command("restore", str(made), media_root=restored_media, **options)
    finally:
        cleanup()


@pytest.mark.django_db(transaction=True)
def test_damaged_or_foreign_backups_are_refused_and_old_ones_rotated(world, tmp_path, settings):
    backups = tmp_path / "backups"
    for hour in (1, 2, 3):
        backup_create(directory=backups, keep=2, now=datetime(2026, 12, 7, hour, tzinfo=UTC))
    kept = sorted(p.name for p in backups.iterdir())
    assert kept == ["shegong-20261207T020000Z", "shegong-20261207T030000Z"]
    newest = backups / kept[-1]

    options, _query, cleanup = _restore_target(tmp_path)
    try:
        original = settings.SHEGONG_FIELD_KEY
        settings.SHEGONG_FIELD_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        with pytest.raises(CommandError, match="sealed with key"):
            call_command("restore", str(newest), media_root=tmp_path / "m", **options)
        settings.SHEGONG_FIELD_KEY = original
        media = newest / "media.tar.gz"
        media.write_bytes(media.read_bytes() + b"\0")
        with pytest.raises(CommandError, match="checksum"):
            call_command("backup", verify=newest)
        with pytest.raises(CommandError, match="checksum"):
            call_command("restore", str(newest), media_root=tmp_path / "m", **options)
    finally:
        cleanup()

"""The encryption envelope and key rotation (issue #10, Done-when 6): values written with
AES-GCM under an earlier key — and in the first `v1:` format — read back after rotation to SM4,
the blind index keeps finding the person (lookup by ID, duplicate checks) before, during and after
the rotation, and an interrupted rotation leaves every value readable and finishes when run again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
from datetime import date

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from shegong.core import crypto, sensitive
from shegong.core.models import AuditLog
from shegong.people import selectors, services
from shegong.people.models import Category, Resident
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Region
from tests.volunteers.helpers import make_volunteer, resident_id

OLD_KEY = base64.urlsafe_b64encode(b"o" * 32).decode()
NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()
VILLAGE = "440106001001"


@pytest.fixture
def old_scheme(settings):
    """The deployment before: AES-GCM with HMAC-SHA-256 under the old key."""
    settings.SHEGONG_FIELD_CIPHER = "aes-gcm"
    settings.SHEGONG_FIELD_KEY = OLD_KEY
    settings.SHEGONG_FIELD_KEYS_OLD = []
    return settings


def switch_to_sm4(settings, *, keep_old: bool = True) -> None:
    settings.SHEGONG_FIELD_CIPHER = "sm4-gcm"
    settings.SHEGONG_FIELD_KEY = NEW_KEY
    settings.SHEGONG_FIELD_KEYS_OLD = [OLD_KEY] if keep_old else []


def v1_token_and_hash(number: str, master: str) -> tuple[str, str]:
    """The first format, written as the code before the envelope did (AES-GCM, `v1:`)."""
    raw = base64.urlsafe_b64decode(master)

    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw)

    nonce = os.urandom(12)
    sealed = AESGCM(derive(b"shegong-field-encryption")).encrypt(nonce, number.encode(), b"shegong")
    token = "v1:" + base64.b64encode(nonce + sealed).decode()
    digest = hmac.new(derive(b"shegong-blind-index"), number.upper().encode(), hashlib.sha256)
    return token, digest.hexdigest()


@pytest.fixture
def worker(make_member):
    return make_member("station_worker", "440106001000", kind="sw_station")


def register(worker, n: int, **extra) -> Resident:
    return services.resident_create(
        acting_user=worker,
        name=f"轮换测试{n}",
        id_number=make_id_number("440106", date(1950, 1, 1 + n), n, "M"),
        region=Region.objects.get(code=VILLAGE),
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
        **extra,
    )


def xlsx(rows) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["姓名", "身份证号码", "村（社区）"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def raw(table: str, column: str, pk_column: str = "id") -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk_column}, {column} FROM {table}")  # noqa: S608
        return dict(cursor.fetchall())


@pytest.fixture
def old_data(old_scheme, worker):
    """Residents (one in the v1 format), a volunteer and a petitioner under the old scheme."""
    residents = [register(worker, n, health_notes=f"高血压{n}") for n in range(1, 6)]
    legacy = residents[0]
    number = crypto.decrypt(legacy.id_number_encrypted)
    token, digest = v1_token_and_hash(number, OLD_KEY)
    Resident.objects.filter(pk=legacy.pk).update(id_number_encrypted=token, id_number_hash=digest)
    Resident.history.filter(id=legacy.pk).update(id_number_hash=digest)
    volunteer = make_volunteer(by=worker)
    numbers = {
        r.pk: crypto.decrypt(Resident.objects.get(pk=r.pk).id_number_encrypted) for r in residents
    }
    assert numbers[legacy.pk] == number
    return {"residents": residents, "numbers": numbers, "volunteer": volunteer}


def all_readable(numbers: dict[int, str]) -> None:
    for pk, number in numbers.items():
        resident = Resident.objects.get(pk=pk)
        assert crypto.decrypt(resident.id_number_encrypted) == number
        assert resident.health_notes.startswith("高血压")


def all_found(worker, numbers: dict[int, str]) -> None:
    for pk, number in numbers.items():
        found = selectors.resident_by_id_number(fetched_by=worker, number=number)
        assert found is not None and found.pk == pk
        assert services.id_number_holder(number)


def test_values_under_aes_and_v1_read_back_and_are_found_after_rotation_to_sm4(
    old_data, settings, worker
):
    numbers = old_data["numbers"]
    switch_to_sm4(settings)
    # Before the rotation: new values are SM4, old ones still read and are still found.
    all_readable(numbers)
    all_found(worker, numbers)
    newcomer = register(worker, 20, health_notes="高血压（新登记）")
    assert newcomer.id_number_encrypted.startswith(f"sm4:{crypto.current_key().kid}:")
    assert Resident.objects.get(pk=newcomer.pk).id_number_hash.startswith("sm3:")
    numbers[newcomer.pk] = crypto.decrypt(newcomer.id_number_encrypted)
    # A duplicate of a resident still on the old scheme is refused (unique across schemes).
    with pytest.raises(ValidationError) as exc:
        services.resident_create(
            acting_user=worker,
            name="重复",
            id_number=numbers[old_data["residents"][1].pk],
            region=Region.objects.get(code=VILLAGE),
            confirm_duplicates=True,
        )
    assert "已登记" in exc.value.message_dict["id_number"][0]
    # ... and so are an import row and a volunteer registration with a number of the old scheme.
    imported = services.residents_import(
        acting_user=worker,
        upload=xlsx([["再登记", numbers[old_data["residents"][2].pk], VILLAGE]]),
        filename="residents.xlsx",
    )
    assert imported.created == 0
    assert [(e.line, e.field) for e in imported.errors] == [(2, "id_number")]
    from shegong.volunteers import services as volunteers

    volunteer_number = crypto.decrypt(old_data["volunteer"].id_number_encrypted)
    with pytest.raises(ValidationError) as exc:
        volunteers.volunteer_register(
            data={
                "name": "重复志愿者",
                "id_number": volunteer_number,
                "phone": "13900000001",
                "region": VILLAGE,
            },
            source="organisation",
            acting_user=worker,
            consent=True,
        )
    assert "已注册" in exc.value.message_dict["id_number"][0]

    call_command("rotate_field_keys")

    assert not any(sensitive.pending().values())
    token_prefix, index_prefix = crypto.token_prefix(), crypto.index_prefix()
    assert token_prefix.startswith("sm4:") and index_prefix.startswith("sm3:")
    assert all(
        v.startswith(token_prefix) for v in raw("people_resident", "id_number_encrypted").values()
    )
    assert all(
        v.startswith(index_prefix) for v in raw("people_resident", "id_number_hash").values()
    )
    assert all(v.startswith(token_prefix) for v in raw("people_resident", "health_notes").values())
    history_hashes = raw("people_historicalresident", "id_number_hash", "history_id").values()
    assert history_hashes and all(v.startswith(index_prefix) for v in history_hashes)
    history_notes = raw("people_historicalresident", "health_notes", "history_id").values()
    assert all(v.startswith(token_prefix) for v in history_notes if v)
    volunteer = raw("volunteers_volunteer", "id_number_hash")[old_data["volunteer"].pk]
    assert volunteer.startswith(index_prefix)
    # The old key can go: everything reads and is found with the new key alone.
    switch_to_sm4(settings, keep_old=False)
    all_readable(numbers)
    all_found(worker, numbers)
    rows = AuditLog.objects.filter(action=AuditLog.Action.KEY_ROTATION)
    assert rows.count() == 1
    assert rows.get().detail["complete"] is True
    assert rows.get().detail["cipher"] == "sm4-gcm"


def test_an_interrupted_rotation_leaves_every_value_readable_and_finishes_when_resumed(
    old_data, settings, worker
):
    numbers = old_data["numbers"]
    switch_to_sm4(settings)
    before = sum(sensitive.pending().values())
    assert before > 0

    call_command("rotate_field_keys", batch_size=2, max_batches=1)  # stops after one batch

    left = sum(sensitive.pending().values())
    assert 0 < left < before
    all_readable(numbers)
    all_found(worker, numbers)
    stopped = AuditLog.objects.get(action=AuditLog.Action.KEY_ROTATION)
    assert stopped.detail["complete"] is False and stopped.detail["batches"] == 1

    # A failure in the middle of a batch: the batches before it stay done, nothing is half-done.
    calls = {"n": 0}
    real = crypto.reencrypt

    def failing(token):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("power cut")
        return real(token)

    from unittest import mock

    with mock.patch.object(crypto, "reencrypt", failing), pytest.raises(RuntimeError):
        call_command("rotate_field_keys", batch_size=2)
    assert 0 < sum(sensitive.pending().values()) < left
    all_readable(numbers)
    all_found(worker, numbers)

    call_command("rotate_field_keys", batch_size=2)
    assert not any(sensitive.pending().values())
    switch_to_sm4(settings, keep_old=False)
    all_readable(numbers)
    all_found(worker, numbers)


def test_dry_run_reports_counts_per_field_and_changes_nothing(old_data, settings, capsys):
    switch_to_sm4(settings)
    before = raw("people_resident", "id_number_encrypted")
    call_command("rotate_field_keys", dry_run=True)
    out = capsys.readouterr().out
    assert "people.Resident.id_number_encrypted: 5 to rotate" in out
    assert "people.Resident.health_notes (history):" in out
    assert "volunteers.Volunteer.id_number_hash: 1 to rotate" in out
    assert raw("people_resident", "id_number_encrypted") == before
    assert not AuditLog.objects.filter(action=AuditLog.Action.KEY_ROTATION).exists()


def test_a_petitioner_is_still_found_by_phone_and_id_after_rotation(
    settings, old_scheme, make_member
):
    from shegong.petitions import services as petitions
    from shegong.petitions.models import Category as MatterCategory
    from shegong.petitions.models import Petitioner

    user = make_member("dept_staff", "440106000000")
    category = MatterCategory.objects.filter(children__isnull=True).first()
    number = resident_id()

    def file(title):
        return petitions.matter_register(
            acting_user=user,
            kind="petition",
            channel="visit",
            region_code=VILLAGE,
            category=category,
            title=title,
            request="拖欠工资三个月，要求尽快支付",
            petitioners=[{"name": "李四", "phone": "13912345678", "id_number": number}],
        )

    first = file("拖欠工资")
    switch_to_sm4(settings)
    call_command("rotate_field_keys")
    p = Petitioner.objects.get(matter=first)
    assert p.phone_key.startswith(crypto.index_prefix())
    assert p.id_number_hash.startswith(crypto.index_prefix())
    switch_to_sm4(settings, keep_old=False)
    repeat = file("拖欠工资")
    assert repeat.repeat_of_id == first.pk


def test_an_unknown_cipher_setting_is_reported_by_the_system_check(settings):
    from django.core.checks import run_checks

    settings.SHEGONG_FIELD_CIPHER = "des"
    assert "shegong.E011" in {m.id for m in run_checks(tags=["security"])}
    settings.SHEGONG_FIELD_CIPHER = "sm4-gcm"
    assert "shegong.E011" not in {m.id for m in run_checks(tags=["security"])}

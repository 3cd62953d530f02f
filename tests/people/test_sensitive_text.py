"""Health notes, the health and mood findings of visits and case notes are ciphertext in the
database (rows and history rows) and plain text on the pages of those who may see them; health
details are shown only with people.view_sensitive — not in lists, exports, history or visits
for other roles — and cannot be searched."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from openpyxl import load_workbook

from shegong.cases import services as cases
from shegong.core import crypto
from shegong.people import services
from shegong.people.models import Resident, Visit

pytestmark = pytest.mark.django_db


def column(table: str, name: str, key: str, value) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM {table} WHERE {key} = %s", [value])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def recorded(station_worker, make_resident):
    resident = make_resident(station_worker, health_notes="慢阻肺，夜间吸氧")
    services.resident_update(
        resident=resident, acting_user=station_worker, data={"health_notes": "慢阻肺，长期吸氧"}
    )
    visit = services.visit_record(
        resident=resident,
        acting_user=station_worker,
        visited_on=date.today(),
        mode="home",
        finding_health="咳嗽加重",
        finding_mood="失眠焦虑",
        needs="需要助餐",
    )
    case = cases.case_open(
        acting_user=station_worker,
        resident=resident,
        title="长期照护",
        source="self",
        problem="家属照护压力大，有抑郁倾向",
    )
    return resident, visit, case


def test_health_notes_findings_and_case_notes_are_ciphertext_in_the_database(recorded):
    resident, visit, case = recorded
    prefix = crypto.token_prefix()
    stored = column("people_resident", "health_notes", "id", resident.pk)
    history = column("people_historicalresident", "health_notes", "id", resident.pk)
    assert stored[0].startswith(prefix) and "慢阻肺" not in stored[0]
    assert len(history) >= 2 and all(h.startswith(prefix) for h in history)
    for name in ("finding_health", "finding_mood"):
        value = column("people_visit", name, "id", visit.pk)[0]
        assert value.startswith(prefix) and "咳嗽" not in value and "失眠" not in value
        assert column("people_historicalvisit", name, "id", visit.pk)[0].startswith(prefix)
    assert column("people_visit", "needs", "id", visit.pk) == ["需要助餐"]  # not health: plain
    assert column("cases_case", "problem", "id", case.pk)[0].startswith(prefix)
    assert column("cases_historicalcase", "problem", "id", case.pk)[0].startswith(prefix)
    # and read back as text
    assert Resident.objects.get(pk=resident.pk).health_notes == "慢阻肺，长期吸氧"
    assert Visit.objects.get(pk=visit.pk).finding_mood == "失眠焦虑"


def test_encrypted_text_cannot_be_searched(recorded):
    with pytest.raises(FieldError):
        list(Resident.objects.filter(health_notes__contains="慢阻肺"))
    assert Resident.objects.filter(health_notes="").count() == 0  # emptiness can be asked


def test_only_roles_that_may_see_sensitive_data_see_health_details(
    recorded, station_worker, township_staff, login
):
    resident, visit, _case = recorded
    worker = login(station_worker)
    assert "慢阻肺，长期吸氧" in worker.get(f"/people/{resident.pk}/").content.decode()
    assert "失眠焦虑" in worker.get(f"/people/visits/{visit.pk}/").content.decode()

    staff = login(township_staff)  # department staff: people.view without view_sensitive
    page = staff.get(f"/people/{resident.pk}/").content.decode()
    assert "慢阻肺" not in page  # neither the notes nor their history
    assert "咳嗽加重" not in page
    assert "（已隐藏）" in page
    visit_page = staff.get(f"/people/visits/{visit.pk}/").content.decode()
    assert "咳嗽加重" not in visit_page and "失眠焦虑" not in visit_page
    assert "需要助餐" in visit_page
    api = staff.get(f"/api/v1/people/residents/{resident.pk}").json()
    assert api["health_notes"] is None
    export = staff.get("/people/export/")
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    assert resident.name in cells and not any("慢阻肺" in c for c in cells)


def test_the_data_migration_encrypts_plain_text_written_before_it(recorded):
    from importlib import import_module

    from django.apps import apps

    resident, _visit, _case = recorded
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_resident SET health_notes = %s WHERE id = %s",
            ["旧的明文记录", resident.pk],
        )
    assert Resident.objects.get(pk=resident.pk).health_notes == "旧的明文记录"  # still readable
    migration = import_module("shegong.people.migrations.0007_encrypt_health_notes")
    migration.encrypt(apps, None)
    stored = column("people_resident", "health_notes", "id", resident.pk)[0]
    assert stored.startswith(crypto.token_prefix())
    assert Resident.objects.get(pk=resident.pk).health_notes == "旧的明文记录"
    migration.encrypt(apps, None)  # again: tokens are left as they are
    assert column("people_resident", "health_notes", "id", resident.pk)[0] == stored

"""Retention: each kind of record keeps its personal information for its declared period; the
daily job anonymises what is past it, set-based, in the rows and their history rows, with an
ANONYMISE audit row; `--dry-run` shows what would be anonymised."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from shegong.core import crypto
from shegong.core.models import AuditLog
from shegong.people import services as people
from shegong.people.models import HouseholdMember, Resident, Visit
from shegong.privacy import retention
from shegong.privacy.tasks import anonymise_expired_task
from shegong.volunteers.models import Volunteer
from tests.volunteers.helpers import make_volunteer

pytestmark = pytest.mark.django_db


def years_ago(n: int, days: int = 1):
    return timezone.now() - timedelta(days=365 * n + 2 + days)


def left_care(resident, worker, *, years: int, status: str = "moved") -> None:
    people.resident_update(resident=resident, acting_user=worker, data={"status": status})
    Resident.objects.filter(pk=resident.pk).update(updated_at=years_ago(years))


def raw(table: str, column: str, key: str, value) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {key} = %s", [value])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def residents(station_worker, make_resident, record_consent):
    old = make_resident(station_worker, name="欧阳秀英", health_notes="帕金森", phone="13600001111")
    people.member_add(
        resident=old,
        acting_user=station_worker,
        data={"name": "欧阳明", "relation": "child", "phone": "1"},
    )
    people.visit_record(
        resident=old,
        acting_user=station_worker,
        visited_on=date.today(),
        mode="home",
        finding_health="手抖加重",
        needs="需要助浴",
    )
    record_consent(old, "health")
    died = make_resident(station_worker, name="司马德", health_notes="肺癌")
    recent = make_resident(station_worker, name="诸葛亮")
    active = make_resident(station_worker, name="上官婉")
    left_care(old, station_worker, years=6)
    left_care(died, station_worker, years=7, status="deceased")
    left_care(recent, station_worker, years=1)
    Resident.objects.filter(pk=active.pk).update(updated_at=years_ago(9))  # still in care
    return old, died, recent, active


def test_residents_past_retention_are_anonymised_with_their_history_and_related_rows(
    residents, station_worker
):
    old, died, recent, active = residents
    numbers = {r.pk: crypto.decrypt(r.id_number_encrypted) for r in residents}
    assert retention.due() == {"residents_left": 2, "petitions_closed": 0, "volunteers_left": 0}

    summary = retention.anonymise_expired()

    assert summary["residents_left"]["records"] == 2
    for r in (old, died):
        r.refresh_from_db()
        assert r.name == retention.ANONYMISED_NAME
        assert (r.phone, r.address, r.health_notes, r.id_number_encrypted, r.id_number_masked) == (
            "",
            "",
            "",
            "",
            "",
        )
        assert r.id_number_hash == f"anon:{r.pk}"  # unique, and nobody's number
        assert r.birth_date.month == 1 and r.birth_date.day == 1  # the year is kept
        # the copy kept on the category links (for counting) is cut the same way
        assert set(r.category_links.values_list("resident_birth_date", flat=True)) == {r.birth_date}
        history = Resident.history.filter(id=r.pk)
        assert set(history.values_list("name", flat=True)) == {retention.ANONYMISED_NAME}
        assert set(history.values_list("id_number_masked", flat=True)) == {""}
        assert set(raw("people_historicalresident", "health_notes", "id", r.pk)) == {""}
        assert set(raw("people_historicalresident", "id_number_hash", "id", r.pk)) == {
            f"anon:{r.pk}"
        }
        assert not Resident.objects.filter(id_number_hash__in=crypto.blind_indexes(numbers[r.pk]))
    member = HouseholdMember.objects.get(resident=old)
    assert (member.name, member.phone) == (retention.ANONYMISED_NAME, "")
    assert set(
        HouseholdMember.history.filter(resident_id=old.pk).values_list("name", flat=True)
    ) == {retention.ANONYMISED_NAME}
    visit = Visit.objects.get(resident=old)
    assert (visit.finding_health, visit.needs) == ("", "")
    assert set(raw("people_historicalvisit", "finding_health", "id", visit.pk)) == {""}
    for r in (recent, active):  # within the period, or still in care: untouched
        r.refresh_from_db()
        assert (
            r.name != retention.ANONYMISED_NAME
            and crypto.decrypt(r.id_number_encrypted) == numbers[r.pk]
        )
    row = AuditLog.objects.get(action="anonymise")
    assert row.detail["residents_left"]["records"] == 2
    assert row.detail["residents_left"]["rows"]["people.resident (history)"] >= 2

    again = retention.anonymise_expired()  # nothing left: progress is in the rows themselves
    assert again["residents_left"]["records"] == 0


def test_dry_run_shows_what_would_be_anonymised_and_changes_nothing(residents, capsys):
    old = residents[0]
    call_command("anonymise_expired", dry_run=True)
    out = capsys.readouterr().out
    assert "residents_left: 2 past 5 years" in out
    assert "dry run: 2 records would be anonymised" in out
    old.refresh_from_db()
    assert old.name == "欧阳秀英"
    assert not AuditLog.objects.filter(action="anonymise").exists()


def test_the_period_is_a_setting_and_the_daily_task_applies_it(residents, settings):
    settings.SHEGONG_RETENTION_YEARS = {"residents_left": 10}
    assert retention.due()["residents_left"] == 0
    settings.SHEGONG_RETENTION_YEARS = {"residents_left": 1}
    anonymise_expired_task.enqueue(reschedule=False)  # the immediate backend runs it now
    recent = residents[2]
    recent.refresh_from_db()
    assert recent.name == retention.ANONYMISED_NAME
    assert AuditLog.objects.get(action="anonymise").detail["residents_left"]["records"] == 3


def test_closed_petitions_past_retention_lose_their_petitioners_data(make_member, settings):
    from shegong.petitions import services as petitions
    from shegong.petitions.models import Category, Matter, Petitioner

    user = make_member("dept_staff", "440106000000")
    category = Category.objects.filter(children__isnull=True).first()

    def file(name, phone):
        return petitions.matter_register(
            acting_user=user,
            kind="petition",
            channel="visit",
            region_code="440106001001",
            category=category,
            title=f"{name}反映噪音扰民",
            request=f"{name}：楼下商铺夜间噪音",
            petitioners=[{"name": name, "phone": phone, "id_number": "11010519491231002X"}],
        )

    closed, still_open = file("令狐冲", "13500001111"), file("任盈盈", "13500002222")
    Matter.objects.filter(pk=closed.pk).update(
        status="closed", closed_on=date.today() - timedelta(days=365 * 11)
    )
    Petitioner.objects.get(matter=closed).save()  # a history row holding the name
    retention.anonymise_expired()
    closed.refresh_from_db()
    assert closed.request == retention.ANONYMISED_TEXT and "令狐冲" not in closed.title
    p = Petitioner.objects.get(matter=closed)
    assert (p.name, p.phone, p.phone_key, p.id_number_hash, p.id_number_encrypted) == ("",) * 5
    assert set(Petitioner.history.filter(id=p.pk).values_list("name", flat=True)) == {""}
    assert set(Matter.history.filter(id=closed.pk).values_list("request", flat=True)) == {
        retention.ANONYMISED_TEXT
    }
    assert Petitioner.objects.get(matter=still_open).name == "任盈盈"


def test_volunteers_who_left_long_ago_are_anonymised(make_member):
    volunteer, staying = make_volunteer(name="东方不败"), make_volunteer(name="岳不群")
    Volunteer.objects.filter(pk=volunteer.pk).update(is_active=False, updated_at=years_ago(4))
    retention.anonymise_expired()
    volunteer.refresh_from_db()
    assert volunteer.name == retention.ANONYMISED_NAME
    assert volunteer.id_number_hash == f"anon:{volunteer.pk}" and volunteer.phone == ""
    assert Volunteer.objects.get(pk=staying.pk).name == "岳不群"


def test_administrators_see_the_policy_and_what_is_due_in_their_jurisdiction(
    residents, make_member, login, station_worker
):
    leader = make_member("dept_leader", "440106000000")
    page = login(leader).get("/privacy/retention/").content.decode()
    assert 'data-testid="retention-residents_left"' in page
    assert 'data-testid="due-residents_left">2<' in page
    assert "至少 6 个月" in page  # the audit log's period, owned by the audit module
    other = make_member("dept_leader", "441881000000")
    assert (
        'data-testid="due-residents_left">0<'
        in login(other).get("/privacy/retention/").content.decode()
    )
    assert login(station_worker).get("/privacy/retention/").status_code == 403
    policy = login(leader).get("/api/v1/privacy/retention").json()
    assert {row["key"]: row["years"] for row in policy} == {
        "residents_left": 5,
        "petitions_closed": 10,
        "volunteers_left": 3,
    }

"""The workforce pages for a county user, the import (all or nothing, or the valid rows), and
another county's workers invisible on pages (404)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import Workbook

from shegong.workforce import services
from shegong.workforce.models import Enrolment, WorkerProfile
from tests.volunteers.helpers import resident_id
from tests.workforce.helpers import employer, make_worker

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "身份证号", "学历", "社会工作专业", "工作单位", "岗位", "从事社会工作起始时间"]


def xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "workers.xlsx"
    return buffer


def test_pages_render_for_a_county_user(client, login, county_user):
    w = make_worker(county_user, level="assistant", issued=date.today() - timedelta(days=30))
    services.registration_record(
        certificate=w.certificates.get(), acting_user=county_user, registered_on=date.today()
    )
    login(county_user)
    for name, args in [
        ("workforce:list", []),
        ("workforce:detail", [w.pk]),
        ("workforce:create", []),
        ("workforce:courses", []),
        ("workforce:course_create", []),
        ("workforce:at_risk", []),
        ("workforce:mentoring", []),
        ("workforce:import", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    page = client.get(reverse("workforce:detail", args=[w.pk])).content.decode()
    assert w.id_number_masked in page
    assert "72.0" in page  # the hours still needed this period


def test_another_countys_worker_is_404_and_absent_from_the_list(
    client, login, county_user, other_county_user
):
    mine = make_worker(county_user, name="天河社工")
    theirs = make_worker(other_county_user, name="英德社工")
    login(county_user)
    listing = client.get(reverse("workforce:list")).content.decode()
    assert mine.name in listing and theirs.name not in listing
    export = client.get(reverse("workforce:export"))
    assert export.status_code == 200
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(io.BytesIO(export.content)).active for c in row]
    assert mine.name in cells and theirs.name not in cells
    for name in ("workforce:detail", "workforce:certificate_add", "workforce:reveal"):
        method = client.get if name == "workforce:detail" else client.post
        assert method(reverse(name, args=[theirs.pk])).status_code == 404


def test_import_all_or_nothing_then_valid_rows(client, login, county_user):
    org = employer(name="五山街社工站")
    good = [
        "陈导入",
        resident_id("440106", date(1990, 1, 1), 801),
        "本科",
        "是",
        org.name,
        "社工",
        "2020-03-01",
    ]
    bad = ["", resident_id("440106", date(1990, 1, 2), 802), "博士后", "否", "不存在的单位", "", ""]
    login(county_user)
    url = reverse("workforce:import")
    response = client.post(url, {"file": xlsx([good, bad]), "all_or_nothing": "1"})
    assert response.status_code == 200
    assert "未导入任何数据" in response.content.decode()
    assert not WorkerProfile.objects.filter(name="陈导入").exists()
    response = client.post(url, {"file": xlsx([good, bad]), "all_or_nothing": "0"})
    text = response.content.decode()
    assert "已导入 1 行" in text and "学历无效" in text
    worker = WorkerProfile.objects.get(name="陈导入")
    assert worker.region_code == org.region_id and worker.social_work_major
    assert worker.posts.count() == 1
    # the same row again: the number is taken
    response = client.post(url, {"file": xlsx([good]), "all_or_nothing": "1"})
    assert "已登记为本辖区" in response.content.decode()


def test_enrol_attend_and_hours_drop(client, login, county_user):
    w = make_worker(county_user, level="social_worker", issued=date.today() - timedelta(days=60))
    services.registration_record(
        certificate=w.certificates.get(), acting_user=county_user, registered_on=date.today()
    )
    course = services.course_create(
        acting_user=county_user,
        organiser=county_user.active_membership.organisation,
        title="儿童保护实务",
        kind="practice",
        starts_on=date.today(),
        ends_on=date.today(),
        hours="12",
        capacity=1,
    )
    login(county_user)
    r = client.post(reverse("workforce:course_enrol", args=[course.pk]), {"worker": w.pk})
    assert r.status_code == 302
    other = make_worker(county_user)
    r = client.post(reverse("workforce:course_enrol", args=[course.pk]), {"worker": other.pk})
    assert r.status_code == 422 and "课程名额已满" in r.content.decode()
    enrolment = Enrolment.objects.get(course=course)
    r = client.post(
        reverse("workforce:attend", args=[enrolment.pk]), {"attended": "1", "hours": ""}
    )
    assert r.status_code == 302
    page = client.get(reverse("workforce:detail", args=[w.pk])).content.decode()
    assert "78.0" in page  # 90 − 12


def test_mentor_at_the_maximum_is_refused_with_a_clear_message(
    client, login, county_user, settings
):
    settings.SHEGONG_WORKFORCE_MAX_MENTEES = 2
    mentor = make_worker(county_user, name="导师甲", level="social_worker")
    for _ in range(2):
        services.pair_create(
            mentor=mentor,
            mentee=make_worker(county_user),
            acting_user=county_user,
            goals="入职带教",
        )
    login(county_user)
    newcomer = make_worker(county_user, name="新社工")
    r = client.post(
        reverse("workforce:pair_create"),
        {"mentor": mentor.pk, "mentee": newcomer.pk, "goals": "入职带教"},
    )
    assert r.status_code == 422
    assert "导师甲 已带教 2 人，达到每名导师最多 2 人的上限" in r.content.decode()

"""Browser journey (issue 16, Done-when 2): a 天河区 county user registers a worker from an
Excel row, records their certificate and registration, enrols them in a course and marks
attendance — the hours appear on the profile and the hours still needed drop; a mentor is paired
with them and a practice session linked to a real visit is recorded; a mentor at the maximum
cannot take another mentee, and is told so."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from shegong.workforce import services
from shegong.workforce.models import WorkerProfile
from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in
from tests.volunteers.helpers import resident_id
from tests.workforce.helpers import make_visit, make_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(live_server, settings):
    settings.SHEGONG_WORKFORCE_MAX_MENTEES = 2
    dept = OrganisationFactory(
        name="天河区委社会工作部", kind="sw_department", region_id="440106000000"
    )
    station = OrganisationFactory(name="五山街社工站", kind="sw_station", region_id="440106001000")
    staff = MembershipFactory(
        organisation=dept, role="dept_staff", user__username="tianhe_wf", user__full_name="李天河"
    ).user
    staff.active_membership = staff.memberships.get()
    make_worker(staff, org=station, name="罗督导", level="social_worker")
    full = make_worker(staff, org=station, name="满额导师", level="social_worker")
    for _ in range(2):
        services.pair_create(
            mentor=full, mentee=make_worker(staff, org=station), acting_user=staff, goals="入职带教"
        )
    course = services.course_create(
        acting_user=staff,
        organiser=dept,
        title="社会工作伦理与实务",
        kind="theory",
        starts_on=date.today() - timedelta(days=1),
        ends_on=date.today(),
        hours="16",
        capacity=30,
    )
    visit = make_visit(staff, name="黄阿婆")
    return {"staff": staff, "station": station, "course": course, "visit": visit}


def _sheet(tmp_path, row) -> str:
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["姓名", "身份证号", "学历", "社会工作专业", "工作单位", "岗位", "从事社会工作起始时间"]
    )
    ws.append(row)
    path = tmp_path / "社工名册.xlsx"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_county_workforce_journey(page, live_server, county, tmp_path):
    url = live_server.url
    sign_in(page, url, "tianhe_wf")

    # 1. register a worker from an Excel row
    page.goto(f"{url}/workforce/import/")
    number = resident_id("440106", date(1996, 4, 2), 77)
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(
        _sheet(
            tmp_path,
            [
                "何新社",
                number,
                "本科",
                "是",
                "五山街社工站",
                "社工",
                (date.today() - timedelta(days=60)).isoformat(),
            ],
        )
    )
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("已导入 1 行")
    worker = WorkerProfile.objects.get(name="何新社")

    # 2. the profile: record the certificate, then register it
    page.goto(f"{url}/workforce/{worker.pk}/")
    page.get_by_label("等级").select_option(label="助理社会工作师")
    page.get_by_label("证书编号").fill("ZL2026440106077")
    page.get_by_label("取得日期").fill((date.today() - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="登记证书").click()
    expect(page.get_by_test_id("certificates")).to_contain_text("ZL2026440106077")
    page.get_by_label("登记日期").fill(date.today().isoformat())
    page.get_by_role("button", name="办理登记").click()
    expect(page.get_by_test_id("hours-needed")).to_have_text("72.0")

    # 3. enrol in a course and mark attendance: the hours are credited
    page.goto(f"{url}/workforce/courses/{county['course'].pk}/")
    page.get_by_label("社会工作者").select_option(label="何新社（助理社会工作师）")
    page.get_by_role("button", name="报名").click()
    expect(page.get_by_test_id("enrolment-table")).to_contain_text("已报名")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_test_id("enrolment-table")).to_contain_text("已结业")
    page.goto(f"{url}/workforce/{worker.pk}/")
    expect(page.get_by_test_id("hours-credited")).to_have_text("16.0")
    expect(page.get_by_test_id("hours-needed")).to_have_text("56.0")

    # 4. pair a mentor; record a practice session on a real visit
    page.goto(f"{url}/workforce/mentoring/")
    expect(page.get_by_test_id("unpaired-table")).to_contain_text("何新社")
    form = page.get_by_test_id("pair-form")
    form.get_by_label("导师").select_option(label="罗督导（社会工作师）")
    form.get_by_label("带教对象").select_option(label="何新社（助理社会工作师）")
    form.get_by_label("带教计划目标").fill("三个月内独立完成长者入户探访与需求评估")
    form.get_by_role("button", name="建立").click()
    session = page.get_by_test_id("session-form")
    session.get_by_label("日期").fill(date.today().isoformat())
    session.get_by_label("类型").select_option(label="实务")
    session.get_by_label("时长（小时）").fill("2")
    session.get_by_label("主题").fill("陪同入户探访：长者需求评估")
    visit = county["visit"]
    session.get_by_label("关联探访（实务带教）").select_option(value=str(visit.pk))
    session.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("session-table")).to_contain_text("探访：黄阿婆")
    page.goto(f"{url}/workforce/{worker.pk}/")
    expect(page.get_by_test_id("hours-needed")).to_have_text("54.0")
    expect(page.get_by_test_id("mentoring")).to_contain_text("罗督导 → 何新社")

    # 5. a mentor at the maximum cannot take another mentee
    other = make_worker(county["staff"], org=county["station"], name="王新人")
    page.goto(f"{url}/workforce/mentoring/")
    form = page.get_by_test_id("pair-form")
    form.get_by_label("导师").select_option(label="满额导师（社会工作师）")
    form.get_by_label("带教对象").select_option(label=f"{other.name}（未取得证书）")
    form.get_by_label("带教计划目标").fill("入职带教")
    form.get_by_role("button", name="建立").click()
    expect(page.get_by_test_id("pair-form")).to_contain_text(
        "满额导师 已带教 2 人，达到每名导师最多 2 人的上限，请选择其他导师。"
    )

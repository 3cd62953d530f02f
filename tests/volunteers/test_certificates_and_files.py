"""Certificates (PDF in Chinese, stable number), Excel imports (all or nothing), exports."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from shegong.core.models import AuditLog
from shegong.volunteers import services
from shegong.volunteers.models import ServiceRecord, Team, Volunteer
from tests.pdf import pdf_text
from tests.volunteers.helpers import make_activity, make_volunteer, resident_id

pytestmark = pytest.mark.django_db


def _confirmed(user, volunteer, minutes=150):
    start = timezone.now() - timedelta(hours=2)
    shift = make_activity(user, start=start, title="长者探访").shifts.get()
    signup = services.signup_create(shift=shift, volunteer=volunteer)
    services.signup_check_in(signup=signup, acting_user=user, at=start)
    record = services.signup_check_out(
        signup=signup, acting_user=user, at=start + timedelta(minutes=minutes)
    )
    return services.record_confirm(record=record, acting_user=user)


def test_volunteer_downloads_a_chinese_certificate_with_the_hours(county_user, make_member, login):
    user = make_member("volunteer", "440106001000", kind="sw_station")
    v = make_volunteer(name="周证书")
    Volunteer.objects.filter(pk=v.pk).update(user=user)
    _confirmed(county_user, v, minutes=150)
    client = login(user)
    org = county_user.active_membership.organisation
    resp = client.post(reverse("volunteers:my_certificate", args=[org.pk]), follow=True)
    assert resp["Content-Type"] == "application/pdf"
    text = pdf_text(resp.content)
    cert = v.certificates.get()
    assert "志愿服务证明" in text
    assert "周证书" in text and v.number in text and v.id_number_masked in text
    assert "累计志愿服务时长 2.5 小时" in text
    assert cert.number in text and org.name in text
    # asking again gives the same certificate, not a new number
    client.post(reverse("volunteers:my_certificate", args=[org.pk]))
    assert v.certificates.count() == 1
    # another volunteer cannot download it
    other = make_member("volunteer", "440106001000", kind="sw_station")
    make_volunteer(name="别人").__class__.objects.filter(name="别人").update(user=other)
    assert (
        login(other).get(reverse("volunteers:certificate_pdf", args=[cert.pk])).status_code == 404
    )


def test_certificate_numbers_are_sequential_per_county_and_year(county_user):
    org = county_user.active_membership.organisation
    a, b = make_volunteer(), make_volunteer()
    _confirmed(county_user, a)
    _confirmed(county_user, b)
    c1 = services.certificate_issue(volunteer=a, organisation=org)
    c2 = services.certificate_issue(volunteer=b, organisation=org)
    year = timezone.localdate().year
    assert c1.number == f"ZYZM-440106-{year}-000001"
    assert c2.number == f"ZYZM-440106-{year}-000002"


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_volunteer_import_reports_row_errors_and_takes_nothing(county_user, login):
    good = resident_id("440106")
    rows = [
        ["姓名", "身份证号", "手机号", "居住区划代码", "政治面貌", "技能", "已书面同意"],
        ["甲", good, "13800000001", "440106001001", "中共党员", "长者照护、驾驶", "是"],
        ["乙", "440106199001011234", "13800000002", "440106001001", "群众", "", "是"],
        ["丙", resident_id("440106"), "138", "441881001001", "群众", "飞行", "否"],
    ]
    client = login(county_user)
    upload = _xlsx(rows)
    upload.name = "volunteers.xlsx"
    resp = client.post(reverse("volunteers:import", args=["volunteers"]), {"file": upload})
    page = resp.content.decode()
    assert "未导入任何数据" in page
    assert "校验位" in page and "未知技能" in page and "书面同意" in page and "辖区" in page
    assert not Volunteer.objects.exists()
    fixed = _xlsx(rows[:2])
    fixed.name = "volunteers.xlsx"
    resp = client.post(reverse("volunteers:import", args=["volunteers"]), {"file": fixed})
    assert "已导入 1 行" in resp.content.decode()
    v = Volunteer.objects.get()
    assert v.is_party_member and v.skills == ["elderly_care", "driving"]
    assert AuditLog.objects.filter(action="import").exists()


def test_an_over_long_name_is_a_row_error_and_no_volunteer_is_taken(county_user):
    header = ["姓名", "身份证号", "手机号", "居住区划代码", "政治面貌", "技能", "已书面同意"]
    rows = [
        header,
        ["甲", resident_id("440106"), "13800000001", "440106001001", "群众", "", "是"],
        ["乙" * 51, resident_id("440106"), "13800000002", "440106001001", "群众", "", "是"],
    ]
    result = services.volunteers_import(
        acting_user=county_user, upload=_xlsx(rows), filename="v.xlsx"
    )
    assert [(e.line, e.field) for e in result.errors] == [(3, "name")]
    assert "50" in result.errors[0].reason
    assert result.created == 0 and not Volunteer.objects.exists()
    result = services.volunteers_import(
        acting_user=county_user, upload=_xlsx(rows[:2]), filename="v.xlsx"
    )
    assert result.created == 1


def test_over_long_record_fields_are_row_errors_and_no_record_is_taken(county_user):
    v = make_volunteer()
    rows = [
        ["志愿者编号或身份证号", "活动名称", "服务日期", "服务时长", "服务地点", "服务内容"],
        [v.number, "图书馆导读", "2025-03-01", "3.5", "图书馆", "导读"],
        [v.number, "导" * 201, "2025-03-02", "2", "图书馆", ""],
        [v.number, "图书馆导读", "2025-03-03", "2", "图" * 301, "内" * 501],
    ]
    result = services.records_import(acting_user=county_user, upload=_xlsx(rows), filename="r.xlsx")
    assert [(e.line, e.field) for e in result.errors] == [
        (3, "activity_name"),
        (4, "place"),
        (4, "content"),
    ]
    assert not ServiceRecord.objects.exists()
    result = services.records_import(
        acting_user=county_user, upload=_xlsx(rows[:2]), filename="r.xlsx"
    )
    assert result.created == 1


def test_record_import_is_all_or_nothing_and_certifies_hours(county_user):
    v = make_volunteer()
    rows = [
        ["志愿者编号或身份证号", "活动名称", "服务日期", "服务时长", "服务内容"],
        [v.number, "图书馆导读", "2025-03-01", "3.5", "导读"],
        ["V44010699999999", "图书馆导读", "2025-03-02", "2", ""],
        [v.number, "图书馆导读", "2099-01-01", "30", ""],
    ]
    result = services.records_import(acting_user=county_user, upload=_xlsx(rows), filename="r.xlsx")
    assert result.rejected_lines == [3, 4]
    assert not ServiceRecord.objects.exists()
    result = services.records_import(
        acting_user=county_user, upload=_xlsx(rows[:2]), filename="r.xlsx"
    )
    assert result.created == 1
    v.refresh_from_db()
    assert v.certified_hours == Decimal("3.50")


def test_exports_of_hours_by_volunteer_and_by_team(county_user, login):
    a, b = make_volunteer(name="甲"), make_volunteer(name="乙")
    _confirmed(county_user, a, minutes=120)
    _confirmed(county_user, b, minutes=60)
    team = services.team_create(
        acting_user=county_user,
        organisation=county_user.active_membership.organisation,
        name="岳洲社区党员志愿服务队",
        kind=Team.Kind.PARTY,
    )
    services.team_add_member(
        team=team,
        volunteer=a,
        acting_user=county_user,
        joined_on=timezone.localdate() - timedelta(days=10),
    )
    client = login(county_user)
    today = timezone.localdate()
    period = {"first": str(today - timedelta(days=5)), "last": str(today + timedelta(days=1))}
    by_vol = load_workbook(
        io.BytesIO(
            client.get(reverse("volunteers:export_hours", args=["volunteer"]), period).content
        )
    )
    rows = list(by_vol.active.iter_rows(values_only=True))
    assert [(r[1], r[4]) for r in rows[1:]] == [("甲", 2.0), ("乙", 1.0)]
    by_team = load_workbook(
        io.BytesIO(client.get(reverse("volunteers:export_hours", args=["team"]), period).content)
    )
    rows = list(by_team.active.iter_rows(values_only=True))
    assert rows[1][0] == "岳洲社区党员志愿服务队" and rows[1][2] == 1 and rows[1][3] == 2.0


def test_internal_pages_render_for_an_organiser(county_user, login):
    v = make_volunteer()
    activity = make_activity(county_user, capacity=1)
    shift = activity.shifts.get()
    services.signup_create(shift=shift, volunteer=v)
    client = login(county_user)
    for url in (
        reverse("volunteers:list"),
        reverse("volunteers:create"),
        reverse("volunteers:detail", args=[v.pk]),
        reverse("volunteers:teams"),
        reverse("volunteers:activities"),
        reverse("volunteers:activity_create"),
        reverse("volunteers:activity", args=[activity.pk]),
        reverse("volunteers:assign", args=[activity.pk]),
        reverse("volunteers:suggest", args=[shift.pk]),
        reverse("volunteers:records"),
        reverse("volunteers:stats"),
        reverse("volunteers:import", args=["records"]),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("volunteers:activity", args=[activity.pk])).content.decode()
    assert shift.checkin_code in page and v.name in page


def test_revealing_an_id_number_is_audited(county_user, login):
    number = resident_id("440106")
    v = services.volunteer_register(
        data={
            "name": "揭示",
            "id_number": number,
            "phone": "13912341234",
            "region": "440106001001",
        },
        source="organisation",
        acting_user=county_user,
        consent=True,
    )
    resp = login(county_user).post(reverse("volunteers:reveal", args=[v.pk]))
    assert number in resp.content.decode()
    assert AuditLog.objects.filter(action="reveal", object_id=str(v.pk)).exists()

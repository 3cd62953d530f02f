"""Browser journey in real Chromium: a person applies as a volunteer on the public site, the
station approves the application, the volunteer signs in and signs up for a shift, the organiser checks them in and out and confirms the hours (correcting them with
a reason), the volunteer downloads a certificate PDF showing the hours in Chinese, and its number
verifies on the public site."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.volunteers import services
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pdf import pdf_text
from tests.signin import sign_in
from tests.volunteers.helpers import resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(live_server):
    station = OrganisationFactory(
        name="五山街道社会工作服务站",
        kind="sw_station",
        region_id="440106001000",
        phone="020-87654321",
    )
    organiser = MembershipFactory(
        organisation=station,
        role="station_worker",
        user__username="wushan_sw",
        user__full_name="郑社工",
    ).user
    organiser.active_membership = organiser.memberships.get()
    start = timezone.now() - timedelta(minutes=30)
    activity = services.activity_create(
        acting_user=organiser,
        organisation=station,
        data={
            "title": "岳洲社区长者探访",
            "description": "探访独居长者",
            "service_type": "elderly",
            "beneficiaries": "独居长者",
            "address": "岳洲社区活动室",
            "starts_at": start,
            "ends_at": start + timedelta(hours=4),
        },
        shifts=[
            {
                "starts_at": start,
                "ends_at": start + timedelta(hours=4),
                "capacity": 5,
                "title": "上午班",
            }
        ],
        publish=True,
    )
    return {"station": station, "activity": activity}


def log_in(page, url, username, password):
    sign_in(page, url, username, password)


def test_volunteer_journey(page, live_server, setting):
    url = live_server.url
    activity = setting["activity"]

    # 1. register on the public site, with consent
    page.goto(f"{url}/portal/register/?region=440106")
    page.get_by_label("姓名", exact=True).fill("林志愿")
    page.get_by_label("身份证号", exact=True).fill(resident_id("440106", date(1996, 6, 1)))
    page.get_by_label("手机号", exact=True).fill("13711112222")
    page.get_by_label("居住的村（社区）").select_option(label="岳洲社区居委会")
    page.get_by_label("政治面貌").select_option(label="中共党员")
    page.get_by_label("长者照护").check()
    page.get_by_label("登录账号").fill("linzy")
    page.get_by_label("登录密码").fill("Volunteer@2026")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_test_id("error-consent")).to_contain_text("请阅读并同意")
    page.get_by_label("登录密码").fill("Volunteer@2026")
    page.get_by_label("我已阅读并同意《志愿者个人信息使用说明》").check()
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_test_id("application-submitted")).to_contain_text(
        "申请已提交，审核结果将通知您"
    )

    # 2. the station approves the application (after a phone call) and tells the login name
    log_in(page, url, "wushan_sw", "pass12345!")
    page.goto(f"{url}/volunteers/applications/")
    page.locator("tr", has_text="林志愿").get_by_role("button", name="通过", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("登录账号为 linzy")
    page.context.clear_cookies()

    # 3. the volunteer signs in and signs up for the shift on the public activity page
    log_in(page, url, "linzy", "Volunteer@2026")
    page.goto(f"{url}/portal/activities/{activity.pk}/")
    page.get_by_role("button", name="报名").click()
    expect(page.locator(".alert-success")).to_contain_text("报名成功")
    page.goto(f"{url}/volunteers/me/")
    expect(page.get_by_test_id("my-signups")).to_contain_text("岳洲社区长者探访")
    page.context.clear_cookies()

    # 4. the organiser checks in and out, corrects the hours with a reason and confirms them
    log_in(page, url, "wushan_sw", "pass12345!")
    page.goto(f"{url}/volunteers/activities/{activity.pk}/")
    row = page.locator("tr", has_text="林志愿")
    row.get_by_role("button", name="签到").click()
    page.locator("tr", has_text="林志愿").get_by_role("button", name="签退").click()
    page.locator("tr", has_text="林志愿").get_by_role("link", name=" h").click()
    page.get_by_label("更正后时长（小时）").fill("2.5")
    page.get_by_label("更正原因").fill("按实际服务时间核定（扣除往返路程）")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_test_id("record-hours")).to_contain_text("2.5 小时")
    expect(page.get_by_test_id("history")).to_contain_text("按实际服务时间核定")
    page.get_by_role("button", name="确认时长").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认服务时长 2.50 小时")
    page.context.clear_cookies()

    # 5. the volunteer downloads the certificate
    log_in(page, url, "linzy", "Volunteer@2026")
    page.goto(f"{url}/volunteers/me/")
    expect(page.get_by_test_id("my-hours")).to_have_text("2.5")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="开具并下载服务证明").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        text = pdf_text(fh.read())
    assert "志愿服务证明" in text and "林志愿" in text
    assert "累计志愿服务时长 2.5 小时" in text
    assert "五山街道社会工作服务站" in text
    number = re.search(r"证明编号(ZYZM-440106-\d{4}-\d{6})", text).group(1)

    # 6. anyone verifies the number on the public site
    page.context.clear_cookies()
    page.goto(f"{url}/portal/verify/")
    page.get_by_label("证明编号", exact=True).fill(number)
    page.get_by_role("button", name="查验").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("真实有效")
    expect(page.get_by_test_id("verify-hours")).to_contain_text("2.5 小时")

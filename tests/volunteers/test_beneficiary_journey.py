"""Browser journey (issue 12, one page per person): the station logs a volunteer's service (check
in, check out) and links the registered resident it served — a resident of another street is not
offered —; a social worker of the jurisdiction opens the resident's page and sees the volunteer
help beside visits and assistance; another county's worker gets nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.people import services as people
from shegong.people.models import Category
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Region
from shegong.volunteers import services
from tests.people.journey_utils import load_defaults, log_in, member
from tests.volunteers.helpers import make_volunteer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _resident(user, name, village, serial):
    return people.resident_create(
        acting_user=user,
        name=name,
        id_number=make_id_number(village[:6], date(1943, 2, 2), serial, "F"),
        region=Region.objects.get(code=village),
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
    )


@pytest.fixture
def setting(live_server):
    load_defaults()
    organiser = member("wushan_org", "station_worker", "440106001000", "sw_station")
    station = organiser.memberships.get().organisation
    organiser.active_membership = organiser.memberships.get()
    member("wushan_sw", "station_worker", "440106001000", "sw_station", org=station)
    county = member("tianhe_dept", "dept_staff", "440106000000", "sw_department")
    county.active_membership = county.memberships.get()
    member("yingde_dept", "dept_staff", "441881000000", "sw_department")
    start = timezone.now() - timedelta(minutes=30)
    activity = services.activity_create(
        acting_user=organiser,
        organisation=station,
        data={
            "title": "岳洲社区长者助餐",
            "service_type": "elderly",
            "beneficiaries": "社区长者",
            "address": "岳洲社区长者饭堂",
            "starts_at": start,
            "ends_at": start + timedelta(hours=4),
        },
        shifts=[{"starts_at": start, "ends_at": start + timedelta(hours=4), "capacity": 3}],
        publish=True,
    )
    volunteer = make_volunteer(name="林志愿", by=organiser)
    services.signup_create(shift=activity.shifts.get(), volunteer=volunteer)
    return {
        "activity": activity,
        "resident": _resident(organiser, "何桂英", "440106001001", 31),
        "elsewhere": _resident(county, "何伯", "440106002008", 32),
    }


def test_volunteer_help_reaches_the_residents_page(page, live_server, setting):
    url = live_server.url
    activity, resident = setting["activity"], setting["resident"]

    # 1. the station logs the service and links the resident it served
    log_in(page, live_server, "wushan_org", "五山街道")
    page.goto(f"{url}/volunteers/activities/{activity.pk}/")
    page.locator("tr", has_text="林志愿").get_by_role("button", name="签到").click()
    page.locator("tr", has_text="林志愿").get_by_role("button", name="签退").click()
    page.locator("tr", has_text="林志愿").get_by_role("link", name=" h").click()
    box = page.get_by_test_id("record-beneficiaries")
    box.get_by_label("查找本辖区已登记的服务对象（姓名或电话）").fill("何")
    box.get_by_role("button", name="查找").click()
    choices = page.get_by_test_id("resident-choices")
    expect(choices).to_contain_text("何桂英")
    expect(choices).not_to_contain_text("何伯")  # another street: outside the service's area
    choices.get_by_role("button", name="关联 何桂英").click()
    expect(page.locator(".alert-success")).to_contain_text("已关联服务对象：何桂英")
    expect(page.get_by_test_id("record-beneficiaries")).to_contain_text("何桂英")
    page.get_by_role("button", name="确认时长").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认服务时长")

    # 2. a social worker of the jurisdiction sees it on the resident's page
    log_in(page, live_server, "wushan_sw", "五山街道")
    page.goto(f"{url}/people/{resident.pk}/")
    help_ = page.get_by_test_id("volunteer-help")
    expect(help_).to_contain_text("岳洲社区长者助餐")
    expect(help_).to_contain_text("林志愿")
    help_.get_by_role("link", name="岳洲社区长者助餐").click()
    expect(page.get_by_test_id("record-beneficiaries")).to_contain_text("何桂英")

    # 3. another county's worker sees neither the resident nor the link
    log_in(page, live_server, "yingde_dept", "英德市")
    response = page.goto(f"{url}/people/{resident.pk}/")
    assert response.status == 404
    response = page.goto(f"{url}/api/v1/volunteers/residents/{resident.pk}/services")
    assert response.status == 404

"""Browser journey in real Chromium (issue 17, Done-when 1): a station plans a mass-contact
meeting, invites a residents' representative (an account) and the residents' committee, records
attendance, two raised items and the minutes; one item is assigned to the county civil affairs
bureau, answered before its deadline, fed back, and the answer reaches the representative's
inbox and the meeting's public summary; the other is converted into a matter, which appears in
petitions with the link back to the meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def units(live_server):
    from django.core.cache import cache

    cache.clear()
    station = OrganisationFactory(
        name="五山街道社工站", kind="sw_station", region_id="440106001000"
    )
    committee = OrganisationFactory(
        name="五山社区居委会", kind="residents_committee", region_id="440106001000",
        contact_person="王主任",
    )  # fmt: skip
    civil = OrganisationFactory(
        name="天河区民政局", kind="gov_department", region_id="440106000000",
        sector="civil_affairs",
    )  # fmt: skip
    MembershipFactory(
        organisation=station, role="station_worker", user__username="ws_e2e",
        user__full_name="周社工",
    )  # fmt: skip
    MembershipFactory(
        organisation=civil, role="dept_staff", user__username="civil_e2e",
        user__full_name="民政局陈科长",
    )  # fmt: skip
    raiser = MembershipFactory(
        organisation=committee, role="volunteer", user__username="rep_e2e",
        user__full_name="李居民代表",
    ).user  # fmt: skip
    return {"committee": committee, "civil": civil, "raiser": raiser}


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()


def test_mass_contact_meeting_journey(page, live_server, units):
    from shegong.petitions.selectors import leaf_categories

    base = live_server.url
    today = timezone.localdate()
    category = leaf_categories().first()

    # The station plans the meeting and invites two people by their records.
    sign_in(page, base, "ws_e2e")
    page.goto(f"{base}/contact/")
    page.get_by_test_id("plan-meeting").click()
    form = page.get_by_test_id("meeting-form")
    form.get_by_label("会议类型").select_option(value="residents")
    form.get_by_label("会议名称").fill("五山街道居民代表议事会")
    form.get_by_label("会议日期").fill(today.isoformat())
    form.get_by_label("会议地点").fill("五山社工站会议室")
    form.get_by_label("议程").fill("听取居民代表意见")
    page.get_by_test_id("meeting-submit").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("计划召开")
    meeting_url = page.url
    invite = page.get_by_test_id("invite-form")
    invite.locator("#invite-kind").select_option(value="account")
    invite.locator("#invite-user").select_option(value=str(units["raiser"].pk))
    page.get_by_test_id("invite-submit").click()
    invite = page.get_by_test_id("invite-form")
    invite.locator("#invite-kind").select_option(value="organisation")
    invite.locator("#invite-organisation").select_option(value=str(units["committee"].pk))
    page.get_by_test_id("invite-submit").click()
    expect(page.get_by_test_id("invitations")).to_contain_text("李居民代表")
    expect(page.get_by_test_id("invitations")).to_contain_text("五山社区居委会（王主任）")

    # Held: attendance, two raised items, minutes.
    page.get_by_test_id("action-hold").get_by_role("button").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("已召开")
    attendance = page.get_by_test_id("attendance-form")
    attendance.get_by_label("李居民代表").check()
    attendance.get_by_label("五山社区居委会（王主任）").check()
    page.get_by_test_id("attendance-submit").click()
    expect(page.get_by_test_id("invitations")).to_contain_text("出席")
    items = page.get_by_test_id("item-form")
    items.locator("#item-raised_by").select_option(label="李居民代表")
    items.locator("#item-text").fill("小区路灯损坏，夜间出行不便，希望尽快维修。")
    items.locator("#item-consent_publish").check()
    page.get_by_test_id("item-submit").click()
    items = page.get_by_test_id("item-form")
    items.locator("#item-raised_by").select_option(label="五山社区居委会（王主任）")
    items.locator("#item-text").fill("楼上住户装修噪音长期扰民，多次协商未果，请求调解。")
    page.get_by_test_id("item-submit").click()
    expect(page.get_by_test_id("items").locator("tr")).to_have_count(2)
    minutes = page.get_by_test_id("action-minutes")
    minutes.locator("#minutes-minutes").fill("会议听取居民代表意见 2 条，已分别交办和转办。")
    minutes.locator("#minutes-summary").fill("议事会收集居民意见 2 条。")
    minutes.locator("#minutes-attachment").set_input_files(
        files=[{"name": "签到表.txt", "mimeType": "text/plain", "buffer": "签到".encode()}]
    )
    minutes.get_by_role("button", name="记录会议纪要").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("已记录纪要")
    expect(page.get_by_test_id("minutes")).to_contain_text("会议听取居民代表意见")
    expect(page.get_by_test_id("attachment")).to_contain_text("签到表.txt")

    # The first item goes to the county civil affairs bureau, with a working-day deadline.
    page.get_by_test_id("items").get_by_role("link", name="小区路灯损坏").click()
    item_url = page.url
    assign = page.get_by_test_id("action-assign")
    assign.locator("#assign-unit").select_option(value=str(units["civil"].pk))
    assign.locator("#assign-due_days").fill("10")
    assign.get_by_role("button").click()
    expect(page.get_by_test_id("item-status")).to_have_text("办理中")
    expect(page.get_by_test_id("item-unit")).to_have_text("天河区民政局")
    due = page.get_by_test_id("item-due").inner_text()
    assert due >= (today + timedelta(days=10)).isoformat()  # 10 working days ≥ 10 days
    log_out(page)

    # The bureau answers, before the deadline.
    sign_in(page, base, "civil_e2e")
    page.goto(item_url)
    answer = page.get_by_test_id("action-answer")
    answer.locator("#answer-answer").fill("已安排维修，本周内更换路灯。")
    answer.get_by_role("button").click()
    expect(page.get_by_test_id("item-status")).to_have_text("已答复")
    expect(page.get_by_test_id("item-answer")).to_contain_text("按期")
    log_out(page)

    # The station feeds the answer back; the meeting's public summary carries it.
    sign_in(page, base, "ws_e2e")
    page.goto(item_url)
    page.get_by_test_id("action-feed_back").get_by_role("button").click()
    expect(page.get_by_test_id("item-status")).to_have_text("已反馈")
    page.goto(meeting_url)
    expect(page.get_by_test_id("summary")).to_contain_text("已安排维修，本周内更换路灯。")

    # The second item becomes a matter in one step; petitions shows where it came from.
    page.get_by_test_id("items").get_by_role("link", name="楼上住户装修噪音").click()
    convert = page.get_by_test_id("action-convert")
    convert.locator("#convert-kind").select_option(value="dispute")
    convert.locator("#convert-category").select_option(value=str(category.pk))
    convert.get_by_role("button").click()
    expect(page.get_by_test_id("item-status")).to_have_text("已转为信访事项")
    page.get_by_test_id("item-matter").click()
    expect(page.get_by_test_id("from-contact-meeting")).to_contain_text("五山街道居民代表议事会")
    page.get_by_test_id("from-contact-meeting").click()
    expect(page.get_by_test_id("item-text")).to_contain_text("楼上住户装修噪音")
    log_out(page)

    # The representative finds the answer in their inbox.
    sign_in(page, base, "rep_e2e")
    page.goto(f"{base}/inbox/")
    note = page.get_by_test_id("notification").first
    expect(note).to_contain_text("已安排维修，本周内更换路灯。")
    note.click()
    expect(page.get_by_test_id("answer")).to_contain_text(
        "天河区民政局：已安排维修，本周内更换路灯。"
    )

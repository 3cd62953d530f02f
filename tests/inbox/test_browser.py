"""Browser journey (real Chromium, Chinese UI): a social worker sees the unread count in the top
bar, opens the inbox, follows a notification to the record, and the count goes down."""

import pytest
from playwright.sync_api import expect

from shegong.core import registry
from shegong.core.registry import Reminder
from shegong.inbox.services import notify_due
from tests.people.journey_utils import log_in, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_inbox_from_badge_to_record(page, live_server, monkeypatch):
    worker = member("inbox_e2e", "station_worker", "440106001000", "sw_station", name="五山社工站")

    def source(today):
        for key, title in (("a", "小区电梯频繁故障"), ("b", "楼上漏水纠纷")):
            params = {"number": f"N-{key}", "title": title, "due": "2026-12-01"}
            yield Reminder(worker.pk, "440106001001", "matter_due", params, "/people/", key)

    monkeypatch.setattr(registry, "reminder_sources", [source])
    assert notify_due() == 2

    log_in(page, live_server, "inbox_e2e", "五山街道")
    expect(page.get_by_test_id("inbox-unread")).to_have_text("2")
    page.get_by_test_id("inbox").click()
    expect(page.get_by_role("heading", name="消息提醒")).to_be_visible()
    expect(page.get_by_test_id("notification")).to_have_count(2)
    page.get_by_test_id("notification").filter(has_text="楼上漏水纠纷").click()
    expect(page).to_have_url(f"{live_server.url}/people/")
    expect(page.get_by_test_id("inbox-unread")).to_have_text("1")
    page.get_by_test_id("inbox").click()
    page.get_by_test_id("read-all").click()
    expect(page.get_by_text("已将 1 条提醒标为已读。")).to_be_visible()
    expect(page.get_by_test_id("inbox-unread")).to_have_count(0)

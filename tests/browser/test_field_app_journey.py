"""Issue 19 in real Chromium with a 360×740 phone screen: the field app (社工外勤, /field/app/).

Done-when 1: the worker downloads today's route, the network is cut (the browser's offline
switch), two visits (one with a photo, compressed on the phone) and a field finding are recorded,
the network comes back and the queue syncs; the server has each record once, the visits are on
the residents' pages, the finding is a matter of the field channel in petitions; sending the same
queue again stores nothing new.
Done-when 3 (first half): after signing out — from the platform's menu (the logout's
Clear-Site-Data) or from the app's own button — the app's stored data cannot be read.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATION = "440106001000"  # 五山街道
VILLAGE = "440106001001"  # 岳洲社区居委会
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN", "is_mobile": True,
         "has_touch": True}  # fmt: skip
READY = "() => document.body.dataset.ready === '1'"
# What the phone's database holds, read raw (as anyone with the browser profile could).
RAW_STORE = """() => new Promise((resolve) => {
  const req = indexedDB.open("shegong-field");
  req.onupgradeneeded = () => { req.transaction.abort(); };
  req.onerror = () => resolve(null);
  req.onsuccess = () => {
    const db = req.result;
    if (!db.objectStoreNames.contains("queue")) { db.close(); resolve(null); return; }
    const t = db.transaction(["keys", "route", "queue"], "readonly");
    const out = {};
    let left = 3;
    for (const name of ["keys", "route", "queue"]) {
      const r = t.objectStore(name).getAll();
      r.onsuccess = () => {
        out[name] = r.result.map((row) => ({
          ...row, key: row.key ? "CryptoKey" : undefined,
          ct: row.ct ? new TextDecoder("utf-8", {fatal: false}).decode(row.ct) : undefined,
        }));
        if (--left === 0) { db.close(); resolve(JSON.stringify(out)); }
      };
    }
  };
})"""
# Whether the page's own code can still read anything (the route or the queue).
READABLE = """() => FieldStore.readRoute().then((r) => !!r, () => false)"""


@pytest.fixture
def field(live_server):
    from django.core.cache import cache

    from shegong.people import services
    from shegong.people.models import Category, VisitPlan
    from shegong.people.synthetic import make_id_number
    from shegong.regions.models import Region

    cache.clear()
    station = OrganisationFactory(name="五山街道社工站", kind="sw_station", region_id=STATION)
    worker = MembershipFactory(
        organisation=station, role="station_worker", user__username="fa_worker",
        user__full_name="外勤周社工",
    ).user  # fmt: skip
    worker.active_membership = worker.memberships.get()
    residents = []
    for n, name in enumerate(("林阿婆", "陈阿伯"), start=1):
        resident = services.resident_create(
            acting_user=worker,
            name=name,
            id_number=make_id_number(VILLAGE[:6], date(1943, 5, n), n, "F"),
            region=Region.objects.get(code=VILLAGE),
            categories=[Category.objects.get(code="living_alone")],
            confirm_duplicates=True,
            assigned_worker=worker,
            phone="13800138000",
            address=f"五山路 {n} 号",
        )
        services.plan_ensure(resident=resident, acting_user=worker)
        VisitPlan.objects.unscoped(reason="test").filter(resident=resident).update(
            next_due_date=date.today()
        )
        residents.append(resident)
    return {"worker": worker, "residents": residents}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def photo_file() -> dict:
    """A camera-sized photo (4000×3000), which the phone must shrink to 1600 px."""
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 140, 60)).save(buffer, "PNG")
    return {"name": "门前.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def open_app(page, base):
    page.goto(f"{base}/field/app/")
    page.wait_for_function(READY)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)


def download(page):
    page.get_by_test_id("download-route").click()
    expect(page.get_by_test_id("flash")).to_contain_text("今日路线已下载")
    expect(page.get_by_test_id("route-item")).to_have_count(2)


def record_visit(page, name, *, living, needs="", photo=None):
    page.get_by_test_id("route-item").filter(has_text=name).get_by_test_id("record-visit").click()
    form = page.get_by_test_id("visit-form")
    form.get_by_label("方式").select_option(value="home")
    form.get_by_label("生活照料").fill(living)
    if needs:
        form.get_by_label("发现的需求").fill(needs)
    if photo:
        form.locator("#visit-photo").set_input_files(files=[photo])
        expect(page.get_by_test_id("visit-photo-info")).to_contain_text("1600×1200")
    page.get_by_test_id("visit-save").click()
    expect(page.get_by_test_id("flash")).to_contain_text("已保存在本机")


def assert_nothing_stored(page):
    """No key, no route, no record: the database is gone (or opened anew, empty)."""
    raw = page.evaluate(RAW_STORE)
    if raw is not None:
        stored = json.loads(raw)
        assert stored == {"keys": [], "route": [], "queue": []}, stored


def test_offline_visits_and_finding_sync_once(phone, live_server, field):
    from shegong.field.models import FieldSubmission
    from shegong.people.models import Visit
    from shegong.petitions.models import Channel, Matter

    base = live_server.url
    first, second = field["residents"]
    page = phone.new_page()
    sign_in(page, base, "fa_worker")
    open_app(page, base)
    download(page)

    # In the village, with no signal.
    phone.set_offline(True)
    expect(page.get_by_test_id("net-state")).to_have_text("离线")
    record_visit(page, "林阿婆", living="独自做饭，冰箱有菜", needs="需要助餐", photo=photo_file())
    record_visit(page, "陈阿伯", living="腿脚不便，由邻居照应")
    page.get_by_test_id("tab-finding").click()
    finding = page.get_by_test_id("finding-form")
    finding.get_by_label("类别").select_option(index=0)
    finding.get_by_label("概要").fill("村口水渠堵塞，雨天积水进屋")
    finding.get_by_label("情况说明").fill("三户村民反映，已持续一周。")
    finding.get_by_label("反映人/当事人姓名").fill("黄村民")
    finding.get_by_label("地点（村/社区）").select_option(value=VILLAGE)
    page.get_by_test_id("finding-save").click()
    expect(page.get_by_test_id("flash")).to_contain_text("已保存在本机")
    expect(page.get_by_test_id("route-recorded")).to_have_count(2)
    page.get_by_test_id("tab-queue").click()
    expect(page.get_by_test_id("count-pending")).to_have_text("3")
    assert not FieldSubmission.objects.exists()
    # The phone holds the records encrypted: no name, no note in what its database keeps.
    raw = page.evaluate(RAW_STORE)
    assert raw and "林阿婆" not in raw and "需要助餐" not in raw and "水渠" not in raw

    # Back in signal: the queue goes by itself (the online event); the button does the same.
    phone.set_offline(False)
    expect(page.get_by_test_id("count-sent")).to_have_text("3", timeout=15000)
    page.get_by_test_id("sync-now").click()
    expect(page.get_by_test_id("flash")).to_contain_text("没有待发送的记录")
    expect(page.get_by_test_id("count-pending")).to_have_text("0")
    expect(page.get_by_test_id("count-failed")).to_have_text("0")

    visits = Visit.objects.unscoped(reason="test")
    assert visits.filter(resident=first).count() == 1
    assert visits.filter(resident=second).count() == 1
    with_photo = visits.get(resident=first)
    assert with_photo.photo and with_photo.needs == "需要助餐"
    with with_photo.photo.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        width, height = image.size
    assert max(width, height) <= 1600
    assert not visits.get(resident=second).photo
    matters = Matter.objects.unscoped(reason="test").filter(channel=Channel.FIELD)
    assert matters.count() == 1
    matter = matters.get()
    assert FieldSubmission.objects.count() == 3

    # The visits are on the residents' pages; the finding is a matter in petitions.
    for resident in (first, second):
        page.goto(f"{base}/people/{resident.pk}/")
        expect(page.get_by_test_id("visits")).to_contain_text(date.today().isoformat())
    # The notes written offline (the checklist's notes and the needs) are the visit's own.
    page.goto(f"{base}/people/{first.pk}/")
    expect(page.get_by_test_id("visits")).to_contain_text("需要助餐")
    page.goto(f"{base}/people/visits/{with_photo.pk}/")
    expect(page.locator("main")).to_contain_text("独自做饭，冰箱有菜")
    page.goto(f"{base}/petitions/{matter.pk}/")
    expect(page.locator("main")).to_contain_text("村口水渠堵塞")

    # The same queue sent again: the server answers "duplicate" and stores nothing new.
    open_app(page, base)
    summary = page.evaluate(
        "() => FieldSync.run({include: new Set(['pending', 'failed', 'sent', 'conflict'])})"
    )
    assert summary["sent"] == 3 and not summary["error"], summary
    assert Visit.objects.unscoped(reason="test").count() == 2
    assert Matter.objects.unscoped(reason="test").filter(channel=Channel.FIELD).count() == 1
    assert FieldSubmission.objects.count() == 3


def test_sign_out_from_the_platform_leaves_nothing_readable(phone, live_server, field):
    base = live_server.url
    page = phone.new_page()
    sign_in(page, base, "fa_worker")
    open_app(page, base)
    download(page)
    phone.set_offline(True)
    record_visit(page, "林阿婆", living="一切正常")
    phone.set_offline(False)
    assert page.evaluate(READABLE)

    # The platform's own sign-out (the user menu): its response clears the site's storage.
    page.goto(f"{base}/")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_label("账号", exact=True)).to_be_visible()
    page.goto(f"{base}/field/app/")
    page.wait_for_function(READY)
    assert not page.evaluate(READABLE)
    assert_nothing_stored(page)
    expect(page.get_by_test_id("route-item")).to_have_count(0)


def test_sign_out_from_the_app_deletes_its_store(phone, live_server, field):
    base = live_server.url
    page = phone.new_page()
    sign_in(page, base, "fa_worker")
    open_app(page, base)
    download(page)
    assert page.evaluate(READABLE)
    page.get_by_test_id("sign-out").click()
    expect(page.get_by_label("账号", exact=True)).to_be_visible()
    page.goto(f"{base}/field/app/")
    page.wait_for_function(READY)
    assert not page.evaluate(READABLE)
    assert_nothing_stored(page)


def test_a_revoked_device_sends_nothing_and_the_worker_sees_why(phone, live_server, field):
    """Done-when 3 (second half), as the worker sees it: the phone is revoked while the worker is
    out; the queued visit is refused as a whole, nothing is stored, and the record says why."""
    from shegong.field.models import FieldDevice
    from shegong.field.services import device_revoke
    from shegong.people.models import Visit

    base = live_server.url
    page = phone.new_page()
    sign_in(page, base, "fa_worker")
    open_app(page, base)
    download(page)
    phone.set_offline(True)
    record_visit(page, "林阿婆", living="一切正常")
    device_revoke(device=FieldDevice.objects.get(), acting_user=field["worker"])
    phone.set_offline(False)
    page.get_by_test_id("tab-queue").click()
    expect(page.get_by_test_id("count-failed")).to_have_text("1", timeout=15000)
    expect(page.get_by_test_id("queue-why")).to_contain_text("停用")
    expect(page.get_by_test_id("count-sent")).to_have_text("0")
    assert not Visit.objects.unscoped(reason="test").exists()

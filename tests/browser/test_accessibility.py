"""Issue #12, the public side for everyone: every public page, and the main staff pages, pass
axe-core with no serious or critical violation, in the ordinary look and in elder mode (适老化);
the public petition form can be completed by keyboard alone; elder mode is switched on and off by
a plain form and remembered from page to page, with or without JavaScript.

The pages are served with the demo world (`shegong demo`) under the platform's own
Content-Security-Policy; axe-core comes from node_modules (tests/a11y.py).
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from shegong.core.demo_utils import DEMO_PASSWORD
from tests.a11y import axe_problems
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = "test fixture: the demo world's first rows, whichever county"


@pytest.fixture
def quick_forms(settings):
    settings.PETITIONS_FORM_MIN_SECONDS = 0  # the browser fills the form faster than a person
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def demo(live_server, quick_forms):
    call_command("demo", stdout=io.StringIO())


def public_paths() -> dict[str, str]:
    """Every public page that needs no form to reach, with a real row where it takes one."""
    from shegong.funds.models import Donation
    from shegong.portal import selectors as portal
    from shegong.volunteers.models import Certificate

    site = portal.site_directory(region_prefix="").first()
    activity = portal.public_activities(region_prefix="").first()
    donation = Donation.objects.order_by("pk").first()
    certificate = Certificate.objects.unscoped(reason=FIXTURE).order_by("pk").first()
    assert site and activity and donation and certificate, "the demo world has each of them"
    return {
        "portal home": "/portal/",
        "service sites": "/portal/sites/",
        "service sites of a county": "/portal/sites/?region=440106",
        "service site": f"/portal/sites/{site.pk}/",
        "activities": "/portal/activities/",
        "activity": f"/portal/activities/{activity.pk}/",
        "public statistics": "/portal/stats/",
        "certificate check": "/portal/verify/",
        "certificate check, found": f"/portal/verify/?number={certificate.number}",
        "certificate check, not found": "/portal/verify/?number=ZS-0000-000000",
        "volunteer registration": "/portal/register/?region=440106",
        "volunteer registration submitted": "/portal/register/submitted/",
        "donation transparency": f"/funds/public/{donation.organisation_id}/",
        "petition form": "/petitions/public/submit/",
        "petition tracking": "/petitions/public/track/",
        "sign-in": "/accounts/login/",
    }


def replied_matter():
    """A demo matter the public may track and rate: replied or closed, not yet rated online."""
    from shegong.petitions.models import Matter

    matter = (
        Matter.objects.unscoped(reason=FIXTURE)
        .filter(status__in=("replied", "closed"))
        .exclude(rating_via="public")
        .exclude(track_suffix="")
        .order_by("pk")
        .first()
    )
    assert matter is not None
    return matter


def track(page, number: str, suffix: str) -> None:
    page.get_by_label("登记编号").fill(number)
    page.get_by_label("手机号后四位").fill(suffix)
    page.get_by_test_id("track-form").get_by_role("button", name="查询").click()


def check_public_side(page, base: str, mode: str) -> list[str]:
    """Opens every public page and the pages behind its forms; axe's findings on each."""
    problems = []
    for name, path in public_paths().items():
        response = page.goto(base + path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        problems += axe_problems(page, f"{mode} · {name} {path}")

    # The confirmation after submitting the form, and the tracking page with a real number.
    page.goto(f"{base}/petitions/public/submit/")
    form = page.get_by_test_id("public-form")
    form.get_by_label("分类").select_option(index=1)
    form.get_by_label("事发地（街道/社区）").fill("440106001000")
    form.get_by_label("标题").fill("小区路灯损坏")
    form.get_by_label("您的诉求").fill("小区东门路灯损坏一个月，夜间出行不便，请尽快维修")
    form.get_by_label("姓名", exact=True).fill("王芳")
    form.get_by_label("手机号（用于查询进度）").fill("13912348765")
    form.get_by_role("button", name="提交").click()
    number = page.get_by_test_id("registration-number").inner_text()
    problems += axe_problems(page, f"{mode} · petition submitted")
    page.get_by_role("link", name="查询进度").click()
    track(page, number, "8765")
    expect(page.get_by_test_id("public-status")).to_be_visible()
    problems += axe_problems(page, f"{mode} · petition tracked (new)")

    matter = replied_matter()
    page.goto(f"{base}/petitions/public/track/")
    track(page, matter.number, matter.track_suffix)
    expect(page.get_by_test_id("rate-form")).to_be_visible()
    problems += axe_problems(page, f"{mode} · petition tracked (replied, rating form)")
    return problems


def staff_paths() -> dict[str, str]:
    from shegong.petitions.models import Matter

    matter = (  # one of 天河区, where the staff member works
        Matter.objects.unscoped(reason=FIXTURE)
        .filter(region_id__gte="440106", region_id__lt="440107")
        .order_by("pk")
        .first()
    )
    return {
        "home": "/",
        "residents": "/people/",
        "matter": f"/petitions/{matter.pk}/",
        "funds report": "/funds/reports/",
    }


def check_staff_side(page, base: str, mode: str) -> list[str]:
    problems = []
    for name, path in staff_paths().items():
        response = page.goto(base + path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        problems += axe_problems(page, f"{mode} · staff {name} {path}")
    return problems


def turn_elder_mode(page, on: bool) -> None:
    name = "长者模式（大字体）" if on else "退出长者模式"
    page.get_by_role("button", name=name).click()
    if on:
        expect(page.locator("html")).to_have_class(re.compile(r"\bsg-elder\b"))
    else:
        expect(page.locator("html")).not_to_have_class(re.compile(r"\bsg-elder\b"))


def test_public_and_staff_pages_pass_axe(page, live_server, demo):
    base = live_server.url
    problems = check_public_side(page, base, "ordinary")
    page.goto(f"{base}/portal/")
    turn_elder_mode(page, on=True)
    problems += check_public_side(page, base, "elder mode")

    sign_in(page, base, "tianhe", DEMO_PASSWORD)
    expect(page.get_by_test_id("jurisdiction")).to_be_visible()
    problems += check_staff_side(page, base, "elder mode")
    turn_elder_mode(page, on=False)
    problems += check_staff_side(page, base, "ordinary")
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)


# ---- keyboard ----------------------------------------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : (e.innerText || "");
  const style = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(), label: label.trim(), testid: e.dataset.testid || "",
    ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
          || style.boxShadow !== "none",
    visible: e.getBoundingClientRect().width > 1 && e.getBoundingClientRect().height > 1,
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, label: str, *, limit: int = 15) -> dict:
    """Presses Tab until the element labelled `label` has the focus; it must show a focus ring."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["label"] == label:
            assert now["ring"], f"{label}: no visible focus ring"
            return now
        seen.append(now["label"] or now["tag"])
    raise AssertionError(f"Tab never reached {label!r}; it went through {seen}")


def test_public_petition_form_by_keyboard_alone(page, live_server, quick_forms):
    page.goto(f"{live_server.url}/petitions/public/submit/")

    # The first Tab shows the skip link; Enter on it skips the header to the form.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["label"] == "跳到正文" and skip["visible"] and skip["ring"]
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    first = tab_to(page, "类型", limit=1)  # the header's links were skipped
    assert first["tag"] == "select"

    tab_to(page, "分类")
    page.keyboard.press("ArrowDown")  # the first category
    expect(page.get_by_label("分类")).not_to_have_value("")
    tab_to(page, "事发地（街道/社区）")
    page.keyboard.type("440106001000")
    tab_to(page, "标题")
    page.keyboard.type("楼道照明损坏")
    tab_to(page, "您的诉求")
    page.keyboard.type("三号楼楼道照明坏了两周，老人夜里上下楼不安全，请尽快修复")
    tab_to(page, "姓名")
    page.keyboard.type("赵秀兰")
    tab_to(page, "手机号（用于查询进度）")
    page.keyboard.type("13700001234")
    page.keyboard.press("Enter")  # submits the form from the last field

    number = page.get_by_test_id("registration-number")
    expect(number).to_have_text(re.compile(r"^440106\d{12}$"))
    number = number.inner_text()

    # The confirmation's link to the tracking page, then the tracking form, by keyboard too.
    tab_to(page, "查询进度", limit=25)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/petitions/public/track/$"))
    tab_to(page, "登记编号", limit=25)
    page.keyboard.type(number)
    tab_to(page, "手机号后四位")
    page.keyboard.type("1234")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("public-status")).to_be_visible()
    expect(page.get_by_test_id("track-result")).to_contain_text(number)


# ---- elder mode --------------------------------------------------------------------------------

ROOT_FONT_PX = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"


def assert_elder_mode(page, on: bool) -> None:
    html = page.locator("html")
    if on:
        expect(html).to_have_class(re.compile(r"\bsg-elder\b"))
        expect(page.get_by_role("button", name="退出长者模式")).to_be_visible()
        assert page.evaluate(ROOT_FONT_PX) >= 20  # 125% of the browser's 16px
    else:
        expect(html).not_to_have_class(re.compile(r"\bsg-elder\b"))
        expect(page.get_by_role("button", name="长者模式（大字体）")).to_be_visible()
        assert page.evaluate(ROOT_FONT_PX) == 16


def test_elder_mode_is_remembered_across_pages(page, live_server):
    base = live_server.url
    page.goto(f"{base}/portal/")
    assert_elder_mode(page, on=False)
    turn_elder_mode(page, on=True)
    expect(page).to_have_url(f"{base}/portal/")  # back on the page the switch was on
    assert_elder_mode(page, on=True)

    # Two other pages, one followed by a link and one in another public service.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="证明查验").click()
    expect(page).to_have_url(re.compile(r"/portal/verify/$"))
    assert_elder_mode(page, on=True)
    page.goto(f"{base}/petitions/public/track/")
    assert_elder_mode(page, on=True)

    # Remembered across visits: the cookie lasts (about) a year, not the session.
    from django.utils import timezone

    cookie = next(c for c in page.context.cookies() if c["name"] == "sg_elder")
    assert cookie["expires"] > timezone.now().timestamp() + 300 * 24 * 3600
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    turn_elder_mode(page, on=False)
    expect(page).to_have_url(f"{base}/petitions/public/track/")
    assert_elder_mode(page, on=False)
    page.goto(f"{base}/portal/activities/")
    assert_elder_mode(page, on=False)
    assert "sg_elder" not in {c["name"] for c in page.context.cookies()}


def test_elder_mode_works_without_javascript(browser, browser_context_args, live_server):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/verify/")
    page.get_by_role("button", name="长者模式（大字体）").click()
    expect(page).to_have_url(f"{live_server.url}/portal/verify/")
    expect(page.locator("html")).to_have_class(re.compile(r"\bsg-elder\b"))
    page.goto(f"{live_server.url}/portal/sites/")
    expect(page.locator("html")).to_have_class(re.compile(r"\bsg-elder\b"))
    page.get_by_role("button", name="退出长者模式").click()
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bsg-elder\b"))
    context.close()


def test_the_axe_helper_reports_what_it_finds(page):
    """The check above can fail: a page without a language, an image without a text alternative
    and a field without a label is reported, rule by rule, with the elements."""
    page.set_content('<html><body><main><img src="x.png"><input name="q"></main></body></html>')
    problems = "\n".join(axe_problems(page, "broken page"))
    assert "broken page: [serious] html-has-lang" in problems
    assert "broken page: [critical] image-alt" in problems
    assert "broken page: [critical] label" in problems and "input" in problems
    page.set_content(
        '<html lang="zh-Hans"><head><title>好</title></head><body><main><h1>好</h1>'
        '<img src="x.png" alt="标志"><label>搜索 <input name="q"></label></main></body></html>'
    )
    assert axe_problems(page) == []

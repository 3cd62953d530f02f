"""The public portal: only published activities and consented data; statistics equal to the
internal roll-up; registration with consent; sign-up without login; certificate verification."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shegong.volunteers import applications, services
from shegong.volunteers.models import Activity, SignUp, Team, Volunteer, VolunteerApplication
from tests.factories import OrganisationFactory
from tests.volunteers.helpers import make_activity, make_volunteer, resident_id

pytestmark = pytest.mark.django_db


def _served(user, volunteer, *, start, minutes=120, confirm=True):
    activity = make_activity(user, start=start, capacity=5, title="社区长者探访")
    shift = activity.shifts.get()
    signup = SignUp.objects.create(
        shift=shift, volunteer=volunteer, region_code=shift.region_code, status="accepted"
    )
    services.signup_check_in(signup=signup, acting_user=user, at=shift.starts_at)
    record = services.signup_check_out(
        signup=signup, acting_user=user, at=shift.starts_at + timedelta(minutes=minutes)
    )
    if confirm:
        services.record_confirm(record=record, acting_user=user)
    return activity, record


def test_public_site_shows_only_published_activities(client, county_user):
    published = make_activity(county_user, title="公开的活动")
    draft = make_activity(county_user, title="草稿活动", publish=False)
    cancelled = make_activity(county_user, title="取消的活动")
    services.activity_cancel(activity=cancelled, acting_user=county_user, reason="天气原因")
    listing = client.get(reverse("portal:activities")).content.decode()
    assert "公开的活动" in listing
    assert "草稿活动" not in listing and "取消的活动" not in listing
    assert client.get(reverse("portal:activity", args=[published.pk])).status_code == 200
    assert client.get(reverse("portal:activity", args=[draft.pk])).status_code == 404
    assert client.get(reverse("portal:activity", args=[cancelled.pk])).status_code == 404
    shift = draft.shifts.get()
    v = make_volunteer()
    resp = client.post(
        reverse("portal:shift_signup", args=[shift.pk]), {"number": v.number, "phone": v.phone}
    )
    assert resp.status_code == 404
    assert not SignUp.objects.filter(shift=shift).exists()


def test_who_served_is_named_only_with_consent(client, county_user):
    start = timezone.now() - timedelta(hours=1)
    activity = make_activity(county_user, start=start, capacity=3, title="河涌保洁")
    shift = activity.shifts.get()
    yes = make_volunteer(name="李公开", consent_public=True)
    no = make_volunteer(name="王保密", consent_public=False)
    for v in (yes, no):
        s = services.signup_create(shift=shift, volunteer=v)
        services.signup_check_in(signup=s, acting_user=county_user, at=start)
        services.signup_check_out(signup=s, acting_user=county_user, at=start + timedelta(hours=1))
    page = client.get(reverse("portal:activity", args=[activity.pk])).content.decode()
    assert "李*" in page or "李公*" in page or "李*开" in page
    assert "王保密" not in page and "王*密" not in page
    assert "李公开" not in page  # even consented names are masked
    assert "等 2 名志愿者" in page
    assert yes.phone not in page and yes.number not in page


def test_public_statistics_equal_the_internal_rollup(client, county_user, login, other_county_user):
    start = timezone.now() - timedelta(hours=3)
    today = timezone.localtime(start).date()  # the month the service records fall in
    a = make_volunteer(region="440106001001", party=True)
    b = make_volunteer(region="440106002000")
    make_volunteer()
    inactive = make_volunteer(region="440106001001")
    Volunteer.objects.filter(pk=inactive.pk).update(is_active=False)
    make_volunteer(region="441881001001", by=other_county_user)
    _served(county_user, a, start=start, minutes=150)
    _served(county_user, b, start=start, minutes=90)
    _served(county_user, b, start=start, minutes=60, confirm=False)  # not certified yet
    make_activity(county_user, publish=False, title="草稿")
    services.team_create(
        acting_user=county_user,
        organisation=county_user.active_membership.organisation,
        name="党员志愿服务队",
        kind=Team.Kind.PARTY,
    )
    # Registered when they served, so the month is the same even in a month's first hours.
    Volunteer.objects.update(created_at=start)
    Team.objects.update(created_at=start)
    month = f"{today:%Y-%m}"
    internal = login(county_user).get("/api/v1/volunteers/stats", {"month": month}).json()
    public = client.get(reverse("portal:stats_json"), {"region": "440106", "month": month}).json()
    assert public["total"] == internal["total"]
    assert public["by_region"] == internal["by_region"]
    # and both equal figures counted independently here
    assert internal["total"]["volunteers"] == 3
    assert internal["total"]["party_volunteers"] == 1
    assert internal["total"]["teams"] == 1
    assert (
        internal["total"]["activities"]
        == Activity.objects.filter(
            status="published",
            region__code__startswith="440106",
            starts_at__year=today.year,
            starts_at__month=today.month,
        ).count()
    )
    assert Decimal(internal["total"]["certified_hours"]) == Decimal("4.00")
    assert internal["total"]["served_volunteers"] == 2
    # the public page shows the same table and no personal data
    page = client.get(
        reverse("portal:stats"), {"region": "440106", "month": month}
    ).content.decode()
    for v in Volunteer.objects.all():
        assert v.name not in page and v.phone not in page and v.number not in page
    assert re.search(r'data-testid="stats-total">.*?<td class="num">3</td>', page, re.S)


def test_statistics_of_another_month_leave_this_month_out(client, county_user):
    make_volunteer()
    last_year = timezone.localdate().year - 1
    body = client.get(
        reverse("portal:stats_json"), {"region": "440106", "month": f"{last_year}-01"}
    ).json()
    assert body["total"]["volunteers"] == 0


def test_published_statistics_are_counted_once_per_period_and_say_when(client):
    """Anybody may open the statistics: a region's month is counted once and served from the
    cache until `portal.selectors.STATISTICS_SECONDS` have passed, and the page and the JSON say when it was
    counted; the next count takes in what changed meanwhile."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_volunteer()
    month = f"{timezone.localdate():%Y-%m}"
    first = client.get(reverse("portal:stats_json"), {"region": "440106", "month": month}).json()
    assert first["total"]["volunteers"] == 1
    counted_at = first["computed_at"]
    make_volunteer()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("portal:stats_json"), {"region": "440106", "month": month})
    # only the region the visitor typed is looked up; no volunteer table is read
    assert not [q["sql"] for q in queries if "volunteers_" in q["sql"]]
    assert again.json()["total"]["volunteers"] == 1  # the cached count, with its time
    assert again.json()["computed_at"] == counted_at
    page = client.get(reverse("portal:stats"), {"region": "440106", "month": month})
    assert "统计时间" in page.content.decode()
    stamp = timezone.localtime(datetime.fromisoformat(counted_at))
    assert f"{stamp:%Y-%m-%d %H:%M}" in page.content.decode()
    # once the cached count has expired (here: removed) the next reader counts again
    key = f"portal:stats:440106:{month}"
    assert cache.get(key) is not None
    cache.delete(key)
    fresh = client.get(reverse("portal:stats_json"), {"region": "440106", "month": month}).json()
    assert fresh["total"]["volunteers"] == 2


def test_directory_search_by_region_service_and_text(client):
    OrganisationFactory(
        name="石牌街社工站",
        kind="sw_station",
        region_id="440106001000",
        services="长者关爱探访\n政策咨询",
        address="石牌东路 1 号",
        phone="020-1",
        opening_hours="周一至周五",
        latitude="23.1",
        longitude="113.3",
    )
    OrganisationFactory(
        name="英城街社工站", kind="sw_station", region_id="441881001000", services="矛盾纠纷调解"
    )
    OrganisationFactory(name="天河区民政局", kind="gov_department", region_id="440106000000")
    page = client.get(reverse("portal:sites"), {"region": "440106"}).content.decode()
    assert "石牌街社工站" in page and "英城街社工站" not in page and "民政局" not in page
    assert "石牌东路 1 号" in page and "周一至周五" in page and "020-1" in page
    page = client.get(reverse("portal:sites"), {"service": "矛盾纠纷调解"}).content.decode()
    assert "英城街社工站" in page and "石牌街社工站" not in page
    page = client.get(reverse("portal:sites"), {"q": "石牌东路"}).content.decode()
    assert "石牌街社工站" in page
    from shegong.orgs.models import Organisation

    site = Organisation.objects.get(name="石牌街社工站")
    detail = client.get(reverse("portal:site", args=[site.pk])).content.decode()
    assert "23.1" in detail and "113.3" in detail
    assert client.get(reverse("portal:home"), {"region": "440106"}).status_code == 200


def test_registration_needs_consent_and_after_review_creates_a_volunteer_login(client, make_member):
    OrganisationFactory(name="石牌街社工站", kind="sw_station", region_id="440106001000")
    url = reverse("portal:register") + "?region=440106"
    data = {
        "county": "440106",
        "name": "陈志愿",
        "id_number": resident_id("440106", date(1995, 3, 4)),
        "phone": "13912345678",
        "region": "440106001001",
        "political_status": "league_member",
        "skills": ["teaching"],
        "availability": ["5", "6"],
        "languages": "普通话、粤语",
        "username": "chenzy",
        "password": "Volunteer@2026",
    }
    resp = client.post(url, data)
    assert resp.status_code == 200
    assert "请阅读并同意" in resp.content.decode()
    assert not VolunteerApplication.objects.exists()
    resp = client.post(url, {**data, "consent": "on"})
    assert resp.status_code == 302 and resp["Location"] == reverse("portal:register_submitted")
    assert "申请已提交，审核结果将通知您" in client.get(resp["Location"]).content.decode()
    assert not Volunteer.objects.exists()  # nothing until staff approve
    application = VolunteerApplication.objects.get()
    assert application.consent_at is not None and data["id_number"] not in str(
        application.id_number_encrypted
    )
    reviewer = make_member("station_worker", "440106001000", kind="sw_station")
    applications.application_approve(application=application, acting_user=reviewer)
    v = Volunteer.objects.get()
    assert v.source == "public" and v.consent_at == application.consent_at
    assert v.user.username == "chenzy" and v.user.check_password("Volunteer@2026")
    assert v.id_number_masked.startswith("440106") and "*" in v.id_number_masked
    assert data["id_number"] not in v.id_number_encrypted
    assert v.user.memberships.get().role == "volunteer"
    assert client.login(username="chenzy", password="Volunteer@2026")
    me = client.get(reverse("volunteers:me"))
    assert me.status_code == 200 and v.number in me.content.decode()


def test_public_signup_with_number_and_phone_and_the_waiting_list_message(client, county_user):
    shift = make_activity(county_user, capacity=1).shifts.get()
    a, b = make_volunteer(), make_volunteer()
    url = reverse("portal:shift_signup", args=[shift.pk])
    r1 = client.post(url, {"number": a.number, "phone": a.phone}, follow=True)
    assert "报名成功" in r1.content.decode()
    r2 = client.post(url, {"number": b.number, "phone": b.phone}, follow=True)
    assert "候补名单第 1 位" in r2.content.decode()
    r3 = client.post(url, {"number": b.number, "phone": "13000000000"}, follow=True)
    assert "不匹配" in r3.content.decode()
    assert SignUp.objects.filter(shift=shift).count() == 2


def test_certificate_number_verifies_on_the_public_site(client, county_user):
    v = make_volunteer(name="赵证明")
    _served(county_user, v, start=timezone.now() - timedelta(hours=3), minutes=150)
    cert = services.certificate_issue(
        volunteer=v, organisation=county_user.active_membership.organisation
    )
    page = client.get(reverse("portal:verify"), {"number": cert.number}).content.decode()
    assert "真实有效" in page and "2.5 小时" in page and "赵*明" in page
    assert "赵证明" not in page and v.id_number_masked not in page
    bad = client.get(
        reverse("portal:verify"), {"number": "ZYZM-440106-2026-999999"}
    ).content.decode()
    assert "未查到" in bad


def test_public_pages_render_for_anonymous_visitors(client):
    for name in (
        "portal:home",
        "portal:sites",
        "portal:activities",
        "portal:stats",
        "portal:verify",
        "portal:register",
    ):
        resp = client.get(reverse(name))
        assert resp.status_code == 200, name
        html = resp.content.decode()
        assert 'lang="zh-hans"' in html and 'href="#main"' in html

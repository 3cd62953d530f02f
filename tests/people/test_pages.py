from datetime import date, timedelta

import pytest

from shegong.core.models import AuditLog
from shegong.people.models import Resident, VisitPlan
from shegong.people.synthetic import make_id_number
from tests.people.conftest import VILLAGE


@pytest.mark.django_db
def test_worker_registers_assesses_and_finds_the_visit_on_my_visits(station_worker, login):
    client = login(station_worker)
    number = make_id_number("440106", date(1990, 2, 3), 5, "F")
    response = client.post(
        "/people/new/",
        {"name": "林秀兰", "id_number": number, "region": VILLAGE, "categories": ["1"]},
        follow=True,
    )
    page = response.content.decode()
    assert "已登记：林秀兰（女，1990-02-03 出生）" in page
    resident = Resident.objects.get(name="林秀兰")
    again = client.post("/people/new/", {"name": "林秀兰", "id_number": number, "region": VILLAGE})
    assert "该身份证号码已登记" in again.content.decode()
    bad = client.post(
        "/people/new/", {"name": "某某", "id_number": number[:-1] + "Y", "region": VILLAGE}
    )
    assert 'data-testid="error-id_number"' in bad.content.decode()
    response = client.post(
        f"/people/{resident.pk}/assess/",
        {
            "lives_alone": "on",
            "health": "serious",
            "self_care": "partial",
            "income": "tight",
            "housing": "hazard",
            "support": "none",
        },
        follow=True,
    )
    assert "评估完成：高风险" in response.content.decode()
    mine = client.get("/people/visits/mine/").content.decode()
    assert "林秀兰" in mine and "岳洲社区居委会" in mine


@pytest.mark.django_db
def test_overdue_visit_shows_on_township_and_county_pages(
    station_worker, township_staff, county_user, make_resident, login, client
):
    resident = make_resident(station_worker, name="逾期老人")
    VisitPlan.objects.filter(resident=resident).update(
        next_due_date=date.today() - timedelta(days=5)
    )
    page = login(station_worker).get("/people/visits/mine/").content.decode()
    assert 'data-testid="count-overdue">1<' in page
    page = login(township_staff).get("/people/visits/overdue/").content.decode()
    assert "逾期老人" in page and 'data-testid="total-overdue">1<' in page
    page = login(county_user).get("/people/visits/overdue/").content.decode()
    assert "五山街道" in page and 'data-testid="total-overdue">1<' in page
    assert 'data-testid="total-rate">0.0%' in page


@pytest.mark.django_db
def test_resident_page_shows_masked_id_and_reveal_is_audited(station_worker, make_resident, login):
    resident = make_resident(station_worker, health_notes="高血压")
    client = login(station_worker)
    page = client.get(f"/people/{resident.pk}/").content.decode()
    assert resident.id_number_masked in page and "高血压" in page
    response = client.post(f"/people/{resident.pk}/reveal/")
    from shegong.core.crypto import decrypt

    assert decrypt(resident.id_number_encrypted) in response.content.decode()
    log = AuditLog.objects.get(action="reveal")
    assert log.actor == station_worker


@pytest.mark.django_db
def test_health_details_and_reveal_are_hidden_from_county_staff(
    station_worker, county_user, make_resident, login
):
    resident = make_resident(station_worker, health_notes="高血压")
    client = login(county_user)
    page = client.get(f"/people/{resident.pk}/").content.decode()
    assert resident.name in page and "高血压" not in page and 'data-testid="reveal"' not in page
    assert client.post(f"/people/{resident.pk}/reveal/").status_code == 403


@pytest.mark.django_db
def test_visit_finding_becomes_a_case_with_one_click(station_worker, make_resident, login):
    resident = make_resident(station_worker)
    client = login(station_worker)
    response = client.post(
        f"/people/{resident.pk}/visit/",
        {"visited_on": date.today().isoformat(), "mode": "home", "needs": "屋顶漏雨"},
        follow=True,
    )
    page = response.content.decode()
    assert "已记录探访" in page and "转为个案" in page
    visit = resident.visits.get()
    response = client.post(f"/cases/from-visit/{visit.pk}/", follow=True)
    assert "屋顶漏雨" in response.content.decode()
    page = client.get(f"/people/visits/{visit.pk}/").content.decode()
    assert 'data-testid="linked-record"' in page


@pytest.mark.django_db
def test_every_people_page_renders(station_worker, make_resident, login):
    resident = make_resident(station_worker)
    client = login(station_worker)
    for url in [
        "/people/",
        "/people/?q=测试",
        "/people/?category=living_alone&risk=high",
        "/people/new/",
        "/people/import/",
        "/people/statistics/",
        "/people/visits/mine/",
        "/people/visits/overdue/",
        "/people/assistance/",
        f"/people/{resident.pk}/",
        f"/people/{resident.pk}/edit/",
        f"/people/{resident.pk}/assess/",
        f"/people/{resident.pk}/visit/",
        f"/people/{resident.pk}/assistance/",
        "/cases/",
        "/cases/referrals/",
        "/cases/overdue/",
        f"/cases/new/?resident={resident.pk}",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_assistance_and_adaptation_project_show_and_roll_up(station_worker, make_resident, login):
    resident = make_resident(station_worker)
    client = login(station_worker)
    client.post(
        f"/people/{resident.pk}/assistance/",
        {
            "kind": "adaptation",
            "description": "卫生间扶手改造",
            "amount": "3500",
            "fund_source": "民政专项",
            "given_on": date.today().isoformat(),
        },
    )
    item = resident.assistance.get()
    assert item.project_status == "survey"
    client.post(f"/people/assistance/{item.pk}/advance/")
    item.refresh_from_db()
    assert item.project_status == "design"
    page = client.get(f"/people/{resident.pk}/").content.decode()
    assert "卫生间扶手改造" in page and "方案设计" in page
    page = client.get("/people/assistance/").content.decode()
    assert "岳洲社区居委会" in page and "3500" in page


@pytest.mark.django_db
def test_visit_photo_is_served_only_through_the_scoped_visit(
    station_worker, make_resident, login, make_member, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    resident = make_resident(station_worker)
    client = login(station_worker)
    client.post(
        f"/people/{resident.pk}/visit/",
        {
            "visited_on": date.today().isoformat(),
            "mode": "home",
            "photo": SimpleUploadedFile("屋内.png", buffer.getvalue(), content_type="image/png"),
        },
    )
    visit = resident.visits.get()
    assert visit.photo
    response = client.get(f"/people/visits/{visit.pk}/photo/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"\x89PNG"
    outsider = make_member("station_worker", "441881001000", kind="sw_station")
    assert login(outsider).get(f"/people/visits/{visit.pk}/photo/").status_code == 404


@pytest.mark.django_db
def test_home_figures_and_region_counts_show_residents_overdue_and_open_cases(
    station_worker, county_user, make_resident, login
):
    from shegong.cases import services as case_services

    late = make_resident(station_worker, name="逾期对象")
    VisitPlan.objects.filter(resident=late).update(next_due_date=date.today() - timedelta(days=2))
    case_services.case_open(acting_user=station_worker, resident=late, title="照料", source="self")
    page = login(county_user).get("/").content.decode()
    assert "服务对象" in page and "逾期未探访" in page and "在办个案" in page
    from shegong.core.registry import region_counters

    counter = next(c for c in region_counters if c.key == "residents")
    assert counter.count("440106000000", "440106999999", 9) == {"440106001": 1}
    region_page = login(county_user).get("/regions/440106000000/").content.decode()
    assert "服务对象" in region_page


@pytest.mark.django_db
def test_my_visits_lists_only_what_is_due_with_links_and_escaped_names(
    station_worker, make_resident, login
):
    from django.urls import reverse

    late = make_resident(station_worker, name="<b>钟</b>婆婆")
    later = make_resident(station_worker, name="下月老人")
    VisitPlan.objects.filter(resident=late).update(next_due_date=date.today() - timedelta(days=2))
    VisitPlan.objects.filter(resident=later).update(next_due_date=date.today() + timedelta(30))
    page = login(station_worker).get("/people/visits/mine/").content.decode()
    assert "&lt;b&gt;钟&lt;/b&gt;婆婆" in page and "<b>钟</b>" not in page
    assert "下月老人" not in page
    assert 'data-testid="count-total">1<' in page
    assert f'href="{reverse("people:visit", args=[late.pk])}"' in page
    assert f'href="{reverse("people:detail", args=[late.pk])}"' in page
    assert (date.today() - timedelta(days=2)).isoformat() in page

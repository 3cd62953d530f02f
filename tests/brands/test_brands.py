"""Service brands: the register, figures counted from the linked activities' service records,
yearly evaluation against declared targets, recognition by the department of each level, the
public page of a recognised brand, and scoping."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shegong.brands import selectors, services
from shegong.brands.models import Brand
from tests.brands.conftest import add_records, register
from tests.volunteers.helpers import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(users):
    return register(users["tianhe"])


def test_figures_are_counted_from_confirmed_records_of_linked_activities(
    users, brand, residents, django_assert_max_num_queries
):
    linked = make_activity(users["wushan"], title="长者探访")
    other = make_activity(users["wushan"], title="不属于品牌的活动")
    services.brand_link_activity(acting_user=users["tianhe"], brand=brand, activity=linked)
    add_records(
        linked, year=2025, hours=["2", "3.5", "-8", "1"], ratings=[5, 3, 5, None],
        residents=residents[:2],
    )  # fmt: skip
    add_records(other, year=2025, hours=["10"], ratings=[5], residents=residents[2:])
    add_records(linked, year=2024, hours=["4"], ratings=[5])
    with django_assert_max_num_queries(3):
        figures = selectors.brand_figures(brand=brand, year=2025)
    # confirmed only (the pending 8 h is not counted), linked activity only
    assert figures.hours == Decimal("6.5")
    assert figures.records == 3 and figures.rated == 2 and figures.satisfied == 1
    assert figures.satisfaction == Decimal("0.500")
    assert figures.reach == 2
    with pytest.raises(ValidationError):
        services.brand_link_activity(acting_user=users["tianhe"], brand=brand, activity=linked)


def test_a_year_is_evaluated_against_its_declared_targets(users, brand, residents):
    activity = make_activity(users["wushan"])
    services.brand_link_activity(acting_user=users["tianhe"], brand=brand, activity=activity)
    add_records(activity, year=2025, hours=["30", "25"], ratings=[5, 4], residents=residents)
    with pytest.raises(ValidationError):  # no targets declared for the year yet
        services.brand_evaluate(acting_user=users["tianhe"], brand=brand, year=2025)
    services.target_set(
        acting_user=users["tianhe"],
        brand=brand,
        year=2025,
        reach=5,
        hours=Decimal("50"),
        satisfaction=Decimal("0.9"),
    )
    with pytest.raises(PermissionDenied):  # a station declares targets, the department evaluates
        services.brand_evaluate(acting_user=users["wushan"], brand=brand, year=2025)
    evaluation = services.brand_evaluate(acting_user=users["tianhe"], brand=brand, year=2025)
    assert (evaluation.reach, evaluation.hours, evaluation.satisfaction) == (
        3,
        Decimal("55.0"),
        Decimal("1.000"),
    )
    assert evaluation.hours_met and evaluation.satisfaction_met and not evaluation.reach_met
    assert not evaluation.all_met
    with pytest.raises(ValidationError):  # targets of an evaluated year stay as declared
        services.target_set(
            acting_user=users["tianhe"],
            brand=brand,
            year=2025,
            reach=1,
            hours=Decimal("1"),
            satisfaction=Decimal("0.5"),
        )


def test_city_recognition_is_recommended_by_the_county_and_awarded_by_the_city(users, brand):
    recognition = services.recognition_apply(
        acting_user=users["tianhe"], brand=brand, level="city", statement="申报市级品牌"
    )
    with pytest.raises(ValidationError):  # not yet recommended by the district
        services.recognition_award(recognition=recognition, acting_user=users["guangzhou"])
    with pytest.raises(PermissionDenied):  # the province does not recommend a city recognition
        services.recognition_recommend(recognition=recognition, acting_user=users["guangdong"])
    services.recognition_recommend(recognition=recognition, acting_user=users["tianhe"])
    with pytest.raises(ValidationError):  # once recommended, the city decides
        services.recognition_decline(recognition=recognition, acting_user=users["tianhe"], note="x")
    with pytest.raises(PermissionDenied):  # the district does not award at city level
        services.recognition_award(recognition=recognition, acting_user=users["tianhe"])
    services.recognition_award(recognition=recognition, acting_user=users["guangzhou"])
    brand.refresh_from_db()
    assert brand.recognition_level == "city" and brand.recognised_on
    with pytest.raises(ValidationError):  # already recognised at this level
        services.recognition_apply(
            acting_user=users["tianhe"], brand=brand, level="county", statement="x"
        )


def test_a_county_recognition_is_awarded_by_the_county_on_application(users, brand):
    with pytest.raises(PermissionDenied):  # a station acts on its own brands only
        services.recognition_apply(
            acting_user=users["wushan"], brand=brand, level="county", statement="申报县级"
        )
    brand = register(users["wushan"], name="五山站的品牌")
    recognition = services.recognition_apply(
        acting_user=users["wushan"], brand=brand, level="county", statement="申报县级"
    )
    with pytest.raises(ValidationError):  # one open application at a time
        services.recognition_apply(
            acting_user=users["tianhe"], brand=brand, level="city", statement="申报市级"
        )
    services.recognition_award(recognition=recognition, acting_user=users["tianhe"])
    brand.refresh_from_db()
    assert brand.recognition_level == "county"


def test_the_portal_shows_only_recognised_brands(users, brand, client):
    other = register(users["tianhe"], name="未认定的品牌")
    recognition = services.recognition_apply(
        acting_user=users["tianhe"], brand=brand, level="county", statement="申报"
    )
    services.recognition_award(recognition=recognition, acting_user=users["tianhe"])
    listing = client.get(reverse("portal:brands"), {"region": "440106"}).content.decode()
    assert brand.name in listing and other.name not in listing
    page = client.get(reverse("portal:brand", args=[brand.pk])).content.decode()
    assert "县级" in page and brand.description in page
    assert client.get(reverse("portal:brand", args=[other.pk])).status_code == 404


def test_a_county_outside_sees_none_of_tianhes_brands(users, brand, login):
    client = login(users["yingde"])
    assert client.get(reverse("brands:detail", args=[brand.pk])).status_code == 404
    assert brand.name not in client.get(reverse("brands:list")).content.decode()
    assert client.get(f"/api/v1/brands/brands/{brand.pk}").status_code == 404
    assert client.get("/api/v1/brands/brands").json()["count"] == 0
    assert client.get(f"/api/v1/brands/brands/{brand.pk}/figures").status_code == 404
    export = client.get(reverse("brands:export"))
    assert export.status_code == 200 and brand.name.encode() not in export.content
    with pytest.raises(PermissionDenied):
        services.target_set(
            acting_user=users["yingde"],
            brand=brand,
            year=2025,
            reach=1,
            hours=Decimal("1"),
            satisfaction=Decimal("0.5"),
        )
    assert Brand.objects.visible_to(users["yingde"]).count() == 0


def test_pages_and_api_register_link_and_apply(users, login):
    client = login(users["tianhe"])
    response = client.post(
        reverse("brands:create"),
        {
            "name": "页面登记的品牌",
            "kind": "service",
            "owner": str(users["wushan"].active_membership.organisation.pk),
            "started_on": "2024-05-01",
            "description": "说明",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    brand = Brand.objects.get(name="页面登记的品牌")
    assert brand.region_code == "440106001000"
    activity = make_activity(users["wushan"])
    response = client.post(
        reverse("brands:link_activity", args=[brand.pk]), {"activity": str(activity.pk)}
    )
    assert response.status_code == 302
    body = client.get(f"/api/v1/brands/brands/{brand.pk}/activities").json()
    assert [row["activity_id"] for row in body] == [activity.pk]
    created = client.post(
        f"/api/v1/brands/brands/{brand.pk}/recognitions",
        {"level": "county", "statement": "申报"},
        content_type="application/json",
    )
    assert created.status_code == 201
    awarded = client.post(
        f"/api/v1/brands/recognitions/{created.json()['id']}/actions/award",
        {"note": "同意"},
        content_type="application/json",
    )
    assert awarded.status_code == 200 and awarded.json()["status"] == "awarded"
    page = client.get(reverse("brands:detail", args=[brand.pk])).content.decode()
    assert "县级" in page and activity.title in page

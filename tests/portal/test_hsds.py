"""The service-site directory as Open Referral HSDS 3.0, checked against the published schemas
(shipped as test data in tests/portal/hsds_schema/, source stated there)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shegong.orgs.models import Organisation
from shegong.portal import hsds
from tests.factories import OrganisationFactory
from tests.portal.hsds_validation import errors_for, object_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(db):
    station = OrganisationFactory(
        name="石牌街道社会工作服务站",
        kind="sw_station",
        region_id="440106001000",
        address="广州市天河区石牌街道综合服务中心二楼",
        phone="020-38888888",
        opening_hours="周一至周五 8:30–12:00，14:00–17:30",
        services="政策咨询\n长者关爱探访\n矛盾纠纷调解",
        latitude="23.130000",
        longitude="113.330000",
    )
    centre = OrganisationFactory(
        name="石牌街道党群服务中心",
        kind="party_mass_centre",
        region_id="440106001000",
        address="石牌街道",
        services="党员活动\n志愿服务",
        opening_hours="周一至周日 9:00–21:00",
    )
    other = OrganisationFactory(
        name="英德市英城街道社会工作服务站", kind="sw_station", region_id="441881001000"
    )
    hidden = OrganisationFactory(
        name="天河区民政局", kind="gov_department", region_id="440106000000"
    )
    closed = OrganisationFactory(
        name="已撤销站点", kind="sw_station", region_id="440106001000", is_active=False
    )
    return {
        "station": station,
        "centre": centre,
        "other": other,
        "hidden": hidden,
        "closed": closed,
    }


def test_root_describes_the_api(client):
    body = client.get("/hsds/").json()
    assert body["version"] == "3.0"
    assert errors_for("/", body) == []
    assert client.get(body["openapi_url"].replace("http://testserver", "")).status_code == 200


def test_services_list_conforms_and_lists_only_active_sites(client, sites):
    body = client.get("/hsds/services", {"per_page": 50}).json()
    assert errors_for("/services", body) == []
    names = {s["name"] for s in body["contents"]}
    assert names == {
        "石牌街道社会工作服务站",
        "石牌街道党群服务中心",
        "英德市英城街道社会工作服务站",
    }
    assert body["total_items"] == 3 and body["first_page"] and body["last_page"]


def test_services_search_paging_organisation_and_modified_after(client, sites):
    assert [
        s["name"] for s in client.get("/hsds/services", {"search": "调解"}).json()["contents"]
    ] == ["石牌街道社会工作服务站"]
    page2 = client.get("/hsds/services", {"per_page": 2, "page": 2}).json()
    assert page2["page_number"] == 2 and page2["size"] == 1 and page2["total_pages"] == 2
    assert errors_for("/services", page2) == []
    org_id = hsds.hsds_id("organization", sites["centre"].pk)
    only = client.get("/hsds/services", {"organization_id": org_id}).json()
    assert [s["organization_id"] for s in only["contents"]] == [org_id]
    Organisation.objects.filter(pk=sites["other"].pk).update(
        updated_at=timezone.now() - timedelta(days=30)
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()
    recent = client.get("/hsds/services", {"modified_after": since}).json()
    assert "英德市英城街道社会工作服务站" not in {s["name"] for s in recent["contents"]}
    assert client.get("/hsds/services", {"modified_after": "yesterday"}).status_code == 400


def test_service_detail_is_fully_nested_and_conforms(client, sites):
    site = sites["station"]
    body = client.get(f"/hsds/services/{hsds.hsds_id('service', site.pk)}").json()
    assert errors_for("/services/{id}", body) == []
    assert object_errors("service.json", body) == []
    location = body["service_at_locations"][0]["location"]
    assert location["latitude"] == 23.13 and location["longitude"] == 113.33
    assert location["addresses"][0]["address_1"] == site.address
    assert location["addresses"][0]["state_province"] == "广东省"
    assert body["phones"][0]["number"] == "020-38888888"
    assert body["schedules"][0]["opens_at"] == "8:30"
    assert body["organization"]["name"] == site.name
    assert body["attributes"][0]["taxonomy_term"]["name"] == "乡镇（街道）社工站"


def test_detail_of_a_non_site_or_unknown_id_is_404(client, sites):
    assert (
        client.get(f"/hsds/services/{hsds.hsds_id('service', sites['hidden'].pk)}").status_code
        == 404
    )
    assert (
        client.get(f"/hsds/services/{hsds.hsds_id('service', sites['closed'].pk)}").status_code
        == 404
    )
    assert client.get("/hsds/services/not-a-uuid").status_code == 404


def test_organizations_locations_and_taxonomies_conform(client, sites):
    orgs = client.get("/hsds/organizations").json()
    assert errors_for("/organizations", orgs) == [] and orgs["total_items"] == 3
    one = client.get(f"/hsds/organizations/{orgs['contents'][0]['id']}").json()
    assert errors_for("/organizations/{id}", one) == []
    locations = client.get("/hsds/locations").json()
    assert locations["total_items"] == 3
    for item in locations["contents"]:
        assert object_errors("location.json", item) == []
    loc = client.get(f"/hsds/locations/{locations['contents'][0]['id']}").json()
    assert object_errors("location.json", loc) == []
    taxonomies = client.get("/hsds/taxonomies").json()
    assert errors_for("/taxonomies", taxonomies) == []
    tax_id = taxonomies["contents"][0]["id"]
    assert errors_for("/taxonomies/{id}", client.get(f"/hsds/taxonomies/{tax_id}").json()) == []
    terms = client.get("/hsds/taxonomy_terms").json()
    assert errors_for("/taxonomy_terms", terms) == [] and terms["total_items"] == 3


def test_the_validator_catches_a_broken_response(client, sites):
    body = client.get("/hsds/services").json()
    body["contents"][0]["status"] = "open"
    del body["contents"][1]["name"]
    assert len(errors_for("/services", body)) == 2

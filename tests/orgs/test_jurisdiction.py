"""A county user sees exactly the organisations and users of the county's subtree — in pages,
API, exports and search — and gets 404 for any other."""

import io

import pytest
from openpyxl import load_workbook

from shegong.accounts.models import PersonalAccessToken
from shegong.accounts.services import token_create
from shegong.orgs.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def world(county_user, other_county_user):
    inside = [
        OrganisationFactory(region_id="440106001000", name="天河甲街道社工站", kind="sw_station"),
        OrganisationFactory(
            region_id="440106002000", name="天河乙街道党群服务中心", kind="party_mass_centre"
        ),
    ]
    outside = [
        OrganisationFactory(region_id="441881101000", name="英德甲镇社工站", kind="sw_station"),
        OrganisationFactory(region_id="440105000000", name="海珠区委社会工作部"),
    ]
    inside_worker = MembershipFactory(organisation=inside[0], role="station_worker").user
    outside_worker = MembershipFactory(organisation=outside[0], role="station_worker").user
    expected_orgs = set(
        Organisation.objects.filter(region_id__gte="440106000000", region_id__lte="440106999999")
    )
    return {
        "inside": inside,
        "outside": outside,
        "inside_worker": inside_worker,
        "outside_worker": outside_worker,
        "expected_orgs": expected_orgs,
    }


@pytest.mark.django_db
def test_pages_list_exactly_the_county_subtree(login, county_user, world):
    client = login(county_user)
    text = client.get("/orgs/?sort=name").content.decode()
    for org in world["expected_orgs"]:
        assert org.name in text
    for org in world["outside"]:
        assert org.name not in text
    # search does not reach past the jurisdiction either
    assert "英德甲镇社工站" not in client.get("/orgs/?q=英德").content.decode()
    assert "英德甲镇社工站" not in client.get("/orgs/?region=441881").content.decode()
    listed = {u.username for u in client.get("/accounts/users/").context["listing"].object_list}
    assert world["inside_worker"].username in listed
    assert world["outside_worker"].username not in listed
    searched = client.get(f"/accounts/users/?q={world['outside_worker'].username}")
    assert list(searched.context["listing"].object_list) == []


@pytest.mark.django_db
def test_detail_pages_give_404_outside(login, county_user, world):
    client = login(county_user)
    assert client.get(f"/orgs/{world['inside'][0].pk}/").status_code == 200
    for org in world["outside"]:
        assert client.get(f"/orgs/{org.pk}/").status_code == 404
        assert client.get(f"/orgs/{org.pk}/edit/").status_code == 404
        assert (
            client.post(
                f"/orgs/{org.pk}/edit/", {"name": "x", "kind": "sw_station", "region": "440106"}
            ).status_code
            == 404
        )
    assert client.get(f"/accounts/users/{world['outside_worker'].pk}/").status_code == 404
    assert client.get("/regions/441881000000/").status_code == 404
    assert client.get("/regions/440106000000/").status_code == 200
    org = Organisation.objects.get(pk=world["outside"][0].pk)
    assert org.name == "英德甲镇社工站"


@pytest.mark.django_db
def test_exports_contain_exactly_the_county_subtree(login, county_user, world):
    client = login(county_user)
    wb = load_workbook(io.BytesIO(client.get("/orgs/export/").content))
    names = {row[0] for row in list(wb.active.iter_rows(values_only=True))[1:]}
    assert names == {o.name for o in world["expected_orgs"]}
    wb = load_workbook(io.BytesIO(client.get("/accounts/users/export/").content))
    usernames = {row[0] for row in list(wb.active.iter_rows(values_only=True))[1:]}
    assert world["inside_worker"].username in usernames
    assert county_user.username in usernames
    assert world["outside_worker"].username not in usernames


@pytest.mark.django_db
def test_api_lists_exactly_the_county_subtree(client, county_user, world):
    _token, raw = token_create(
        acting_user=county_user, membership=county_user.active_membership, name="t"
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    ids = set()
    page = 1
    while True:
        body = client.get(f"/api/v1/orgs/?page={page}", **auth).json()
        ids |= {item["id"] for item in body["items"]}
        if len(ids) >= body["count"]:
            break
        page += 1
    assert ids == {o.pk for o in world["expected_orgs"]}
    for org in world["outside"]:
        response = client.get(f"/api/v1/orgs/{org.pk}", **auth)
        assert response.status_code == 404
        assert response.json()["errors"][0]["reason"]
        assert (
            client.patch(
                f"/api/v1/orgs/{org.pk}", {"phone": "1"}, content_type="application/json", **auth
            ).status_code
            == 404
        )
    assert client.get("/api/v1/orgs/?q=英德", **auth).json()["count"] == 0
    users = client.get("/api/v1/accounts/users?page=1", **auth).json()
    names = {u["username"] for u in users["items"]}
    assert (
        world["inside_worker"].username in names and world["outside_worker"].username not in names
    )
    assert (
        client.get(f"/api/v1/accounts/users/{world['outside_worker'].pk}", **auth).status_code
        == 404
    )
    assert client.get("/api/v1/regions/441881000000", **auth).status_code == 404


@pytest.mark.django_db
def test_api_cannot_create_outside_the_jurisdiction(client, county_user, world):
    _token, raw = token_create(
        acting_user=county_user, membership=county_user.active_membership, name="t"
    )
    response = client.post(
        "/api/v1/orgs/",
        {"name": "越界社工站", "kind": "sw_station", "region": "441881101"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "region", "reason": "该区划不在您的辖区范围内。"}
    ]
    assert not Organisation.objects.filter(name="越界社工站").exists()


@pytest.mark.django_db
def test_revoked_token_is_refused(client, county_user):
    token, raw = token_create(
        acting_user=county_user, membership=county_user.active_membership, name="t"
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/accounts/me", **auth).status_code == 200
    PersonalAccessToken.objects.filter(pk=token.pk).update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/v1/accounts/me", **auth).status_code == 401

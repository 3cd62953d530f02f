import pytest

from tests.factories import MembershipFactory, OrganisationFactory


@pytest.mark.django_db
def test_drill_down_from_the_nation_to_a_community(login, make_member):
    central = make_member("dept_leader", "000000000000")
    OrganisationFactory(region_id="440106001000", kind="sw_station")
    OrganisationFactory(region_id="440106001001", kind="residents_committee")
    client = login(central)
    nation = client.get("/regions/000000000000/").content.decode()
    assert "广东省" in nation and "北京市" in nation
    province = client.get("/regions/440000000000/").content.decode()
    assert "广州市" in province and 'href="/regions/000000000000/"' in province
    county = client.get("/regions/440106000000/")
    crumbs = [r.name for r in county.context["crumbs"]]
    assert crumbs == ["中华人民共和国", "广东省", "广州市"]
    rows = {row.region.code: row.counts for row in county.context["rows"]}
    assert rows["440106001000"][0] == 2  # the station and the committee below it
    village = county.context["rows"][0].region
    assert village.level == 4
    township = client.get(f"/regions/{village.code}/")
    assert township.status_code == 200
    community = township.context["rows"][0].region
    assert community.level == 5
    assert client.get(f"/regions/{community.code}/").status_code == 200


@pytest.mark.django_db
def test_county_user_breadcrumbs_stop_at_the_jurisdiction(login, county_user):
    client = login(county_user)
    township = client.get("/regions/440106001000/")
    assert [r.code for r in township.context["crumbs"]] == ["440106000000"]
    assert client.get("/regions/440100000000/").status_code == 404


@pytest.mark.django_db
def test_counts_include_people_with_memberships(login, make_member):
    leader = make_member("dept_leader", "440100000000")
    station = OrganisationFactory(region_id="440106001000", kind="sw_station")
    MembershipFactory(organisation=station, role="station_worker")
    client = login(leader)
    page = client.get("/regions/440100000000/")
    labels = page.context["labels"]
    assert "组织" in labels and "工作人员" in labels
    tianhe = next(r for r in page.context["rows"] if r.region.code == "440106000000")
    assert tianhe.counts[labels.index("组织")] >= 1
    assert tianhe.counts[labels.index("工作人员")] == 1
    assert "441881000000" not in {r.region.code for r in page.context["rows"]}

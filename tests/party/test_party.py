"""The party register (党组织覆盖, issue 17): the rules of setting one up, the coverage figures for
Guangdong drilled down to the stations against a hand count (see conftest), and another
county's register invisible on pages, API and exports."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from shegong.core.models import AuditLog
from shegong.party import selectors, services
from shegong.party.models import PartyOrganisation
from tests.factories import OrganisationFactory


def _row(rollup, key):
    return next(r for r in rollup.rows if r.key == key)


def _create(user, host, **overrides):
    fields = {
        "name": f"{host.name}党支部",
        "kind": "branch",
        "host": host,
        "established_on": date(2024, 7, 1),
        "secretary": "王芳",
        "members_count": 5,
    } | overrides
    return services.party_organisation_create(acting_user=user, **fields)


@pytest.mark.django_db
def test_the_rules_of_setting_up_a_party_organisation(guangdong):
    tianhe, o = guangdong["tianhe"], guangdong["orgs"]
    new = OrganisationFactory(
        name="新社会组织", kind="social_organisation", region_id="440106001000"
    )
    cases = [
        ({"members_count": 2}, "members_count"),  # 党章 Art. 30: three or more
        ({"kind": "general_branch", "members_count": 50}, "kind"),  # over 50
        ({"kind": "committee", "members_count": 99}, "kind"),  # 100 or more
        ({"established_on": date(2099, 1, 1)}, "established_on"),
        ({"covered": [o["shuhua"]]}, "covered"),  # only a joint one covers others
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as refused:
            _create(tianhe, new, **overrides)
        assert field in refused.value.message_dict, overrides
    assert _create(tianhe, new, members_count=3).pk  # exactly three: allowed
    assert _create(tianhe, OrganisationFactory(region_id="440106001000"), kind="general_branch",
                   members_count=51).pk  # fmt: skip
    with pytest.raises(ValidationError) as twice:
        _create(tianhe, new)
    assert "host" in twice.value.message_dict
    # A joint branch may not cover an organisation with its own, nor one another joint covers.
    lead = OrganisationFactory(
        name="联合牵头单位", kind="social_organisation", region_id="440106002000"
    )
    for covered in (o["wushan"], o["linli"]):
        with pytest.raises(ValidationError) as refused:
            _create(tianhe, lead, is_joint=True, covered=[covered])
        assert "covered" in refused.value.message_dict
    assert not PartyOrganisation.objects.filter(host=lead).exists()


@pytest.mark.django_db
def test_only_inside_the_jurisdiction_and_a_station_only_for_itself(guangdong, make_member):
    tianhe, yingde, o = guangdong["tianhe"], guangdong["yingde"], guangdong["orgs"]
    with pytest.raises(ValidationError) as outside:
        _create(yingde, o["shuhua"])
    assert "host" in outside.value.message_dict
    lead = OrganisationFactory(kind="social_organisation", region_id="441881001000")
    with pytest.raises(ValidationError) as cover_outside:
        _create(yingde, lead, is_joint=True, covered=[o["shuhua"]])
    assert "covered" in cover_outside.value.message_dict
    station_worker = make_member("station_worker", "440106001000", kind="sw_station")
    own = station_worker.active_membership.organisation
    assert _create(station_worker, own).host == own
    with pytest.raises(ValidationError) as other:
        _create(station_worker, o["shuhua"])
    assert "host" in other.value.message_dict
    staff = make_member("org_staff", "440106000000", kind="sw_organisation")
    with pytest.raises(ValidationError):
        _create(staff, staff.active_membership.organisation)
    assert tianhe  # the county itself may register any of its organisations (above)


@pytest.mark.django_db
def test_every_change_is_in_the_history_and_the_audit_log(guangdong):
    tianhe, p, o = guangdong["tianhe"], guangdong["party"], guangdong["orgs"]
    joint = p["joint"]
    services.party_organisation_update(
        acting_user=tianhe, party_org=joint, name="启智联合党支部", kind="branch",
        established_on=joint.established_on, secretary="周静", members_count=8,
        covered=[o["linli"]],
    )  # fmt: skip
    joint.refresh_from_db()
    assert [h.secretary for h in joint.history.order_by("history_date")] == ["刘洋", "周静"]
    assert list(joint.coverage.values_list("organisation__name", flat=True)) == ["邻里互助会"]
    assert AuditLog.objects.filter(object_id=str(joint.pk)).count() >= 2
    with pytest.raises(ValidationError):
        services.party_organisation_update(
            acting_user=tianhe,
            party_org=p["shuhua"],
            name="x",
            kind="branch",
            established_on=date(2019, 6, 1),
            secretary="x",
            members_count=3,
        )  # fmt: skip  (dissolved: refused)


@pytest.mark.django_db
def test_guangdong_coverage_drills_down_to_stations_and_matches_a_hand_count(
    guangdong, django_assert_max_num_queries
):
    province = guangdong["province"]
    with django_assert_max_num_queries(12):
        top = selectors.coverage_rollup(fetched_by=province)
    guangzhou, qingyuan = _row(top, "4401"), _row(top, "4418")
    # 天河: 5 organisations to cover; own: 五山站, 启智 (hosts the joint branch); joint: 石牌站,
    # 邻里互助会; 书画协会's branch was dissolved. Both stations covered. One team, with a branch.
    assert (guangzhou.organisations, guangzhou.with_own, guangzhou.joint_covered) == (5, 2, 2)
    assert guangzhou.covered_share == pytest.approx(0.8)
    assert (guangzhou.stations, guangzhou.stations_covered, guangzhou.station_share) == (2, 2, 1.0)
    assert (guangzhou.teams, guangzhou.teams_with) == (1, 1)
    assert (guangzhou.party_organisations, guangzhou.members) == (3, 16)
    assert (guangzhou.party_workers, guangzhou.party_volunteers) == (2, 2)
    # 英德: 2 organisations, the agency covered; its station not.
    assert (qingyuan.organisations, qingyuan.covered, qingyuan.stations_covered) == (2, 1, 0)
    assert (qingyuan.party_workers, qingyuan.party_volunteers, qingyuan.members) == (1, 1, 6)
    assert (top.total.organisations, top.total.covered, top.total.stations) == (7, 5, 3)
    assert top.total.covered_share == pytest.approx(5 / 7)

    city = selectors.coverage_rollup(fetched_by=province, region_code=guangzhou.drill)
    tianhe_row = _row(city, "440106")
    assert (tianhe_row.organisations, tianhe_row.covered) == (5, 4)
    county = selectors.coverage_rollup(fetched_by=province, region_code=tianhe_row.drill)
    wushan, shipai = _row(county, "440106001"), _row(county, "440106002")
    assert (wushan.organisations, wushan.with_own, wushan.joint_covered) == (3, 2, 0)
    assert (shipai.organisations, shipai.with_own, shipai.joint_covered) == (2, 0, 2)
    township = selectors.coverage_rollup(fetched_by=province, region_code=wushan.drill)
    assert township.by_organisation
    by_name = {r.name: r for r in township.rows}
    assert (by_name["五山街道社工站"].stations_covered, by_name["五山街道社工站"].members) == (1, 4)
    qizhi = by_name["天河区启智社工服务中心"]
    assert (qizhi.with_own, qizhi.teams_with, qizhi.party_organisations, qizhi.members) == (
        1, 1, 2, 12,
    )  # fmt: skip
    assert by_name["书画协会"].covered == 0


@pytest.mark.django_db
def test_another_countys_register_is_invisible(guangdong, client, login):
    yingde, p = guangdong["yingde"], guangdong["party"]
    login(yingde)
    listing = client.get("/party/organisations/?active=all").content.decode()
    assert "英德市社工服务中心党支部" in listing and "五山" not in listing and "启智" not in listing
    joint = p["joint"]
    for url in (
        f"/party/organisations/{joint.pk}/",
        f"/party/organisations/{joint.pk}/edit/",
        "/party/coverage/?region=440106000000",
        "/party/coverage/export/?region=440106000000",
        f"/api/v1/party/organisations/{joint.pk}",
        "/api/v1/party/coverage?region=440106000000",
    ):
        assert client.get(url).status_code == 404, url
    api = client.get("/api/v1/party/organisations?active=all").json()
    assert [i["name"] for i in api["items"]] == ["英德市社工服务中心党支部"]
    change = {
        "name": "改名", "kind": "branch", "established_on": "2023-03-01", "secretary": "x",
        "members_count": 9, "covered_ids": [],
    }  # fmt: skip
    assert (
        client.put(
            f"/api/v1/party/organisations/{joint.pk}", change, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(f"/party/organisations/{joint.pk}/dissolve/", {"dissolved_on": "2026-01-01"}
                       ).status_code == 404  # fmt: skip
    joint.refresh_from_db()
    assert joint.name == "启智联合党支部" and joint.dissolved_on is None
    export = client.get("/party/coverage/export/")
    assert export.status_code == 200
    coverage = client.get("/api/v1/party/coverage").json()
    assert coverage["total"]["organisations"] == 2 and coverage["total"]["party_workers"] == 1


@pytest.mark.django_db
def test_the_api_registers_and_names_the_field_it_refuses(guangdong, client, login):
    tianhe, o = guangdong["tianhe"], guangdong["orgs"]
    login(tianhe)
    lead = OrganisationFactory(
        name="牵头社会组织", kind="social_organisation", region_id="440106002000"
    )
    small = OrganisationFactory(name="小协会", kind="social_organisation", region_id="440106002000")
    payload = {
        "name": "石牌联合党支部", "kind": "branch", "host_id": lead.pk, "is_joint": True,
        "established_on": "2025-05-04", "secretary": "孙丽", "members_count": 6,
        "covered_ids": [small.pk],
    }  # fmt: skip
    made = client.post("/api/v1/party/organisations", payload, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["covered_ids"] == [small.pk]
    outside = payload | {"host_id": small.pk, "is_joint": True, "covered_ids": [o["yingcheng"].pk]}
    refused = client.post("/api/v1/party/organisations", outside, content_type="application/json")
    assert refused.status_code == 422 and "covered_ids" in refused.content.decode()
    few = payload | {"host_id": small.pk, "is_joint": False, "covered_ids": [], "members_count": 2}
    refused = client.post("/api/v1/party/organisations", few, content_type="application/json")
    assert refused.status_code == 422 and "members_count" in refused.content.decode()


@pytest.mark.django_db
def test_the_pages_register_change_and_dissolve(guangdong, client, login):
    tianhe, o = guangdong["tianhe"], guangdong["orgs"]
    login(tianhe)
    form = client.get("/party/organisations/new/")
    assert form.status_code == 200
    posted = client.post(
        "/party/organisations/new/",
        {"name": "石牌街道社工站党支部", "kind": "branch", "host": o["linli"].pk,
         "established_on": "2025-01-01", "secretary": "吴强", "members_count": "2"},
    )  # fmt: skip
    assert posted.status_code == 200 and "3人以上" in posted.content.decode()
    posted = client.post(
        "/party/organisations/new/",
        {"name": "书画协会党支部（重建）", "kind": "branch", "host": o["shuhua"].pk,
         "established_on": "2026-03-01", "secretary": "吴强", "members_count": "3"},
    )  # fmt: skip
    made = PartyOrganisation.objects.get(name="书画协会党支部（重建）")
    assert posted.status_code == 302 and posted["Location"] == made.get_absolute_url()
    page = client.get(made.get_absolute_url()).content.decode()
    assert "吴强" in page and "书画协会" in page
    refused = client.post(
        f"/party/organisations/{made.pk}/dissolve/", {"dissolved_on": "2026-02-01"}, follow=True
    )  # before it was established: the refusal reaches the user
    assert "撤销日期应在成立日期与今天之间" in refused.content.decode()
    made.refresh_from_db()
    assert made.dissolved_on is None
    client.post(f"/party/organisations/{made.pk}/dissolve/", {"dissolved_on": "2026-06-30"})
    made.refresh_from_db()
    assert made.dissolved_on == date(2026, 6, 30)
    coverage = client.get("/party/coverage/").content.decode()
    assert 'data-testid="coverage-table"' in coverage and "五山街道" in coverage

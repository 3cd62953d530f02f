from datetime import date

import pytest

from shegong.party import services
from shegong.volunteers.models import Team
from tests.careers.factories import make_worker
from tests.factories import OrganisationFactory
from tests.volunteers.helpers import make_volunteer

WUSHAN = "440106001000"  # 五山街道, 天河区
SHIPAI = "440106002000"  # 石牌街道, 天河区
YINGCHENG = "441881001000"  # 英城街道, 英德市


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def guangdong(make_member):
    """Guangdong's organisations and party organisations, counted by hand in the tests:

    天河区 (440106): 五山站 (own branch), 石牌站 (covered by the agency's joint branch),
    启智社工中心 (hosts the joint branch), 邻里互助会 (covered by it), 书画协会 (nothing);
    a party-member volunteer team of 启智 with its own branch; a dissolved branch at 书画协会.
    英德市 (441881): 英城站 (nothing), 英德社工中心 (own branch).
    Party members: 2 workers in Tianhe (one left: not counted), 1 in Yingde; 2 volunteers in
    Tianhe, 1 in Yingde.
    """
    province = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
    tianhe = make_member("dept_leader", "440106000000", name="天河区委社会工作部")
    yingde = make_member("dept_leader", "441881000000", name="英德市委社会工作部")
    o = {
        "wushan": OrganisationFactory(name="五山街道社工站", kind="sw_station", region_id=WUSHAN),
        "shipai": OrganisationFactory(name="石牌街道社工站", kind="sw_station", region_id=SHIPAI),
        "qizhi": OrganisationFactory(
            name="天河区启智社工服务中心", kind="sw_organisation", region_id=WUSHAN
        ),
        "linli": OrganisationFactory(
            name="邻里互助会", kind="social_organisation", region_id=SHIPAI
        ),
        "shuhua": OrganisationFactory(
            name="书画协会", kind="social_organisation", region_id=WUSHAN
        ),
        "yingcheng": OrganisationFactory(
            name="英城街道社工站", kind="sw_station", region_id=YINGCHENG
        ),
        "yingde_agency": OrganisationFactory(
            name="英德市社工服务中心", kind="sw_organisation", region_id=YINGCHENG
        ),
    }
    team = Team.objects.create(
        name="启智党员志愿服务队", kind="party", organisation=o["qizhi"], region_id=WUSHAN
    )
    p = {
        "wushan": services.party_organisation_create(
            acting_user=tianhe, name="五山街道社工站党支部", kind="branch", host=o["wushan"],
            established_on=date(2022, 7, 1), secretary="李红", members_count=4,
        ),
        "joint": services.party_organisation_create(
            acting_user=tianhe, name="启智联合党支部", kind="branch", host=o["qizhi"],
            is_joint=True, covered=[o["shipai"], o["linli"]], established_on=date(2023, 3, 1),
            secretary="刘洋", members_count=7,
        ),
        "team": services.party_organisation_create(
            acting_user=tianhe, name="启智党员志愿服务队党小组支部", kind="branch",
            host=o["qizhi"], team=team, established_on=date(2024, 1, 5), secretary="陈志强",
            members_count=5,
        ),
        "shuhua": services.party_organisation_create(
            acting_user=tianhe, name="书画协会党支部", kind="branch", host=o["shuhua"],
            established_on=date(2019, 6, 1), secretary="赵敏", members_count=3,
        ),
        "yingde": services.party_organisation_create(
            acting_user=yingde, name="英德市社工服务中心党支部", kind="branch",
            host=o["yingde_agency"], established_on=date(2021, 9, 1), secretary="黄军",
            members_count=6,
        ),
    }  # fmt: skip
    services.party_organisation_dissolve(
        acting_user=tianhe, party_org=p["shuhua"], dissolved_on=date(2025, 12, 31)
    )
    make_worker(o["wushan"], name="甲", party_member=True)
    make_worker(o["qizhi"], name="乙", party_member=True)
    make_worker(o["qizhi"], name="丙", party_member=True, status="left", left_on=date(2026, 1, 5))
    make_worker(o["shipai"], name="丁")
    make_worker(o["yingcheng"], name="戊", party_member=True)
    make_volunteer(region="440106001001", party=True)
    make_volunteer(region="440106002008", party=True)
    make_volunteer(region="440106002008")
    make_volunteer(region="441881001001", party=True)
    return {"province": province, "tianhe": tianhe, "yingde": yingde, "orgs": o, "party": p}

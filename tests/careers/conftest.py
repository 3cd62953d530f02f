from datetime import date

import pytest

from shegong.careers import services
from shegong.orgs.models import StaffingStandard
from tests.careers.factories import make_worker
from tests.factories import OrganisationFactory

STATION_TOWNSHIP = "440106001000"  # 五山街道, 天河区
YINGDE_TOWNSHIP = "441881001000"  # 英城街道, 英德市


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def guangdong(make_member):
    """Guangdong's workforce for the staffing roll-up: Tianhe's two stations and an agency,
    Yingde's station; eight workers (two left in 2026, one joined), two pay rows."""
    StaffingStandard.objects.update_or_create(
        region_code="440000000000",
        defaults={"workers_per_station": 3, "document_title": "广东省社工站建设标准"},
    )
    province = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
    tianhe = make_member("dept_leader", "440106000000", name="天河区委社会工作部")
    yingde = make_member("dept_leader", "441881000000", name="英德市委社会工作部")
    wushan = OrganisationFactory(
        name="五山街道社工站", kind="sw_station", region_id=STATION_TOWNSHIP
    )
    shipai = OrganisationFactory(name="石牌街道社工站", kind="sw_station", region_id="440106002000")
    agency = OrganisationFactory(
        name="天河区启智社工服务中心", kind="sw_organisation", region_id="440106000000"
    )
    yingcheng = OrganisationFactory(
        name="英城街道社工站", kind="sw_station", region_id=YINGDE_TOWNSHIP
    )
    w = {
        "a": make_worker(wushan, name="甲", certified="assistant"),
        "b": make_worker(wushan, name="乙"),
        "c": make_worker(
            wushan, name="丙", status="left", left_on=date(2026, 5, 1), leave_reason="薪酬偏低"
        ),
        "d": make_worker(shipai, name="丁", post_start_date=date(2026, 4, 1)),
        "e": make_worker(agency, name="戊", certified="social_worker"),
        "f": make_worker(yingcheng, name="己"),
        "g": make_worker(yingcheng, name="庚", certified="assistant"),
        "h": make_worker(
            yingcheng, name="辛", status="left", left_on=date(2026, 8, 1), leave_reason="家庭原因"
        ),
    }
    services.pay_guidance_set(acting_user=province, year=2026, monthly_yuan=5000)
    services.worker_pay_set(acting_user=province, worker=w["a"], year=2026, monthly_yuan=4500)
    services.worker_pay_set(acting_user=province, worker=w["f"], year=2026, monthly_yuan=6000)
    return province, tianhe, yingde, w

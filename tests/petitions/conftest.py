import pytest

from shegong.petitions import services
from shegong.petitions.models import Category

TIANHE_STREET = "440106001000"  # 五山街道
TIANHE_COMMUNITY = "440106001001"  # 岳洲社区居委会
YINGDE_STREET = "441881001000"  # 英城街道


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def hr_dept(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(
        name="天河区人力资源和社会保障局",
        kind="gov_department",
        sector="human_resources",
        region_id="440106000000",
    )


@pytest.fixture
def hr_user(hr_dept):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(organisation=hr_dept, role="org_staff")
    user = membership.user
    user.active_membership = membership
    return user


@pytest.fixture
def county_leader(make_member):
    return make_member("dept_leader", "440106000000", name="天河区委社会工作部（领导）")


@pytest.fixture
def city_user(make_member):
    return make_member("dept_staff", "440100000000", name="广州市委社会工作部")


@pytest.fixture
def wages():
    return Category.objects.get(code="labour.wages")


@pytest.fixture
def register(db, county_user, wages):
    """`register(**overrides)` → a matter registered by 天河区 staff (unpaid wages, 五山街道)."""

    def do(**overrides):
        data = {
            "acting_user": county_user,
            "kind": "complaint",
            "channel": "visit",
            "region_code": TIANHE_STREET,
            "category": wages,
            "title": "工地拖欠农民工工资",
            "request": "请求督促某建筑公司支付拖欠的三个月工资共计四万五千元",
            "petitioners": [{"name": "张建国", "phone": "13800138000"}],
        }
        data.update(overrides)
        return services.matter_register(**data)

    return do

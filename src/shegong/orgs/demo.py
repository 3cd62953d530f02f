"""Demo organisations: departments at every level, stations in two demo counties, sites,
social work organisations, government departments and committees."""

from __future__ import annotations

from django.db.models import Q

from shegong.core.demo_utils import chinese_name, credit_code, mobile, rng
from shegong.core.regioncode import RegionCode
from shegong.orgs.models import Kind, Organisation, Sector
from shegong.regions.models import Level, Region

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

PROVINCE = "440000000000"
CITY = "440100000000"  # 广州市
DEMO_COUNTIES = ("440106000000", "441881000000")  # 天河区（城区）, 英德市（农村）
OTHER_PROVINCE_COUNTY = "522722000000"  # 贵州省黔南州荔波县（与广州东西部协作）

GOV_DEPARTMENTS = [
    (Sector.CIVIL_AFFAIRS, "民政局"),
    (Sector.HUMAN_RESOURCES, "人力资源和社会保障局"),
    (Sector.JUSTICE, "司法局"),
    (Sector.HOUSING, "住房和城乡建设局"),
    (Sector.HEALTH, "卫生健康局"),
    (Sector.EDUCATION, "教育局"),
    (Sector.PUBLIC_SECURITY, "公安分局"),
    (Sector.PETITION_BUREAU, "信访局"),
    (Sector.NATURAL_RESOURCES, "自然资源局"),
    (Sector.MARKET_REGULATION, "市场监督管理局"),
]
SITE_SERVICES = "政策咨询\n困难群众帮扶\n长者关爱探访\n儿童关爱服务\n矛盾纠纷调解\n志愿服务"


def ensure(name: str, kind: str, region_code: str, **fields) -> Organisation:
    org = Organisation.objects.filter(name=name, region_id=region_code, kind=kind).first()
    if org is None:
        org = Organisation(name=name, kind=kind, region_id=region_code, **fields)
        org._history_user = None
        org.save()
    return org


def department_name(region: Region) -> str:
    if region.level == Level.NATION:
        return "中央社会工作部"
    if region.level == Level.PROVINCE:
        return f"中共{region.name}委员会社会工作部"
    return f"中共{region.full_name}委员会社会工作部"


def load(*, stdout) -> None:
    r = rng("orgs")
    nation = Region.objects.get(code="000000000000")
    central = ensure(
        department_name(nation),
        Kind.SOCIAL_WORK_DEPARTMENT,
        nation.code,
        address="北京市西城区",
        phone="010-12345",
    )
    province = Region.objects.get(code=PROVINCE)
    gd = ensure(
        department_name(province),
        Kind.SOCIAL_WORK_DEPARTMENT,
        PROVINCE,
        parent=central,
        address="广州市越秀区",
        phone="020-83000000",
    )
    cities = {}
    for city in Region.objects.filter(parent_id=PROVINCE, level=Level.PREFECTURE).order_by("code"):
        cities[city.code] = ensure(
            department_name(city),
            Kind.SOCIAL_WORK_DEPARTMENT,
            city.code,
            parent=gd,
            phone=f"0{r.randint(660, 769)}-{r.randint(2000000, 8999999)}",
        )
    other_county = Region.objects.filter(code=OTHER_PROVINCE_COUNTY).first()
    if other_county is not None:
        other_prov = Region.objects.get(code=RegionCode.from_prefix(OTHER_PROVINCE_COUNTY[:2]))
        gz_dept = ensure(
            department_name(other_prov),
            Kind.SOCIAL_WORK_DEPARTMENT,
            other_prov.code,
            parent=central,
        )
        other_city = Region.objects.get(code=RegionCode.from_prefix(OTHER_PROVINCE_COUNTY[:4]))
        city_dept = ensure(
            department_name(other_city),
            Kind.SOCIAL_WORK_DEPARTMENT,
            other_city.code,
            parent=gz_dept,
        )
        ensure(
            department_name(other_county),
            Kind.SOCIAL_WORK_DEPARTMENT,
            other_county.code,
            parent=city_dept,
            address=f"{other_county.full_name}人民政府大院",
            phone="0854-3612345",
        )
    for county_code in DEMO_COUNTIES:
        county = Region.objects.get(code=county_code)
        city_dept = cities.get(RegionCode.from_prefix(county_code[:4]), gd)
        dept = ensure(
            department_name(county),
            Kind.SOCIAL_WORK_DEPARTMENT,
            county.code,
            parent=city_dept,
            address=f"{county.full_name}行政服务中心",
            phone=f"020-{r.randint(30000000, 39999999)}",
        )
        for sector, suffix in GOV_DEPARTMENTS:
            ensure(
                f"{county.name}{suffix}",
                Kind.GOVERNMENT_DEPARTMENT,
                county.code,
                sector=sector,
                phone=f"020-{r.randint(30000000, 39999999)}",
                address=f"{county.full_name}",
            )
        ensure(f"{county.name}人民调解委员会", Kind.MEDIATION_COMMITTEE, county.code, parent=dept)
        for i in range(3):
            name = f"{county.name}{['同心', '启智', '康乐', '和美', '阳光'][(i + len(county.name)) % 5]}社会工作服务中心"
            if not Organisation.objects.filter(name=name).exists():
                ensure(
                    name,
                    Kind.SOCIAL_WORK_ORGANISATION,
                    county.code,
                    parent=dept,
                    credit_code=credit_code(r, county.code),
                    contact_person=chinese_name(r),
                    phone=mobile(r),
                    address=f"{county.full_name}{r.randint(1, 300)}号",
                    services="个案管理\n小组工作\n社区发展\n长者服务\n青少年服务",
                )
        townships = Region.objects.filter(parent_id=county.code, level=Level.TOWNSHIP).order_by(
            "code"
        )
        for t_index, township in enumerate(townships):
            lat = (
                23.1 + (t_index % 7) * 0.02
                if county_code.startswith("4401")
                else 24.2 + (t_index % 7) * 0.05
            )
            lon = (
                113.3 + (t_index // 7) * 0.02
                if county_code.startswith("4401")
                else 113.4 + (t_index // 7) * 0.05
            )
            ensure(
                f"{township.name}社会工作服务站",
                Kind.SOCIAL_WORK_STATION,
                township.code,
                parent=dept,
                address=f"{county.full_name}{township.name}综合服务中心二楼",
                phone=mobile(r),
                contact_person=chinese_name(r),
                opening_hours="周一至周五 8:30–12:00，14:00–17:30",
                services=SITE_SERVICES,
                latitude=round(lat, 6),
                longitude=round(lon, 6),
            )
            ensure(
                f"{township.name}党群服务中心",
                Kind.PARTY_MASS_CENTRE,
                township.code,
                parent=dept,
                address=f"{county.full_name}{township.name}",
                phone=mobile(r),
                opening_hours="周一至周日 9:00–21:00",
                services="党员活动\n政务服务\n志愿服务\n文体活动",
                latitude=round(lat + 0.003, 6),
                longitude=round(lon + 0.003, 6),
            )
            if t_index < 2:
                villages = Region.objects.filter(parent_id=township.code).order_by("code")[:12]
                for village in villages:
                    kind = (
                        Kind.RESIDENTS_COMMITTEE
                        if village.name.endswith(("社区居委会", "居委会"))
                        else Kind.VILLAGERS_COMMITTEE
                    )
                    ensure(
                        village.name,
                        kind,
                        village.code,
                        address=f"{township.name}{village.name}",
                        phone=mobile(r),
                    )
    stdout.write(
        f"  组织：{Organisation.objects.filter(Q(region__code__startswith='44') | Q(region_id='000000000000')).count()} 个"
    )

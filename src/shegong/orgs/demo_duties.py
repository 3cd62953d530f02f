"""Demo duty lists (职责清单) of Tianhe: the county's social work department (two versions: the
second adds petition work), a township station (the whole station's and the station social
worker's post), the civil affairs bureau and the human resources bureau (so that the demo's
unpaid-wages matter is suggested to it when routed). Bases are the real legal sources."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from shegong.orgs.models import DutyList, Kind, Organisation, Sector
from shegong.orgs.services.duties import duty_list_publish_as_system

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

TIANHE = "440106000000"
SHANGHAI_TZ = ZoneInfo("Asia/Shanghai")

STATIONS = {
    "title": "统筹指导全区乡镇（街道）社会工作服务站建设和运营",
    "basis": "广东省民政厅《关于加快推进我省乡镇（街道）社工服务站建设的通知》"
    "（粤民函〔2017〕43号）：每站每年15万元、配备3名社会工作者",
    "description": "制定站点建设计划，督促落实场地、经费和人员，开展年度评估。",
    "keywords": "社工站、社会工作服务站、站点建设、双百工程",
}
WORKFORCE = {
    "title": "社会工作专业人才队伍建设，组织社会工作者职业水平评价报考、登记和继续教育",
    "basis": "《社会工作者职业水平评价暂行规定》（国人部发〔2006〕71号）",
    "description": "组织助理社会工作师、社会工作师考试报名审核，办理登记，督促完成继续教育学时。",
    "keywords": "社会工作者、社工证、职业水平、继续教育、登记",
}
VOLUNTEERS = {
    "title": "统筹协调志愿服务工作，指导志愿者注册和服务记录",
    "basis": "《志愿服务条例》（2017年）第七条；《志愿服务记录与证明出具办法》（2020年）",
    "keywords": "志愿者、志愿服务、服务时长、志愿服务证明",
}
PETITIONS = {
    "title": "统筹信访工作：登记、交办和督办信访事项",
    "basis": "《信访工作条例》第二十二条、第四十条",
    "description": "收到信访事项15日内登记转送、交办；对推诿、敷衍、拖延的承办单位督办。",
    "keywords": "信访、投诉、督办、交办",
}
MEDIATION = {
    "title": "指导矛盾纠纷排查化解和基层治理",
    "basis": "《中华人民共和国人民调解法》第十七条、第二十六条",
    "keywords": "矛盾纠纷、基层治理、排查",
}

STATION_ITEMS = [
    {
        "title": "特殊困难老年人探访关爱",
        "basis": "民政部等九部门《关于开展特殊困难老年人探访关爱服务的指导意见》（2022年）",
        "description": "对独居、空巢、留守、失能老年人按风险等级定期探访，2025年底月探访率100%。",
        "keywords": "探访、独居、空巢、留守老人、失能",
    },
    {
        "title": "困难群众政策咨询和救助申请协助",
        "basis": "《社会救助暂行办法》第十一条",
        "description": "协助困难群众向街道提出低保、特困等救助申请，跟进办理结果。",
        "keywords": "政策咨询、救助申请、困难群众",
    },
    {
        "title": "留守儿童和困境儿童关爱服务",
        "basis": "民政部等十部门《关于进一步健全农村留守儿童和困境儿童关爱服务体系的意见》"
        "（民发〔2019〕34号）",
        "keywords": "留守儿童、困境儿童、儿童关爱",
    },
    {
        "title": "组织社区志愿服务，协助排查邻里矛盾纠纷",
        "basis": "《志愿服务条例》（2017年）；《中华人民共和国人民调解法》第十七条",
        "keywords": "邻里纠纷、社区志愿服务",
    },
]
STATION_WORKER_ITEMS = [
    {
        "title": "建立服务对象档案，按计划开展个案、小组和社区工作",
        "basis": "《社会工作者职业水平评价暂行规定》（国人部发〔2006〕71号）",
        "keywords": "个案、小组工作、服务档案",
    },
    {
        "title": "按期完成继续教育学时并办理登记延续",
        "basis": "社会工作者每3年登记一次，继续教育：助理社会工作师不少于72学时，"
        "社会工作师不少于90学时",
        "keywords": "继续教育、登记延续",
    },
]
CIVIL_AFFAIRS_ITEMS = [
    {
        "title": "城乡最低生活保障审核确认和低保金发放",
        "basis": "《社会救助暂行办法》（国务院令第649号）第二章 最低生活保障",
        "keywords": "低保、最低生活保障、低保金",
    },
    {
        "title": "特困人员认定和供养",
        "basis": "《社会救助暂行办法》第三章 特困人员供养",
        "keywords": "特困、供养、五保",
    },
    {
        "title": "临时救助，急难型救助先行",
        "basis": "《社会救助暂行办法》第九章 临时救助",
        "keywords": "临时救助、急难、突发困难",
    },
    {
        "title": "养老服务和老年人权益保障",
        "basis": "《中华人民共和国老年人权益保障法》",
        "keywords": "养老、养老院、老年人、高龄津贴",
    },
    {
        "title": "社会组织登记和监督管理",
        "basis": "《社会团体登记管理条例》；《民办非企业单位登记管理暂行条例》",
        "keywords": "社会组织登记、社会团体、民办非企业",
    },
    {
        "title": "婚姻登记",
        "basis": "《婚姻登记条例》",
        "keywords": "婚姻登记、结婚登记、离婚登记",
    },
    {
        "title": "殡葬管理和服务",
        "basis": "《殡葬管理条例》",
        "keywords": "殡葬、墓地、骨灰",
    },
]
HUMAN_RESOURCES_ITEMS = [
    {
        "title": "根治拖欠农民工工资，查处欠薪违法行为",
        "basis": "《保障农民工工资支付条例》（国务院令第724号）",
        "keywords": "拖欠、欠薪、农民工工资、工资",
    },
    {
        "title": "劳动人事争议调解仲裁",
        "basis": "《中华人民共和国劳动争议调解仲裁法》",
        "keywords": "劳动争议、劳动仲裁、劳动合同",
    },
]


def _on(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=SHANGHAI_TZ)


def _seed(org: Organisation | None, versions: list[tuple], *, role: str = "") -> int:
    """Publish each (items, note, date) in turn, unless the unit already has a list."""
    if org is None or DutyList.objects.filter(organisation=org, role=role).exists():
        return 0
    for items, note, at in versions:
        duty_list_publish_as_system(
            acting_user=None, organisation=org, items=items, role=role, note=note, at=at
        )
    return len(versions)


def load(*, stdout) -> None:
    units = Organisation.objects.filter(region_id=TIANHE, is_active=True).order_by("id")
    department = units.filter(kind=Kind.SOCIAL_WORK_DEPARTMENT).first()
    civil = units.filter(kind=Kind.GOVERNMENT_DEPARTMENT, sector=Sector.CIVIL_AFFAIRS).first()
    hr = units.filter(kind=Kind.GOVERNMENT_DEPARTMENT, sector=Sector.HUMAN_RESOURCES).first()
    station = (
        Organisation.objects.filter(
            kind=Kind.SOCIAL_WORK_STATION, region__code__startswith="440106"
        )
        .order_by("region_id", "id")
        .first()
    )
    published = _seed(
        department,
        [
            ([STATIONS, WORKFORCE, VOLUNTEERS], "首次发布", _on(2025, 3, 1)),
            (
                [STATIONS, WORKFORCE, PETITIONS, VOLUNTEERS, MEDIATION],
                "机构改革后增加信访工作和矛盾纠纷化解职责",
                _on(2026, 9, 1),
            ),
        ],
    )
    published += _seed(station, [(STATION_ITEMS, "首次发布", _on(2026, 4, 15))])
    published += _seed(
        station, [(STATION_WORKER_ITEMS, "岗位职责", _on(2026, 4, 15))], role="station_worker"
    )
    published += _seed(civil, [(CIVIL_AFFAIRS_ITEMS, "首次发布", _on(2026, 1, 10))])
    published += _seed(hr, [(HUMAN_RESOURCES_ITEMS, "首次发布", _on(2026, 2, 20))])
    stdout.write(f"  职责清单：{published} 个版本")

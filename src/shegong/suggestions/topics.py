"""The declared topics of the public's suggestions (意见箱话题): data, each with the keywords that
suggest it. The keywords also enter the word-segmentation dictionary (`grouping`), so that
"长者饭堂" or "充电桩" is one word and weighs as one. Order matters only for display."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    keywords: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "elderly",
        _("养老服务"),
        (
            "养老", "老人", "老年人", "长者", "长者饭堂", "助餐", "老年食堂", "日间照料",
            "居家养老", "适老化", "独居老人", "空巢老人", "高龄", "养老院", "敬老院", "助浴",
            "老年大学", "护理", "失能", "长者中心", "老年活动", "养老服务",
        ),
    ),
    Topic(
        "children",
        _("儿童关爱"),
        (
            "儿童", "孩子", "小孩", "留守儿童", "托管", "托育", "四点半课堂", "未成年人",
            "放学", "课后", "儿童之家", "青少年", "幼儿", "小朋友", "儿童游乐", "学生",
            "儿童关爱", "暑假", "寒假",
        ),
    ),
    Topic(
        "disability",
        _("助残"),
        (
            "残疾", "残疾人", "轮椅", "无障碍", "盲道", "康复", "助残", "残联", "智障",
            "听障", "视障", "残疾证", "无障碍通道", "坡道", "康复训练", "重度残疾",
        ),
    ),
    Topic(
        "environment",
        _("社区环境"),
        (
            "垃圾", "卫生", "绿化", "噪音", "污水", "臭味", "蚊虫", "路灯", "积水",
            "下水道", "环境", "垃圾桶", "清运", "公厕", "垃圾分类", "排水", "树木", "杂物",
            "扰民", "油烟", "环境卫生", "臭气",
        ),
    ),
    Topic(
        "parking",
        _("停车"),
        (
            "停车", "车位", "停车场", "乱停", "乱停车", "违停", "充电桩", "停车费",
            "停车难", "占道", "停车位", "电动车充电", "挪车", "机动车", "非机动车",
        ),
    ),
    Topic(
        "property",
        _("物业"),
        (
            "物业", "物业费", "电梯", "保安", "业委会", "维修基金", "漏水", "门禁",
            "物业公司", "物业管理", "业主", "楼道", "加装电梯", "水电", "停水", "停电",
        ),
    ),
    Topic(
        "employment",
        _("就业"),
        (
            "就业", "招聘", "岗位", "失业", "职业培训", "技能培训", "找工作", "技能",
            "创业", "零工", "灵活就业", "用工", "就业服务", "招聘会", "工作岗位", "再就业",
        ),
    ),
    Topic(
        "medical",
        _("医疗"),
        (
            "医疗", "看病", "医院", "卫生站", "社康", "社区卫生服务中心", "医生", "药品",
            "体检", "家庭医生", "医保", "门诊", "挂号", "疫苗", "买药", "卫生院", "就医",
        ),
    ),
    Topic(
        "volunteering",
        _("志愿服务"),
        (
            "志愿者", "志愿服务", "义工", "志愿", "服务时长", "志愿活动", "志愿队",
            "时间银行", "党员志愿者",
        ),
    ),
    Topic(
        "efficiency",
        _("办事效率"),
        (
            "办事", "窗口", "排队", "审批", "材料", "证明", "跑腿", "效率", "网上办",
            "服务态度", "办事大厅", "政务服务", "一次办", "来回跑", "手续", "盖章",
        ),
    ),
    Topic(
        "assistance",
        _("社会救助"),
        (
            "低保", "救助", "临时救助", "困难群众", "补贴", "特困", "低收入", "救助金",
            "生活困难", "高龄津贴", "补助",
        ),
    ),
    Topic(
        "culture",
        _("文体活动"),
        (
            "活动室", "文化", "广场舞", "健身", "图书", "图书室", "健身器材", "文体",
            "球场", "运动", "阅览室", "文艺",
        ),
    ),
)  # fmt: skip

BY_CODE = {t.code: t for t in TOPICS}
CHOICES = [(t.code, t.label) for t in TOPICS]


def label_of(code: str) -> str:
    topic = BY_CODE.get(code)
    return str(topic.label) if topic else ""

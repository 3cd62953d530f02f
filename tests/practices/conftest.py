"""A Guangdong chain (天河区 → 广州市 → 广东省 → 中央), Guizhou's (荔波县, 贵州省), and 英德市 (a
county of Guangdong outside Tianhe): one department member each."""

from __future__ import annotations

from datetime import date

import pytest

UNITS = {
    "tianhe": ("440106000000", "天河区委社会工作部"),
    "guangzhou": ("440100000000", "广州市委社会工作部"),
    "guangdong": ("440000000000", "广东省委社会工作部"),
    "central": ("000000000000", "中央社会工作部"),
    "yingde": ("441881000000", "英德市委社会工作部"),
    "libo": ("522722000000", "荔波县委社会工作部"),
    "guizhou": ("520000000000", "贵州省委社会工作部"),
}

REVIEW_NOTE = "广州内部意见：经费测算偏乐观"
PROVINCE_NOTE = "广东内部意见：暂不宜列为全省示范"
LIBO_NOTES = "荔波内部备注：补贴需与协作资金衔接"
LIBO_RESULTS = "两个乡镇试点，留守老人探访率由六成提高到九成"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def users(make_member):
    return {
        key: make_member("dept_leader", code, kind="sw_department", name=name)
        for key, (code, name) in UNITS.items()
    }


def draft(user, **extra):
    from shegong.practices import services

    data = {
        "title": "社工站+网格员独居长者探访一体化",
        "topic": "elderly",
        "problem": "独居长者底数不清",
        "actions": "社工站为枢纽，网格员发现、社工评估",
        "results": "探访全覆盖",
        "figures": [{"label": "探访覆盖率", "value": "100", "unit": "%"}],
        **extra,
    }
    return services.practice_create(acting_user=user, **data)


@pytest.fixture
def spread(users):
    """Tianhe's practice recommended by Guangzhou, upward by Guangdong to the centre, and
    adapted by Libo with results and private notes."""
    from shegong.practices import services

    practice = draft(users["tianhe"])
    services.practice_submit(practice=practice, acting_user=users["tianhe"])
    services.practice_recommend(practice=practice, acting_user=users["guangzhou"], note=REVIEW_NOTE)
    services.practice_escalate(practice=practice, acting_user=users["guangzhou"])
    services.practice_recommend(
        practice=practice, acting_user=users["guangdong"], note=PROVINCE_NOTE
    )
    services.practice_escalate(practice=practice, acting_user=users["guangdong"])
    services.practice_recommend(practice=practice, acting_user=users["central"])
    services.adoption_record(
        acting_user=users["libo"],
        practice=practice,
        kind="adapted",
        adopted_on=date(2026, 10, 1),
        results=LIBO_RESULTS,
        private_notes=LIBO_NOTES,
    )
    practice.refresh_from_db()
    return practice

"""A demo model practice: Tianhe's "one-stop elder care visits" submitted to Guangzhou,
recommended into the library and upward to Guangdong and the centre, then adopted (adapted) by
Libo in Guizhou with its results and private notes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from shegong.core.demo_utils import demo_user

SEEDING = "Seeds the demo data as the system (make demo); it answers no user's request."


def load(*, stdout) -> None:
    from shegong.practices import services
    from shegong.practices.models import Practice

    if Practice.objects.unscoped(reason=SEEDING).exists():
        return
    users = {
        name: demo_user(name) for name in ("tianhe", "guangzhou", "guangdong", "central", "libo")
    }
    if any(user is None for user in users.values()):
        return
    practice = services.practice_create(
        acting_user=users["tianhe"],
        title="“社工站+网格员”独居长者探访一体化",
        topic="elderly",
        problem="独居长者底数不清、探访责任分散，网格员和社工各自上门，长者重复登记、需求没有闭环。",
        actions="以社工站为枢纽，网格员发现、社工评估、志愿者常态探访；探访计划和记录统一在平台登记，"
        "发现风险当天转介并跟踪到办结。",
        results="一年内实现辖区独居长者探访全覆盖，风险发现到处置平均时间明显缩短。",
        figures=[
            {"label": "独居长者探访覆盖率", "value": Decimal("100"), "unit": "%"},
            {"label": "风险转介平均办结天数", "value": Decimal("3.5"), "unit": "天"},
        ],
    )
    services.practice_submit(
        practice=practice, acting_user=users["tianhe"], note="请市委社会工作部审核"
    )
    services.practice_recommend(
        practice=practice, acting_user=users["guangzhou"], note="在全市推广；建议补充经费测算。"
    )
    services.practice_escalate(practice=practice, acting_user=users["guangzhou"])
    services.practice_recommend(
        practice=practice, acting_user=users["guangdong"], note="省内推广，列入年度案例汇编。"
    )
    services.practice_escalate(practice=practice, acting_user=users["guangdong"])
    services.practice_recommend(
        practice=practice, acting_user=users["central"], note="作为东西部协作交流案例。"
    )
    services.adoption_record(
        acting_user=users["libo"],
        practice=practice,
        kind="adapted",
        adopted_on=timezone.localdate() - timedelta(days=60),
        results="结合山区实际，由村级服务站代替网格员发现；两个乡镇试点，留守老人探访率由六成提高到九成。",
        private_notes="试点乡镇交通不便，探访补贴需与东西部协作资金衔接；暂不宜全县铺开。",
    )
    stdout.write("practices: 1 (recommended to the centre, adopted by Libo)\n")

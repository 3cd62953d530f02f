"""Duty-list benchmark: "whose duty is it" (`orgs.selectors.duty_holders`) over every unit of the
loaded regions, each with a published list (never run by the test suite).

    DATABASE_URL=sqlite:////tmp/bench_duties.sqlite3 .venv/bin/python -m bench.bench_duties --generate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_duties .venv/bin/python -m bench.bench_duties --generate

The database must be migrated with the regions loaded (`shegong migrate`, `shegong regions
load`). `--generate` creates, set-based, ten government departments in every county and a
station in every township (if there are none yet), each with a published list of 8 items of
3 keywords, and the keyword rows; then times duty_holders for a county, a province and the
nation with a matter-length text and a short search, and prints the figures and the plan.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

WORDS = [
    "低保", "特困", "临时救助", "养老", "殡葬", "婚姻登记", "社会组织", "欠薪", "农民工工资",
    "劳动争议", "社保", "医保", "就业", "噪音", "违建", "物业", "燃气", "供水", "停车", "垃圾",
    "学位", "校车", "食品安全", "消费纠纷", "假冒", "污染", "噪声扰民", "邻里纠纷", "宅基地",
    "土地承包", "征地补偿", "拆迁", "户籍", "治安", "诈骗", "交通", "公交", "道路破损", "路灯",
    "残疾人", "残疾证", "妇女权益", "家暴", "留守儿童", "困境儿童", "探访", "独居", "空巢",
    "志愿服务", "社工站", "信访", "督办", "疫苗", "医疗纠纷", "药品", "房屋安全", "电梯", "渣土",
]  # fmt: skip
TEXT = (
    "居民反映小区电梯长期故障无人维修，物业推诿，独居老人出行困难，"
    "多次拨打热线未果，请求督促物业公司尽快维修并追究责任。"
)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()


def generate() -> dict:
    from django.db import transaction

    from shegong.orgs.models import DutyItem, DutyKeyword, DutyList, Organisation
    from shegong.regions.models import Region

    started = time.perf_counter()
    rng = random.Random(14)
    if not Organisation.objects.unscoped(reason="bench").filter(name__startswith="BENCH").exists():
        counties = list(Region.objects.filter(level=3).values_list("code", flat=True))
        townships = list(Region.objects.filter(level=4).values_list("code", flat=True))
        orgs = [
            Organisation(
                name=f"BENCH{code}局{i}", kind="gov_department", sector="other", region_id=code
            )
            for code in counties
            for i in range(10)
        ] + [
            Organisation(name=f"BENCH{code}站", kind="sw_station", region_id=code)
            for code in townships
        ]
        Organisation.objects.bulk_create(orgs, batch_size=2000)
    units = list(
        Organisation.objects.unscoped(reason="bench")
        .filter(name__startswith="BENCH")
        .values_list("pk", "region_id")
    )
    if not DutyList.objects.unscoped(reason="bench").exists():
        with transaction.atomic():
            DutyList.objects.bulk_create(
                [
                    DutyList(organisation_id=pk, version=1, status="published")
                    for pk, _region in units
                ],
                batch_size=2000,
            )
            lists = dict(
                DutyList.objects.unscoped(reason="bench").values_list("organisation_id", "pk")
            )
            items = [
                DutyItem(
                    duty_list_id=lists[pk],
                    order=n,
                    title=f"职责事项{n}",
                    keywords="、".join(rng.sample(WORDS, 3)),
                )
                for pk, _region in units
                for n in range(1, 9)
            ]
            DutyItem.objects.bulk_create(items, batch_size=5000)
            region_of = dict(units)
            org_of_list = {v: k for k, v in lists.items()}
            keywords = []
            for item_id, list_id, words in DutyItem.objects.unscoped(reason="bench").values_list(
                "pk", "duty_list_id", "keywords"
            ):
                org = org_of_list[list_id]
                for word in words.split("、"):
                    keywords.append(
                        DutyKeyword(
                            item_id=item_id,
                            organisation_id=org,
                            region_code=region_of[org],
                            word=word,
                        )
                    )
            DutyKeyword.objects.bulk_create(keywords, batch_size=5000)
    return {
        "units": len(units),
        "items": DutyItem.objects.unscoped(reason="bench").count(),
        "keywords": DutyKeyword.objects.unscoped(reason="bench").count(),
        "generate_s": round(time.perf_counter() - started, 1),
    }


def reader(region_code: str):
    """An unsaved user whose active membership sits in a unit of `region_code`."""
    from shegong.accounts.models import Membership, User
    from shegong.orgs.models import Organisation

    org = Organisation(name="reader", kind="sw_department", region_id=region_code)
    org.region  # noqa: B018 - load the region for the jurisdiction
    user = User(username=f"bench-{region_code}")
    user.active_membership = Membership(user=user, organisation=org, role="dept_leader")
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generate", action="store_true")
    args = parser.parse_args()
    setup()
    from django.db import connection

    from bench.timing import measure
    from shegong.orgs.selectors import duty_holders

    if args.generate:
        print(generate())
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    for name, code in (("county 天河区", "440106000000"), ("province 广东", "440000000000"),
                       ("nation", "000000000000")):  # fmt: skip
        user = reader(code)
        for label, text in (("matter text", TEXT), ("short search", "电梯")):
            found = duty_holders(fetched_by=user, text=text)
            figures = measure(lambda u=user, t=text: duty_holders(fetched_by=u, text=t), runs=5)
            print(f"{connection.vendor} {name} {label}: {figures} units found {len(found)}")
    from bench.timing import explain
    from shegong.orgs.models import DutyKeyword

    qs = DutyKeyword.objects.unscoped(reason="bench").filter(
        region_code__gte="440100000000", region_code__lte="440199999999"
    )
    sql, params = qs.query.sql_with_params()
    print(explain(sql, params))
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Demo residents, assessments, visit plans (some overdue), visits and assistance in the demo
counties. Deterministic (seeded) and idempotent: a resident is identified by its ID number; what
exists is left alone."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from shegong.accounts.models import User
from shegong.core.crypto import blind_indexes
from shegong.core.demo_utils import chinese_name, mobile, rng
from shegong.core.regioncode import code_range
from shegong.people import services
from shegong.people.models import Category, Resident, VisitPlan
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Level, Region

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

STREETS = ["中山大道", "天河路", "五山路", "岑村路", "瘦狗岭路", "龙口西路", "东莞庄路", "华农路"]
ANSWERS = {
    "high": {
        "lives_alone": True,
        "health": "serious",
        "self_care": "partial",
        "income": "tight",
        "housing": "hazard",
        "support": "none",
    },
    "key": {
        "lives_alone": True,
        "health": "chronic",
        "self_care": "full",
        "income": "tight",
        "housing": "safe",
        "support": "weak",
    },
    "general": {
        "lives_alone": False,
        "health": "good",
        "self_care": "full",
        "income": "adequate",
        "housing": "safe",
        "support": "strong",
    },
}
FINDINGS = [
    ("血压偏高，按时服药", "", "", "情绪稳定"),
    ("腿脚不便，行动需拐杖", "需要助餐服务", "卫生间地面湿滑", ""),
    ("", "子女在外务工，独自生活", "电线老化", "感到孤独"),
    ("近期出院，需康复训练", "需要有人协助购物", "", "担心医药费"),
]


def _acting(username: str) -> User | None:
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    user.active_membership = user.memberships.select_related("organisation__region").first()
    return user if user.active_membership else None


def load(*, stdout) -> None:
    worker = _acting("worker")
    yingde = _acting("yingde")
    tianhe = _acting("tianhe")
    if worker is None or tianhe is None:
        stdout.write("people: demo users missing, skipped")
        return
    station = worker.active_membership.organisation
    first_street = station.region.code[:9]
    created = 0
    created += _county(
        user=worker,
        assignee=worker,
        villages=_villages(first_street, 6),
        per_village=10,
        seed="tianhe-first",
        centre=(float(station.latitude or 23.13), float(station.longitude or 113.36)),
    )
    created += _county(
        user=tianhe,
        assignee=None,
        villages=[v for v in _villages("440106", 40) if not v.code.startswith(first_street)][:12],
        per_village=4,
        seed="tianhe-rest",
        centre=(23.13, 113.36),
    )
    if yingde is not None:
        created += _county(
            user=yingde,
            assignee=None,
            villages=_villages("441881", 10),
            per_village=5,
            seed="yingde",
            centre=(24.19, 113.41),
        )
    stdout.write(f"people: {created} residents created")


def _villages(prefix: str, n: int) -> list[Region]:
    low, high = code_range(prefix)
    return list(
        Region.objects.filter(level=Level.VILLAGE, code__gte=low, code__lte=high).order_by("code")[
            :n
        ]
    )


@transaction.atomic
def _county(*, user, assignee, villages, per_village, seed, centre) -> int:
    r = rng(f"people-{seed}")
    cats = {c.code: c for c in Category.objects.all()}
    today = date.today()
    created = 0
    for v_index, village in enumerate(villages):
        for i in range(per_village):
            child = r.random() < 0.1
            if child:
                birth = today - timedelta(days=r.randint(6 * 365, 13 * 365))
                codes = [r.choice(["left_behind_child", "unsupported_child"])]
            else:
                birth = date(r.randint(1932, 1958), r.randint(1, 12), r.randint(1, 28))
                codes = r.sample(
                    ["living_alone", "empty_nest", "left_behind_elderly", "disabled", "tekun"],
                    k=r.choice([1, 1, 2]),
                )
                if r.random() < 0.4:
                    codes.append(r.choice(["dibao", "dibao_margin", "fp_special"]))
            sex = r.choice("MF")
            number = make_id_number(village.code, birth, v_index * 50 + i + 1, sex)
            name = chinese_name(r)
            phone = mobile(r)
            lat = centre[0] + r.uniform(-0.02, 0.02)
            lon = centre[1] + r.uniform(-0.02, 0.02)
            level = r.choices(["high", "key", "general"], weights=[2, 3, 5])[0]
            due_shift = r.choice([-9, -3, -1, 0, 0, 1, 2, 4, 6, 12, 20])
            visits_back = r.randint(0, 3)
            # Draw every random value before the existence check so reruns stay in step.
            findings = [r.choice(FINDINGS) for _ in range(3)]
            modes = [r.choice(["home", "home", "phone", "video"]) for _ in range(3)]
            assist_roll = r.random()
            assist_pick = r.randrange(4)
            assist_days = r.randint(1, 150)
            amounts = (r.choice([500, 800, 1000, 2000]), r.choice([2800, 3500, 4200]))
            stage = r.choice(["survey", "design", "construction", "inspection", "accepted"])
            address_no = (r.choice(STREETS), r.randint(1, 300))
            health = r.choice(["", "高血压", "糖尿病", "中风后遗症", "慢阻肺"])
            assessed_days = r.randint(20, 200)
            if Resident.objects.filter(
                id_number_hash__in=blind_indexes(number), merged_into__isnull=True
            ).exists():
                continue
            resident = services.resident_create(
                acting_user=user,
                name=name,
                id_number=number,
                region=village,
                phone=phone,
                address=f"{village.name.replace('居委会', '').replace('村委会', '')}"
                f"{address_no[0]}{address_no[1]}号",
                categories=[cats[c] for c in codes if c in cats],
                health_notes=health,
                disability_level="二级" if "disabled" in codes else "",
                latitude=round(lat, 6),
                longitude=round(lon, 6),
                assigned_worker=assignee,
                confirm_duplicates=True,
            )
            created += 1
            services.assessment_create(
                resident=resident,
                acting_user=user,
                answers=ANSWERS[level],
                assessed_on=today - timedelta(days=assessed_days),
            )
            plan = VisitPlan.objects.filter(resident=resident).first()
            if plan is None:
                continue
            for k in range(visits_back, 0, -1):
                finding = findings[k - 1]
                services.visit_record(
                    resident=resident,
                    acting_user=assignee or user,
                    visited_on=min(
                        today, today + timedelta(days=due_shift - plan.interval_days * k)
                    ),
                    mode=modes[k - 1],
                    finding_health=finding[0],
                    finding_living=finding[1],
                    finding_safety=finding[2],
                    finding_mood=finding[3],
                    needs=finding[1] or finding[2],
                )
            # The demo shows a plausible spread: some overdue, some due today, some soon.
            VisitPlan.objects.filter(pk=plan.pk).update(
                next_due_date=today + timedelta(days=due_shift)
            )
            if assist_roll < 0.25:
                given_on = today - timedelta(days=assist_days)
                data = [
                    {
                        "kind": "material",
                        "description": "米面油慰问品",
                        "quantity": 1,
                        "unit": "份",
                        "fund_source": "街道慰问金",
                    },
                    {
                        "kind": "cash",
                        "description": "临时救助金",
                        "amount": amounts[0],
                        "fund_source": "临时救助资金",
                    },
                    {
                        "kind": "service",
                        "description": "助餐服务（月）",
                        "quantity": 30,
                        "unit": "餐",
                        "fund_source": "养老服务补贴",
                    },
                    {
                        "kind": "adaptation",
                        "description": "卫生间扶手及防滑改造",
                        "amount": amounts[1],
                        "fund_source": "适老化改造专项",
                        "project_status": stage,
                    },
                ][assist_pick]
                services.assistance_create(
                    resident=resident, acting_user=user, data={**data, "given_on": given_on}
                )
    return created

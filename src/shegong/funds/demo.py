"""Demo funds: money flowing central → 广东 → cities → 天河区/英德市 → stations, plans in every
state, the 广州市–荔波县 pairing, and restricted donations traced to the people they reached.

Idempotent: every posting carries a fixed idempotency key, plans and donations are looked up by
title / key before they are created, nothing a person entered is touched. Dates are relative to
today so the pages always show recent and pending items.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import Membership, User
from shegong.core.demo_utils import chinese_name, rng
from shegong.core.regioncode import RegionCode
from shegong.funds import selectors, services, workflow
from shegong.funds.models import AllocationPlan, EntryKind, FundSource, JournalEntry, Pairing
from shegong.orgs.models import Kind, Organisation
from shegong.regions.models import Region

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

YUAN = 100
CENTRAL = "000000000000"
GUANGDONG = "440000000000"
GUANGZHOU = "440100000000"
QINGYUAN = "441800000000"
TIANHE = "440106000000"
YINGDE = "441881000000"
LIBO = "522722000000"
GUIZHOU = "520000000000"


def _acting(username: str):
    """A demo user with their department membership active (None if not loaded)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    membership = (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organisation__region")
        .first()
    )
    if membership is None:
        return None
    user.active_membership = membership
    return user


def _ago(days: int):
    return timezone.now() - timedelta(days=days)


def _key(name: str) -> str:
    return f"demo-funds-{name}"


def _done(name: str) -> bool:
    return JournalEntry.objects.filter(idempotency_key=f"0:{_key(name)}").exists()


def _appropriate(org, source, yuan_amount, memo, days, name):
    services.appropriation_post(
        acting_user=None,
        organisation=org,
        source=source,
        amount=yuan_amount * YUAN,
        memo=memo,
        posted_at=_ago(days),
        idempotency_key=_key(name),
    )


def _transfer(from_org, to_org, source, yuan_amount, memo, days, name, kind=EntryKind.TRANSFER):
    services.entry_post(
        acting_user=None,
        lines=[
            services.Line(
                services.account_for(organisation=to_org, source=source), debit=yuan_amount * YUAN
            ),
            services.Line(
                services.account_for(organisation=from_org, source=source),
                credit=yuan_amount * YUAN,
            ),
        ],
        memo=memo,
        kind=kind,
        posted_at=_ago(days),
        idempotency_key=_key(name),
    )


def _plan(user, title, **kwargs) -> AllocationPlan | None:
    if user is None:
        return None
    org = user.active_membership.organisation
    existing = AllocationPlan.objects.filter(organisation=org, title=title).first()
    if existing is not None:
        return existing
    return services.plan_create(acting_user=user, title=title, **kwargs)


# Resident population, 2020 census (万人), entered as the optional population indicator.
GD_POPULATION = {
    "4401": 1867.66,
    "4402": 285.51,
    "4403": 1756.01,
    "4404": 243.96,
    "4405": 550.20,
    "4406": 949.89,
    "4407": 479.81,
    "4408": 698.12,
    "4409": 617.41,
    "4412": 411.36,
    "4413": 604.29,
    "4414": 387.32,
    "4415": 267.22,
    "4416": 283.77,
    "4417": 260.30,
    "4418": 396.95,
    "4419": 1046.66,
    "4420": 441.81,
    "4451": 256.84,
    "4452": 557.75,
    "4453": 238.33,
}


def _population() -> None:
    from shegong.funds.models import PopulationFigure

    for prefix, wan in GD_POPULATION.items():
        PopulationFigure.objects.get_or_create(
            region_code=RegionCode.from_prefix(prefix),
            year=2020,
            defaults={"population": int(wan * 10_000), "source": "第七次全国人口普查公报"},
        )


def _feasible(plan, user) -> None:
    """Demo bounds must leave a feasible plan: relax floors, else use the proportional method."""
    plan.refresh_from_db()
    if plan.solver_status == "optimal":
        return
    relaxed = {rec.pk: {"floor": 0} for rec in plan.recipients.all()}
    services.plan_update_inputs(plan=plan, acting_user=user, bounds=relaxed)
    plan.refresh_from_db()
    if plan.solver_status != "optimal":
        services.plan_update_inputs(plan=plan, acting_user=user, method="proportional")


def _advance(plan, user, approver, upto: str) -> None:
    """Move a plan through the workflow up to the given state (if not already beyond)."""
    order = [workflow.DRAFT, workflow.SUBMITTED, workflow.APPROVED, workflow.DISBURSED]
    steps = {workflow.SUBMITTED: ("submit", user), workflow.APPROVED: ("approve", approver)}
    for state in order[1:]:
        plan.refresh_from_db()
        if order.index(plan.status) >= order.index(state) or plan.status == workflow.CONFIRMED:
            continue
        if order.index(state) > order.index(upto):
            return
        if state == workflow.DISBURSED:
            services.plan_disburse(plan=plan, acting_user=approver)
        else:
            action, actor = steps[state]
            getattr(services, f"plan_{action}")(plan=plan, acting_user=actor)


@transaction.atomic
def load(*, stdout) -> None:
    r = rng("funds")
    dept = {
        code: Organisation.objects.filter(region_id=code, kind=Kind.SOCIAL_WORK_DEPARTMENT)
        .order_by("id")
        .first()
        for code in (CENTRAL, GUANGDONG, GUANGZHOU, QINGYUAN, TIANHE, YINGDE, LIBO, GUIZHOU)
    }
    if any(dept[c] is None for c in (CENTRAL, GUANGDONG, GUANGZHOU, TIANHE)):
        stdout.write("funds: demo organisations missing, skipped")
        return
    central_user, gd_user, gz_user = _acting("central"), _acting("guangdong"), _acting("guangzhou")
    tianhe_user = _acting("tianhe")

    # ---- budget money arriving and flowing down ------------------------------------------------
    _appropriate(
        dept[CENTRAL],
        FundSource.CENTRAL,
        1_000_000_000,
        "中央财政社会工作专项资金",
        150,
        "central-budget",
    )
    _appropriate(
        dept[GUANGDONG],
        FundSource.PROVINCIAL,
        600_000_000,
        "省级财政“双百工程”专项资金",
        140,
        "gd-budget",
    )
    _transfer(
        dept[CENTRAL],
        dept[GUANGDONG],
        FundSource.CENTRAL,
        180_000_000,
        "中央转移支付：基层社会工作服务体系建设",
        120,
        "central-gd",
    )
    if dept[GUIZHOU] is not None:
        _transfer(
            dept[CENTRAL],
            dept[GUIZHOU],
            FundSource.CENTRAL,
            120_000_000,
            "中央转移支付：基层社会工作服务体系建设",
            120,
            "central-gz",
        )
    _appropriate(
        dept[GUANGZHOU], FundSource.LOCAL, 80_000_000, "市本级财政社会工作经费", 130, "gz-budget"
    )
    _appropriate(
        dept[TIANHE], FundSource.LOCAL, 30_000_000, "区本级财政社工站运营经费", 125, "tianhe-budget"
    )
    _transfer(
        dept[GUANGZHOU],
        dept[TIANHE],
        FundSource.LOCAL,
        8_000_000,
        "市级补助：天河区社工站提质",
        90,
        "gz-tianhe",
    )
    if dept[QINGYUAN] is not None and dept[YINGDE] is not None:
        _appropriate(
            dept[QINGYUAN], FundSource.LOCAL, 20_000_000, "市本级财政社会工作经费", 130, "qy-budget"
        )
        _transfer(
            dept[QINGYUAN],
            dept[YINGDE],
            FundSource.LOCAL,
            5_000_000,
            "市级补助：英德市乡镇社工站运营",
            88,
            "qy-yingde",
        )

    # ---- allocation plans in every state -------------------------------------------------------
    year = timezone.localdate().year
    _population()
    weights = {"population": 4.0, "stations": 1.0, "staffing_shortfall": 1.0}
    if gd_user is not None:
        last = _plan(
            gd_user,
            f"{year - 1}年度广东省社工站运营资金分配方案",
            period=year - 1,
            pot=150_000_000 * YUAN,
            source=FundSource.PROVINCIAL,
            equity_bound=40,
            weights=weights,
        )
        if last is not None and last.status == workflow.DRAFT:
            _advance(last, gd_user, gd_user, workflow.DISBURSED)
            for rec in last.recipients.filter(amount__gt=0, confirmed_at__isnull=True):
                services.receipt_confirm(recipient=rec, acting_user=None)
        current = _plan(
            gd_user,
            f"{year}年度广东省社工站运营资金分配方案",
            period=year,
            pot=180_000_000 * YUAN,
            source=FundSource.PROVINCIAL,
            equity_bound=40,
            weights=weights,
        )
        if current is not None and current.status == workflow.DRAFT:
            floors = {rec.pk: {"floor": 3_000_000 * YUAN} for rec in current.recipients.all()}
            services.plan_update_inputs(plan=current, acting_user=gd_user, bounds=floors)
            _feasible(current, gd_user)
            _advance(current, gd_user, gd_user, workflow.DISBURSED)
            # most cities have confirmed; 广州市 still has to (the demo user `guangzhou` can)
            for rec in current.recipients.filter(amount__gt=0).exclude(region_code=GUANGZHOU):
                if rec.confirmed_at is None and r.random() < 0.75:
                    services.receipt_confirm(recipient=rec, acting_user=None)
        _plan(
            gd_user,
            f"{year + 1}年度广东省社工站运营资金分配方案（草稿）",
            period=year + 1,
            pot=200_000_000 * YUAN,
            source=FundSource.PROVINCIAL,
            equity_bound=30,
            weights=weights,
        )
        posts = _plan(
            gd_user,
            f"{year}年度新增社工岗位统筹方案",
            period=year,
            pot=600,
            resource="posts",
            equity_bound=50,
        )
        if posts is not None and posts.status == workflow.DRAFT:
            _advance(posts, gd_user, gd_user, workflow.SUBMITTED)
    if central_user is not None:
        national = _plan(
            central_user,
            f"{year}年度中央社会工作专项资金分配方案",
            period=year,
            pot=600_000_000 * YUAN,
            source=FundSource.CENTRAL,
            equity_bound=50,
        )
        if national is not None and national.status == workflow.DRAFT:
            _advance(national, central_user, central_user, workflow.SUBMITTED)
    if gz_user is not None:
        city = _plan(
            gz_user,
            f"{year}年度广州市社会工作服务资金分配方案",
            period=year,
            pot=30_000_000 * YUAN,
            source=FundSource.LOCAL,
            equity_bound=50,
        )
        if city is not None and city.status == workflow.DRAFT:
            _advance(city, gz_user, gz_user, workflow.APPROVED)
    if tianhe_user is not None:
        _tianhe_plan(tianhe_user, year, r)

    # ---- paired assistance: 广州市 → 荔波县 -----------------------------------------------------
    if dept[LIBO] is not None:
        pairing = Pairing.objects.filter(
            giver=dept[GUANGZHOU], receiver=dept[LIBO], year=year
        ).first()
        if pairing is None:
            pairing = services.pairing_create(
                acting_user=None,
                giver=dept[GUANGZHOU],
                receiver=dept[LIBO],
                year=year,
                agreed_amount=20_000_000 * YUAN,
                title=f"广州市—荔波县东西部协作社会工作帮扶（{year}年）",
                note="协议要点：支持荔波县乡镇社工站建设、困境儿童和留守老人关爱服务、"
                "社工人才“组团式”帮扶；年度资金分两批拨付。",
            )
        for n, (amount, days) in enumerate([(6_000_000, 80), (4_000_000, 20)]):
            if not _done(f"pair-{year}-{n}"):
                services.pairing_transfer(
                    pairing=pairing,
                    acting_user=None,
                    amount=amount * YUAN,
                    memo=f"东西部协作资金第{n + 1}批",
                    idempotency_key=_key(f"pair-{year}-{n}"),
                    posted_at=_ago(days),
                )

    # ---- donations with restrictions, traced to assistance ------------------------------------
    _donations(dept[TIANHE], TIANHE, r, tianhe_user)
    if dept[YINGDE] is not None:
        _donations(dept[YINGDE], YINGDE, r, None)
    stdout.write(f"funds: {JournalEntry.objects.count()} journal entries")


def _tianhe_plan(user, year, r) -> None:
    plan = _plan(
        user,
        f"{year}年度天河区街道社工站运营资金分配方案",
        period=year,
        pot=6_000_000 * YUAN,
        source=FundSource.LOCAL,
        equity_bound=60,
    )
    if plan is None or plan.status != workflow.DRAFT:
        return
    _advance(plan, user, None, workflow.DISBURSED)
    for n, rec in enumerate(plan.recipients.filter(amount__gt=0).select_related("organisation")):
        if r.random() < 0.6:
            services.receipt_confirm(recipient=rec, acting_user=None)
        if rec.organisation is not None and n % 2 == 0 and rec.amount > 20_000 * YUAN:
            account = services.account_for(organisation=rec.organisation, source=FundSource.LOCAL)
            services.spend_post(
                acting_user=None,
                account=account,
                amount=rec.amount // 3,
                memo="社工薪酬及服务活动支出",
                posted_at=_ago(r.randint(3, 40)),
                idempotency_key=_key(f"spend-{rec.region_code}"),
            )


DONATIONS = [
    # donor, kind, yuan, purpose, group, goods
    ("广州市同心慈善基金会", "organisation", 500_000, "elderly", "独居老人", ""),
    ("爱心人士", "person", 20_000, "", "", ""),
    (
        "粤港粮油贸易有限公司",
        "organisation",
        30_000,
        "low_income",
        "低保家庭",
        "大米 500 袋、食用油 300 桶",
    ),
    ("南方助学促进会", "organisation", 200_000, "children", "困境儿童", ""),
]
USES = {
    "elderly": [
        ("assistance", "独居老人助餐补贴"),
        ("assistance", "居家适老化改造"),
        ("project", "长者饭堂运营项目"),
    ],
    "low_income": [("recipient", "节日慰问物资发放")],
    "children": [("assistance", "困境儿童学业辅导"), ("project", "“护苗”暑期托管项目")],
    "": [("project", "社区应急互助金")],
}


def _donations(org, county_code, r, user) -> None:
    from shegong.funds.models import Donation, Donor

    township = Region.objects.filter(parent_id=county_code, level=4).order_by("code").first()
    for n, (donor_name, kind, yuan_amount, purpose, group, goods) in enumerate(DONATIONS):
        key = f"don-{county_code}-{n}"
        donation = selectors.donation_by_key(fetched_by=None, idempotency_key=_key(key))
        if donation is None:
            donor = Donor.objects.filter(name=donor_name, region_code=county_code).first()
            if donor is None:
                donor = services.donor_create(
                    acting_user=None,
                    kind=kind,
                    name=donor_name if kind != "person" else chinese_name(r),
                    region_code=county_code,
                    is_anonymous=kind == "person",
                )
            donation = services.donation_receive(
                acting_user=None,
                organisation=org,
                donor=donor,
                kind=Donation.Kind.GOODS if goods else Donation.Kind.MONEY,
                amount=yuan_amount * YUAN,
                received_on=timezone.localdate() - timedelta(days=100 - 15 * n),
                restricted_purpose=purpose,
                restricted_region=county_code[:6] if purpose else "",
                restricted_group=group,
                goods_description=goods,
                idempotency_key=_key(key),
            )
        if donation.uses.exists():
            continue
        remaining = donation.amount
        for m, (target, text) in enumerate(USES[purpose]):
            share = remaining // 3 if m < len(USES[purpose]) - 1 else remaining // 2
            if share <= 0:
                continue
            services.donation_use(
                acting_user=None,
                donation=donation,
                target=target,
                purpose=purpose or "stations",
                amount=share,
                beneficiary_region=(township.code if township else county_code),
                beneficiary_group=group,
                description=text,
                beneficiary_name=(f"{chinese_name(r)[0]}**" if target != "project" else ""),
                record_ref=f"帮扶-{timezone.localdate().year}-{county_code[:6]}-{n}{m:02d}",
                used_on=timezone.localdate() - timedelta(days=60 - 15 * n - 5 * m),
            )
            remaining -= share

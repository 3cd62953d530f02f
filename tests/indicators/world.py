"""A small world of counted rows in two counties, written straight through the ORM (the
modules' services are tested in their own apps): 天河区 (440106) and 英德市 (441881). Each figure
the shipped indicators need is counted by hand in the comments below; test_shipped.py writes
the expected values from these counts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone

T_VILLAGE = "440106001001"  # 岳洲社区, 五山街道, 天河区
Y_VILLAGE = "441881001001"  # 英德市
T_TOWN = "440106001000"
T_TOWN2 = "440106002000"
Y_TOWN = "441881001000"
_n = count(1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def resident(village, groups=(), *, status="active", ended=None, plan=None, plan_active=True):
    from shegong.people.models import Category, Resident, ResidentCategory, VisitPlan

    n = next(_n)
    r = Resident.objects.create(
        name=f"对象{n}",
        id_number_encrypted="x",
        id_number_hash=f"hash{n:08d}",
        id_number_masked="4401**********0000",
        sex="F",
        birth_date=date(1940, 1, 1),
        region_id=village,
        county_code=village[:6],
        status=status,
    )
    for code in groups:
        ResidentCategory.objects.create(
            resident=r,
            category=Category.objects.get(code=code),
            region_code=village,
            resident_status=status,
            end_date=ended,
        )
    if plan:
        VisitPlan.objects.create(
            resident=r,
            region_code=village,
            county_code=village[:6],
            risk_level="general",
            interval_days=30,
            next_due_date=plan,
            is_active=plan_active,
        )
    return r


def visit(r, visited_on, due_date):
    from shegong.people.models import Visit

    return Visit.objects.create(
        resident=r, region_code=r.region_id, visited_on=visited_on, mode="home", due_date=due_date
    )


def people():
    """November 2026.
    天河: residents active 5 (r1 r2 r3 r4 r6; r5 moved); cared for 3 (r1 living alone, r2 empty
    nest, r3 特困 + 重度残疾; r6's 留守儿童 link ended in October); 低保 1 (r1), 低保边缘 1 (r4),
    重度残疾 1 (r3), 独居 1, 空巢 1, 留守老人 0, 留守儿童 0; active plans 3 (r1 r2 r3; r6's is
    inactive). Visits: v1 r1 11-03 due 11-05 (on time), v2 r3 11-12 due 11-10 (late), v3 r1 11-25
    due 12-05, v4 r3 in October. Done 3, residents visited 2, due 3 (v1, v2 and r2's plan due
    11-20), on time 1.
    英德: y1 独居 (plan due 11-15, waiting), y2 留守儿童 (plan due 2027-01-01); visit of y2 11-08
    due 11-09. Active 2, cared for 2, plans 2, done 1, visited 1, due 2, on time 1."""
    r1 = resident(T_VILLAGE, ["living_alone", "dibao"], plan=date(2026, 12, 5))
    resident(T_VILLAGE, ["empty_nest"], plan=date(2026, 11, 20))
    r3 = resident(T_VILLAGE, ["tekun", "severely_disabled"], plan=date(2026, 12, 10))
    resident(T_VILLAGE, ["dibao_margin"])
    resident(T_VILLAGE, ["living_alone"], status="moved")
    resident(
        T_VILLAGE,
        ["left_behind_child"],
        ended=date(2026, 10, 31),
        plan=date(2026, 11, 1),
        plan_active=False,
    )
    visit(r1, date(2026, 11, 3), date(2026, 11, 5))
    visit(r3, date(2026, 11, 12), date(2026, 11, 10))
    visit(r1, date(2026, 11, 25), date(2026, 12, 5))
    visit(r3, date(2026, 10, 20), date(2026, 10, 25))
    resident(Y_VILLAGE, ["living_alone"], plan=date(2026, 11, 15))
    y2 = resident(Y_VILLAGE, ["left_behind_child"], plan=date(2027, 1, 1))
    visit(y2, date(2026, 11, 8), date(2026, 11, 9))


def matter(village, received, **fields):
    from shegong.petitions.models import Category, Matter

    n = next(_n)
    return Matter.objects.create(
        number=f"T{n:010d}",
        kind="petition",
        channel="visit",
        region_id=village,
        county_code=village[:6],
        category=Category.objects.first(),
        title=f"事项{n}",
        received_on=received,
        **fields,
    )


def petitions():
    """November 2026.
    天河: m1 received 11-02, closed 11-20 (due 11-25), replied 11-18 in time, rated satisfied
    11-22; m2 received 11-05, closed 11-28 (due 11-26, late), replied 11-27 late, rated basic
    11-29, repeat; m3 received 11-10, open, overdue since 11-24, repeat; m4 received in October,
    closed 11-03 (no deadline: on time), replied in October, rated dissatisfied 11-05; m5
    received 11-12, not rated. Received 4, closed 3, on time 2, replied 2, in time 1, rated 3,
    satisfied 1, basic 1, repeat 2, overdue 1.
    英德: n1 received 11-03, closed 11-10 (due 11-30), replied 11-09 in time, rated satisfied
    11-12. All ones; basic, repeat and overdue 0."""
    d = date
    matter(T_VILLAGE, d(2026, 11, 2), closed_on=d(2026, 11, 20), due_date=d(2026, 11, 25),
           replied_on=d(2026, 11, 18), replied_on_time=True, rating="satisfied",
           rated_on=d(2026, 11, 22), status="closed")  # fmt: skip
    matter(T_VILLAGE, d(2026, 11, 5), closed_on=d(2026, 11, 28), due_date=d(2026, 11, 26),
           replied_on=d(2026, 11, 27), replied_on_time=False, rating="basic",
           rated_on=d(2026, 11, 29), is_repeat=True, status="closed")  # fmt: skip
    matter(T_VILLAGE, d(2026, 11, 10), is_repeat=True, is_overdue=True,
           overdue_since=d(2026, 11, 24))  # fmt: skip
    matter(T_VILLAGE, d(2026, 10, 15), closed_on=d(2026, 11, 3), replied_on=d(2026, 10, 30),
           replied_on_time=True, rating="dissatisfied", rated_on=d(2026, 11, 5),
           status="closed")  # fmt: skip
    matter(T_VILLAGE, d(2026, 11, 12))
    matter(Y_VILLAGE, d(2026, 11, 3), closed_on=d(2026, 11, 10), due_date=d(2026, 11, 30),
           replied_on=d(2026, 11, 9), replied_on_time=True, rating="satisfied",
           rated_on=d(2026, 11, 12), status="closed")  # fmt: skip


def volunteer(village, registered, *, active=True):
    from shegong.volunteers.models import Volunteer

    n = next(_n)
    v = Volunteer.objects.create(
        number=f"V{n:010d}",
        name=f"志愿者{n}",
        sex="F",
        birth_date=date(1990, 1, 1),
        id_number_encrypted="x",
        id_number_hash=f"vh{n:08d}",
        id_number_masked="4401**********0000",
        phone="13900000000",
        region_id=village,
        political_status="masses",
        source="organisation",
        is_active=active,
    )
    Volunteer.objects.filter(pk=v.pk).update(created_at=_aware(registered))
    return v


def record(v, org, day, hours, status="confirmed"):
    from shegong.volunteers.models import ServiceRecord

    return ServiceRecord.objects.create(
        volunteer=v,
        organisation=org,
        region_code=v.region_id,
        activity_name="探访",
        service_date=day,
        hours=Decimal(hours),
        status=status,
        source="manual",
    )


def volunteers():
    """November 2026.
    天河: a and b registered by November, c registered 12-01, d inactive: registered 2. Records:
    a 3.5 h on 11-05 and 2 h on 11-20 (confirmed), b 1.5 h on 11-10 (pending), b 4 h in October:
    hours 5.5, serving 1.
    英德: e registered 11-01, 4 h on 11-11 confirmed: registered 1, hours 4, serving 1."""
    from tests.factories import OrganisationFactory

    org = OrganisationFactory(region_id=T_TOWN, kind="sw_organisation")
    a = volunteer(T_VILLAGE, date(2026, 3, 1))
    b = volunteer(T_VILLAGE, date(2026, 6, 1))
    volunteer(T_VILLAGE, date(2026, 12, 1))
    volunteer(T_VILLAGE, date(2026, 1, 1), active=False)
    record(a, org, date(2026, 11, 5), "3.5")
    record(a, org, date(2026, 11, 20), "2")
    record(b, org, date(2026, 11, 10), "1.5", status="pending")
    record(b, org, date(2026, 10, 30), "4")
    e = volunteer(Y_VILLAGE, date(2026, 11, 1))
    record(e, org, date(2026, 11, 11), "4")


def stations():
    """天河 (Guangdong's standard: 3 per station): 五山 3 in post (staffed), 石牌 2 in post and 1
    left (not staffed), an inactive station: stations 2, staffed 1, station workers 5.
    英德 (清远市's own standard in this world: 2): 英城 2 in post: stations 1, staffed 1,
    workers 2."""
    from shegong.orgs.models import StaffingStandard
    from tests.careers.factories import make_worker
    from tests.factories import OrganisationFactory

    StaffingStandard.objects.create(
        region_code="441800000000", workers_per_station=2, document_title="清远市社工站标准"
    )
    wushan = OrganisationFactory(region_id=T_TOWN, kind="sw_station", name="五山街道社工站")
    shipai = OrganisationFactory(region_id=T_TOWN2, kind="sw_station", name="石牌街道社工站")
    OrganisationFactory(region_id=T_TOWN, kind="sw_station", name="旧站", is_active=False)
    yingcheng = OrganisationFactory(region_id=Y_TOWN, kind="sw_station", name="英城街道社工站")
    for _ in range(3):
        make_worker(wushan)
    for _ in range(2):
        make_worker(shipai)
    make_worker(shipai, status="left", left_on=date(2026, 5, 1))
    for _ in range(2):
        make_worker(yingcheng)


def funds():
    """2026-Q4. Plans of 2026: P1 disbursed (天河 1,000.00 yuan; 英德 500.00 confirmed received),
    P2 approved (天河 3,000.00), P3 a draft (天河 9.99), P4 of 2025 confirmed (天河 77.77).
    天河: allocated 400000 fen, disbursed 100000, confirmed 0; 英德: 50000, 50000, 50000.
    Donations to 天河: 2,000.00 on 10-10 and 1,000.00 on 12-01 (in Q4), 500.00 on 09-30 (Q3);
    used: 300.00 on 11-01 and 500.00 on 12-15: received 300000, used 80000. 英德 none."""
    from shegong.funds.models import AllocationPlan, Donation, DonationUse, Donor, PlanRecipient
    from tests.factories import OrganisationFactory

    dept = OrganisationFactory(region_id="440000000000", kind="sw_department")

    def plan(period, status, amounts):
        p = AllocationPlan.objects.create(
            organisation=dept,
            region_code="440000000000",
            title=f"方案{next(_n)}",
            period=period,
            pot=10**8,
            status=status,
        )
        for code, amount, confirmed in amounts:
            PlanRecipient.objects.create(
                plan=p,
                region_code=code,
                region_name=code,
                amount=amount,
                confirmed_at=timezone.now() if confirmed else None,
            )

    plan(2026, "disbursed", [("440106000000", 100000, False), ("441881000000", 50000, True)])
    plan(2026, "approved", [("440106000000", 300000, False)])
    plan(2026, "draft", [("440106000000", 999, False)])
    plan(2025, "confirmed", [("440106000000", 7777, True)])
    donor = Donor.objects.create(kind="person", name="张三", region_code="440106000000")
    org = OrganisationFactory(region_id="440106000000", kind="sw_department")

    def donation(amount, day):
        return Donation.objects.create(
            organisation=org,
            region_code="440106000000",
            donor=donor,
            kind="money",
            amount=amount,
            receipt_number=f"R{next(_n):08d}",
            received_on=day,
        )

    d1 = donation(200000, date(2026, 10, 10))
    donation(100000, date(2026, 12, 1))
    d3 = donation(50000, date(2026, 9, 30))
    for d, amount, day in ((d3, 30000, date(2026, 11, 1)), (d1, 50000, date(2026, 12, 15))):
        DonationUse.objects.create(
            donation=d,
            region_code=d.region_code,
            target="project",
            purpose="",
            beneficiary_region=T_VILLAGE,
            description="使用",
            amount=amount,
            used_on=day,
        )


def cases():
    """天河: C1 opened 11-02 closed 11-28, C2 opened 11-15, C3 opened 10-01 closed 11-05;
    英德: C4 opened 11-20. Q4: opened 天河 3, 英德 1; closed 天河 2, 英德 0.
    Tasks of C1: due 11-10 done 11-09 (on time), due 11-20 done 11-22 (late), due 11-25 not
    done, due 12-02 done 11-30; of C4: due 11-25 done 11-25. November: due 天河 3, on time 1;
    英德 1 and 1."""
    from shegong.cases.models import Case, Task
    from tests.factories import OrganisationFactory

    org = OrganisationFactory(region_id=T_TOWN, kind="sw_organisation")
    t_resident = resident(T_VILLAGE, status="moved")  # not counted among residents
    y_resident = resident(Y_VILLAGE, status="moved")

    def case(r, opened, closed=None):
        return Case.objects.create(
            resident=r,
            organisation=org,
            region_code=r.region_id,
            source="visit",
            title="个案",
            opened_on=opened,
            closed_on=closed,
        )

    c1 = case(t_resident, date(2026, 11, 2), date(2026, 11, 28))
    case(t_resident, date(2026, 11, 15))
    case(t_resident, date(2026, 10, 1), date(2026, 11, 5))
    c4 = case(y_resident, date(2026, 11, 20))
    for c, due, done in (
        (c1, date(2026, 11, 10), date(2026, 11, 9)),
        (c1, date(2026, 11, 20), date(2026, 11, 22)),
        (c1, date(2026, 11, 25), None),
        (c1, date(2026, 12, 2), date(2026, 11, 30)),
        (c4, date(2026, 11, 25), date(2026, 11, 25)),
    ):
        Task.objects.create(case=c, title="任务", due_date=due, done_on=done)


def build():
    people()
    petitions()
    volunteers()
    stations()
    funds()
    cases()

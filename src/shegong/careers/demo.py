"""Demo data of the careers app: worker profiles where the workforce demo has none (keyed by
name and employer, so that both loaders may run in either order), a 广东省 title round in
progress, a year of appraisals in 天河区 (440106) and 英德市 (441881), pay guidance and pay,
and a reward."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.careers import services
from shegong.careers.models import (
    Appraisal,
    AppraisalScheme,
    ConductRecord,
    Grade,
    TitleApplication,
    TitleRound,
    WorkerPay,
)
from shegong.careers.services import appraisals as appraisal_services
from shegong.careers.services import titles
from shegong.core.demo_utils import demo_user
from shegong.core.regioncode import code_range
from shegong.orgs.models import Kind, Organisation
from shegong.workforce.models import Certificate, WorkerProfile

UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

COUNTIES = {"440106": "天河区", "441881": "英德市"}
SURNAMES = "陈林黄张李王吴刘蔡杨许郑谢郭洪邱曾廖赖徐周叶苏庄"
GIVEN = "晓丽敏静婷芳华军伟强磊洋勇艳杰娟涛明超秀霞平刚桂英"


def _profiles(county: str, r: random.Random) -> list[WorkerProfile]:
    """A few profiles per station of the county (kept if they exist already, by name)."""
    low, high = code_range(county)
    stations = list(
        Organisation.objects.filter(
            region_id__gte=low, region_id__lte=high, kind=Kind.SOCIAL_WORK_STATION
        ).order_by("region_id", "id")[:4]
    )
    found = []
    for i, station in enumerate(stations):
        accounts = list(
            User.objects.filter(
                memberships__organisation=station, worker_profile__isnull=True
            ).order_by("id")
        )
        for j in range(4):
            pick = random.Random(f"careers-name-{station.region_id}-{j}")
            name = pick.choice(SURNAMES) + pick.choice(GIVEN) + pick.choice(GIVEN)
            existing = WorkerProfile.objects.filter(employer=station, name=name).first()
            if existing is not None:
                found.append(existing)
                continue
            left = j == 3 and i % 2 == 0
            worker = WorkerProfile.objects.create(
                name=name,
                user=accounts.pop(0) if accounts and j == 0 else None,
                education=r.choice(["college", "bachelor", "bachelor", "master"]),
                social_work_major=r.random() < 0.6,
                employer=station,
                region_code=station.region_id,
                post=f"社工{j + 1}",
                employment_type="contract",
                social_work_start_date=date(2016 + r.randrange(8), 9, 1),
                post_start_date=date(2019 + r.randrange(7), 3, 1),
                status="left" if left else "in_post",
                left_on=date(timezone.localdate().year, 6, 30) if left else None,
                leave_reason=r.choice(["薪酬偏低", "家庭原因", "考取公务员"]) if left else "",
            )
            if r.random() < 0.55:
                Certificate.objects.create(
                    worker=worker,
                    region_code=worker.region_code,
                    level=r.choice(["assistant", "assistant", "social_worker"]),
                    number=f"DEMO{worker.pk:08d}",
                    issued_on=date(2018 + r.randrange(6), 6, 20),
                    issuing_body="人力资源和社会保障部",
                )
            found.append(worker)
    return found


def _appraisals(county: str, workers: list[WorkerProfile], r: random.Random) -> int:
    leader = demo_user("tianhe" if county == "440106" else "yingde")
    if leader is None:
        return 0
    department = leader.active_membership.organisation
    scheme = AppraisalScheme.objects.filter(organisation=department).first()
    if scheme is None:
        scheme = services.scheme_create(
            acting_user=leader,
            name=f"{COUNTIES[county]}社会工作者年度考核",
            excellent_cap_percent=20,
        )
    year = timezone.localdate().year - 1
    services.appraisal_run(
        acting_user=leader,
        scheme=scheme,
        period=str(year),
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    rows = list(Appraisal.objects.filter(scheme=scheme, period=str(year)).order_by("id"))
    for a in rows:
        if a.supervisor_score is None:
            services.appraisal_review(
                acting_user=leader,
                appraisal=a,
                supervisor_score=r.randrange(70, 100),
                training_hours=r.randrange(12, 48),
                comment="工作认真，服务对象评价良好。",
            )
    rows.sort(key=lambda a: (-a.score, a.pk))
    cap = appraisal_services.excellent_cap(scheme, len(rows))
    for i, a in enumerate(rows):
        if a.grade:
            continue
        grade = a.suggested_grade
        if grade == Grade.EXCELLENT and i >= cap:
            grade = Grade.COMPETENT
        services.appraisal_grade(acting_user=leader, appraisal=a, grade=grade)
    return len(rows)


def _title_round(workers: list[WorkerProfile]) -> None:
    province = demo_user("guangdong")
    county = demo_user("tianhe")
    if province is None or county is None:
        return
    today = timezone.localdate()
    title = f"{today.year}年度广东省社会工作师职称评审"
    found = TitleRound.objects.filter(title=title).first() or services.round_open(
        acting_user=province,
        title=title,
        level="social_worker",
        year=today.year,
        closes_on=today + timedelta(days=45),
        min_education="college",
        min_years=3,
    )
    candidates = [
        w for w in workers if w.region_code.startswith("440106") and w.status == "in_post"
    ]
    steps = [(), ("confirm",), ("confirm", "score", "pass", "publish")]
    for worker, route in zip(candidates, steps, strict=False):
        if TitleApplication.objects.filter(round=found, worker=worker).exists():
            continue
        application = services.application_create(
            acting_user=county,
            round=found,
            worker=worker,
            years_in_social_work=5,
            exam_passed_on=today - timedelta(days=200),
            achievements="主持社区长者探访关爱项目；撰写个案研究两篇。",
            statement="从事社区社会工作五年。",
        )
        for step in route:
            kwargs = {"note": ""}
            if step == "score":
                kwargs = {"score": 82, "comment": "专业实务能力较强"}
            elif step == "publish":
                kwargs = {}
            getattr(titles, f"application_{step}")(
                application=application, acting_user=county, **kwargs
            )


def _pay(workers: list[WorkerProfile], r: random.Random) -> None:
    province = demo_user("guangdong")
    if province is None:
        return
    year = timezone.localdate().year
    services.pay_guidance_set(
        acting_user=province, year=year, monthly_yuan=5500, document="广东省社会工作者薪酬指导意见"
    )
    for worker in workers:
        if (
            worker.status == "in_post"
            and not WorkerPay.objects.filter(worker=worker, year=year).exists()
        ):
            services.worker_pay_set(
                acting_user=province,
                worker=worker,
                year=year,
                monthly_yuan=r.randrange(4200, 7800, 100),
            )
    first = workers[0] if workers else None
    if first is not None and not ConductRecord.objects.filter(worker=first).exists():
        services.conduct_record(
            acting_user=province,
            worker=first,
            kind="reward",
            title="优秀社会工作者",
            basis="广州市委社会工作部表彰决定",
            decided_on=date(year, 3, 5),
            issuer="广州市委社会工作部",
        )


@transaction.atomic
def load(*, stdout) -> None:
    workers: list[WorkerProfile] = []
    appraised = 0
    for county in COUNTIES:
        r = random.Random(f"careers-{county}")
        mine = _profiles(county, r)
        workers += mine
        appraised += _appraisals(county, mine, r)
    _title_round(workers)
    _pay(workers, random.Random("careers-pay"))
    # The summary rows the night job (00:40) writes, so that the country's, provinces' and
    # cities' staffing pages open from them with their "as of" time, as in production.
    from shegong.careers.services.tally import staffing_tally_refresh

    staffing_tally_refresh()
    stdout.write(
        f"  社工职业发展：社会工作者 {len(workers)} 名，考核 {appraised} 份，"
        f"职称申报 {TitleApplication.objects.count()} 份"
    )

"""Demo workforce of 天河区 (440106) and 英德市 (441881): profiles at every level (with and
without certificates, social work majors and others), certificates and registrations — some
lapsing within months short of their hours, one lapsed —, continuing-education courses with
attendance, external hours awaiting approval, and mentoring pairs whose practice sessions are
linked to the people demo's real visits. Deterministic and idempotent: a county that already has
workers is left as it is. Runs after the people, cases and volunteers demos (visits exist), and
before the careers demo (title rounds and appraisals build on these profiles)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from shegong.accounts.models import Role, User
from shegong.core.demo_utils import chinese_name, demo_user, mobile, rng
from shegong.core.regioncode import code_range
from shegong.orgs.models import Kind, Organisation
from shegong.workforce import services
from shegong.workforce.models import HoursCredit, WorkerProfile

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

COUNTIES = {"440106": "tianhe", "441881": "yingde"}
PER_COUNTY = 36
POSTS = ["一线社工", "项目主管", "站长", "督导助理", "社工"]
MAJORS = ["社会学", "心理学", "行政管理", "汉语言文学", "护理学"]
# (education, social work major, level, years of social work) — every level, every path
PROFILES = [
    ("bachelor", True, "", 0),
    ("bachelor", True, "assistant", 2),
    ("bachelor", True, "social_worker", 5),
    ("master", True, "social_worker", 8),
    ("master", True, "senior", 12),
    ("college", True, "assistant", 3),
    ("college", False, "", 3),
    ("bachelor", False, "assistant", 4),
    ("high_school", False, "", 5),
    ("bachelor", False, "", 1),
    ("doctorate", True, "social_worker", 3),
    ("bachelor", True, "", 0),
]


def _id_number(r, county: str, birth: date, n: int) -> str:
    body = f"{county}{birth:%Y%m%d}{(n * 7 + r.randint(0, 6)) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _employers(county: str) -> list[Organisation]:
    low, high = code_range(county)
    return list(
        Organisation.objects.filter(
            region_id__gte=low,
            region_id__lte=high,
            kind__in=[Kind.SOCIAL_WORK_STATION, Kind.SOCIAL_WORK_ORGANISATION],
            is_active=True,
        ).order_by("region_id", "id")[:6]
    )


def _visits(county: str) -> list:
    from shegong.people.models import Visit

    low, high = code_range(county)
    return list(
        Visit.objects.filter(region_code__gte=low, region_code__lte=high).order_by(
            "-visited_on", "id"
        )[:20]
    )


@transaction.atomic
def _county(county: str, user: User, stdout) -> None:
    low, high = code_range(county)
    if WorkerProfile.objects.filter(region_code__gte=low, region_code__lte=high).exists():
        return
    employers = _employers(county)
    if not employers:
        return
    r = rng(f"workforce-{county}")
    today = timezone.localdate()
    workers: list[WorkerProfile] = []
    for n in range(PER_COUNTY):
        education, sw_major, level, years = PROFILES[n % len(PROFILES)]
        years += n // len(PROFILES)
        start = today - timedelta(days=365 * years + r.randint(20, 300))
        birth = date(1975 + r.randint(0, 22), r.randint(1, 12), r.randint(1, 28))
        worker = services.worker_create(
            acting_user=user,
            id_number=_id_number(r, county, birth, n),
            employer=employers[n % len(employers)],
            name=chinese_name(r),
            education=education,
            social_work_major=sw_major,
            major="社会工作" if sw_major else r.choice(MAJORS),
            post=r.choice(POSTS),
            employment_type="organisation" if n % 3 else "contract",
            social_work_start_date=start,
            post_start_date=start,
            phone=mobile(r),
            approved_supervisor=level == "senior",
        )
        order = ["assistant", "social_worker", "senior"]
        held = order[: order.index(level) + 1] if level else []
        issued = start + timedelta(days=400)
        for i, lv in enumerate(held):
            issued = min(start + timedelta(days=400 + 900 * i), today - timedelta(days=40))
            services.certificate_record(
                worker=worker,
                acting_user=user,
                level=lv,
                number=f"{county}{lv[:2].upper()}{n:05d}",
                issued_on=issued,
                issuing_body="人力资源和社会保障部、民政部",
            )
        worker.refresh_from_db()
        workers.append(worker)
        if held:
            _register(worker, user, issued, n, today)
    _courses(r, county, user, employers, workers, today)
    _mentoring(r, county, user, workers, today)
    stdout.write(f"  workforce {county}: {len(workers)} workers\n")


def _register(worker: WorkerProfile, user: User, issued: date, n: int, today: date) -> None:
    """Registrations of several ages: recent, lapsing within months, lapsed."""
    cert = worker.certificates.order_by("-issued_on").first()
    kind = n % 4
    if kind == 0:  # registered a month after the certificate (or recently)
        on = max(min(issued + timedelta(days=30), today), today - timedelta(days=200 + 5 * n))
    elif kind == 1:  # lapsing within 2–5 months
        on = today - timedelta(days=3 * 365 - 60 - 30 * (n % 4))
    elif kind == 2:
        on = today - timedelta(days=400)
    else:  # lapsed (registered more than 3 years ago)
        on = today - timedelta(days=3 * 365 + 40)
    on = max(on, cert.issued_on)
    if on > cert.issued_on + timedelta(days=364):
        # a late registration needs evidence: the demo gives the last 3 years' hours
        HoursCredit.objects.create(
            worker=worker,
            region_code=worker.region_code,
            credited_on=on - timedelta(days=100),
            hours=90,
            source=HoursCredit.Source.EXTERNAL,
            kind="theory",
        )
    services.registration_record(certificate=cert, acting_user=user, registered_on=on)


def _courses(r, county, user, employers, workers, today) -> None:
    organiser = user.active_membership.organisation
    plan = [
        ("社会工作伦理与法规", "theory", -200, 16),
        ("长者服务实务：入户评估与个案管理", "practice", -120, 24),
        ("儿童保护与困境儿童关爱", "theory", -45, 12),
        ("社区治理与社工站建设", "practice", 20, 16),
    ]
    registered = [w for w in workers if w.highest_level]
    for i, (title, kind, days, hours) in enumerate(plan):
        starts = today + timedelta(days=days)
        course = services.course_create(
            acting_user=user,
            organiser=organiser if i % 2 == 0 else employers[0],
            title=title,
            kind=kind,
            starts_on=starts,
            ends_on=starts + timedelta(days=1),
            hours=hours,
            capacity=30,
            place="区社会工作服务中心培训室",
        )
        for j, w in enumerate(registered[i::2][:18]):
            enrolment = services.enrolment_create(course=course, worker=w, acting_user=user)
            if days < 0:
                services.enrolment_attend(
                    enrolment=enrolment, acting_user=user, attended=j % 7 != 3
                )
    for w in registered[:3]:
        services.external_submit(
            worker=w,
            acting_user=user,
            title="广东省社会工作督导人才培训",
            provider="广东省社会工作师联合会",
            kind="theory",
            completed_on=today - timedelta(days=20),
            hours=12,
            evidence=f"结业证书 GDSW-{today.year}-{w.pk:04d}",
        )
    services.registrations_lapse(today=today)


def _mentoring(r, county, user, workers, today) -> None:
    mentors = [w for w in workers if w.highest_level in ("social_worker", "senior")][:4]
    mentees = [w for w in workers if w.highest_level in ("", "assistant")]
    visits = _visits(county)
    for i, mentee in enumerate(mentees[:10]):
        mentor = mentors[i % len(mentors)] if mentors else None
        if mentor is None:
            return
        visit = visits[i % len(visits)] if visits else None
        started = today - timedelta(days=90 + 10 * i)
        if visit is not None:
            started = min(started, visit.visited_on - timedelta(days=14))
        pair = services.pair_create(
            mentor=mentor,
            mentee=mentee,
            acting_user=user,
            goals="半年内独立完成入户探访、需求评估与服务计划；掌握个案记录规范。",
            started_on=started,
        )
        services.session_record(
            pair=pair,
            acting_user=user,
            held_on=pair.started_on + timedelta(days=7),
            kind="theory",
            hours=2,
            topic="社会工作伦理与服务对象隐私保护",
        )
        if visit is not None:
            services.session_record(
                pair=pair,
                acting_user=user,
                held_on=visit.visited_on,
                kind="practice",
                hours=3,
                topic="陪同入户探访：长者需求评估",
                visit=visit,
            )
        if i == 9:
            services.pair_close(
                pair=pair,
                acting_user=user,
                evaluation="已能独立开展探访和需求评估，带教目标达成。",
                closed_on=today - timedelta(days=5),
            )


def load(*, stdout) -> None:
    for county, username in COUNTIES.items():
        user = demo_user(username)
        if user is None or user.active_membership.role not in (Role.DEPT_STAFF, Role.DEPT_LEADER):
            continue
        _county(county, user, stdout)

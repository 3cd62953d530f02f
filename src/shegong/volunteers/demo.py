"""Demo data for volunteer services in the two demo counties (天河区, 英德市): volunteers, party-member
teams of communities, activities in the past (with confirmed records and certificates, some still
awaiting confirmation, some linked to the registered residents they served), upcoming ones with
sign-ups, one full shift with a waiting list, and the
demo volunteer login `volunteer`. Deterministic and idempotent: only what is missing is created."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from shegong.accounts.membership_services import membership_ensure, user_create
from shegong.accounts.models import Role, User
from shegong.core import crypto
from shegong.core.demo_utils import DEMO_PASSWORD, chinese_name, mobile, rng
from shegong.core.regioncode import RegionCode, code_range
from shegong.orgs.models import Kind, Organisation
from shegong.regions.models import Level, Region
from shegong.volunteers import rules, services
from shegong.volunteers.models import (
    PARTY_STATUSES,
    Activity,
    Certificate,
    PoliticalStatus,
    ServiceRecord,
    ServiceType,
    Shift,
    SignUp,
    Skill,
    Team,
    TeamMember,
    Volunteer,
)

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

COUNTIES = {"440106": 1985, "441881": 1995}  # county → first birth year valid for its ID codes
PER_COUNTY = 60
DEMO_VOLUNTEER = "volunteer"

ACTIVITIES = [
    # title, type, beneficiaries, days from today, brand name, capacity, skills
    (
        "“银龄暖心”独居长者上门探访",
        ServiceType.ELDERLY,
        "辖区独居、空巢长者",
        -40,
        "银龄暖心",
        6,
        [Skill.ELDERLY_CARE],
    ),
    (
        "社区儿童“四点半课堂”课业辅导",
        ServiceType.CHILDREN,
        "双职工家庭、困境儿童",
        -25,
        "四点半课堂",
        5,
        [Skill.TEACHING],
    ),
    (
        "邻里矛盾调解协助志愿服务",
        ServiceType.MEDIATION,
        "有纠纷的邻里、家庭",
        -12,
        "",
        4,
        [Skill.LAW],
    ),
    ("河涌保洁与垃圾分类宣传", ServiceType.ENVIRONMENT, "社区居民", -6, "", 8, []),
    ("党员先锋岗：防汛应急值守", ServiceType.EMERGENCY, "辖区居民", -3, "", 4, [Skill.FIRST_AID]),
    ("残疾人康复陪伴与出行协助", ServiceType.DISABILITY, "持证残疾人", 2, "", 3, [Skill.DRIVING]),
    (
        "“银龄暖心”长者健康义诊",
        ServiceType.ELDERLY,
        "60 岁以上长者",
        1,
        "银龄暖心",
        3,
        [Skill.MEDICAL],
    ),
    ("周末社区文化广场活动", ServiceType.CULTURE, "社区居民", 5, "", 2, []),
    ("社区治理议事会志愿服务", ServiceType.GOVERNANCE, "社区居民代表", 9, "", 6, []),
    ("困难群众节前慰问探访", ServiceType.POVERTY, "低保、特困人员", 14, "", 8, []),
]


def _resident_id(r, area: str, first_year: int) -> str:
    while True:
        birth = date(r.randint(first_year, 2005), r.randint(1, 12), r.randint(1, 28))
        body = f"{area}{birth:%Y%m%d}{r.randint(10, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if ric.is_valid(number):
            return number


def _places(county: str) -> list[Region]:
    low, high = code_range(county)
    villages = list(
        Region.objects.filter(code__gte=low, code__lte=high, level=Level.VILLAGE).order_by("code")[
            :80
        ]
    )
    return villages or list(Region.objects.filter(code=RegionCode.from_prefix(county)))


def _volunteers(r, county: str, first_year: int, organisation: Organisation) -> list[Volunteer]:
    places = _places(county)
    skills = list(Skill.values)
    statuses = (
        [PoliticalStatus.PARTY_MEMBER] * 3
        + [PoliticalStatus.LEAGUE_MEMBER] * 2
        + [PoliticalStatus.MASSES] * 4
        + [PoliticalStatus.PROBATIONARY]
    )
    made = []
    for i in range(PER_COUNTY):
        number = _resident_id(r, county, first_year)
        name = chinese_name(r)
        phone = mobile(r)
        place = places[i % len(places)]
        status = r.choice(statuses)
        chosen = r.sample(skills, r.randint(0, 3))
        days = sorted(r.sample(range(7), r.randint(1, 4)))
        digest = crypto.blind_index(number)
        existing = Volunteer.objects.filter(id_number_hash__in=crypto.blind_indexes(number)).first()
        if existing is not None:
            made.append(existing)
            continue
        resident = crypto.validate_resident_id(number)
        v = Volunteer(
            number=services._next_volunteer_number(place.code),
            name=name,
            sex=resident.sex,
            birth_date=resident.birth_date,
            id_number_encrypted=crypto.encrypt(number),
            id_number_hash=digest,
            id_number_masked=crypto.mask_id(number),
            phone=phone,
            skills=chosen,
            availability=days,
            region=place,
            political_status=status,
            is_party_member=status in PARTY_STATUSES,
            organisation=organisation,
            source=Volunteer.Source.ORGANISATION if i % 3 else Volunteer.Source.PUBLIC,
            consent_at=timezone.now(),
            consent_public=i % 4 != 0,
        )
        v._history_user = None
        v.save()
        made.append(v)
    return made


def _teams(r, county: str, volunteers: list[Volunteer]) -> None:
    low, high = code_range(county)
    communities = list(
        Organisation.objects.filter(
            region_id__gte=low,
            region_id__lte=high,
            kind__in=(Kind.RESIDENTS_COMMITTEE, Kind.VILLAGERS_COMMITTEE),
        ).order_by("region_id")[:3]
    )
    sw_orgs = list(
        Organisation.objects.filter(
            region_id__gte=low, region_id__lte=high, kind=Kind.SOCIAL_WORK_ORGANISATION
        ).order_by("id")[:1]
    )
    party = [v for v in volunteers if v.is_party_member]
    others = [v for v in volunteers if not v.is_party_member]
    specs = [(f"{c.name}党员志愿服务队", Team.Kind.PARTY, c, party) for c in communities]
    specs += [(f"{o.name}志愿服务队", Team.Kind.ORGANISATION, o, others) for o in sw_orgs]
    for index, (name, kind, org, pool) in enumerate(specs):
        team = Team.objects.filter(name=name, organisation=org).first()
        if team is None:
            team = Team(
                name=name,
                kind=kind,
                organisation=org,
                region_id=org.region_id,
                description="扎根社区、就近服务的志愿服务队伍。",
            )
            team.save()
        if team.team_members.exists() or not pool:
            continue
        members = pool[index::2][:8] or pool[:8]
        today = timezone.localdate()
        for m_index, v in enumerate(members):
            TeamMember.objects.create(
                team=team,
                volunteer=v,
                region_code=team.region_id,
                joined_on=today - timedelta(days=400 - m_index * 20),
                is_leader=m_index == 0,
                left_on=today - timedelta(days=30) if m_index == len(members) - 1 else None,
            )


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _activities(r, county: str, volunteers: list[Volunteer], organiser: User | None) -> None:
    low, high = code_range(county)
    stations = list(
        Organisation.objects.filter(
            region_id__gte=low, region_id__lte=high, kind=Kind.SOCIAL_WORK_STATION
        ).order_by("region_id")[:3]
    )
    if not stations:
        return
    today = timezone.localdate()
    for index, (title, stype, beneficiaries, offset, brand, capacity, skills) in enumerate(
        ACTIVITIES
    ):
        station = stations[index % len(stations)]
        if Activity.objects.filter(title=title, organisation=station).exists():
            continue
        day = today + timedelta(days=offset)
        start, end = _at(day, 9), _at(day, 12)
        activity = Activity(
            title=title,
            description=f"{station.name}组织志愿者开展{stype.label}，服务{beneficiaries}。",
            service_type=stype,
            beneficiaries=beneficiaries,
            organisation=station,
            site=station,
            address=station.address,
            region_id=station.region_id,
            starts_at=start,
            ends_at=_at(day, 17),
            is_brand=bool(brand),
            brand_name=brand,
            auto_accept=True,
            status=Activity.Status.COMPLETED if offset < 0 else Activity.Status.PUBLISHED,
            person_in_charge=station.contact_person or chinese_name(r),
            contact_phone=station.phone,
            created_by=organiser,
        )
        activity.save()
        shifts = [
            Shift.objects.create(
                activity=activity,
                region_code=activity.region_id,
                title="上午班",
                starts_at=start,
                ends_at=end,
                capacity=capacity,
                required_skills=[str(s) for s in skills],
                checkin_code=services.new_checkin_code(),
            ),
            Shift.objects.create(
                activity=activity,
                region_code=activity.region_id,
                title="下午班",
                starts_at=_at(day, 14),
                ends_at=_at(day, 17),
                capacity=capacity,
                required_skills=[],
                checkin_code=services.new_checkin_code(),
            ),
        ]
        pool = volunteers[:]
        r.shuffle(pool)
        for s_index, shift in enumerate(shifts):
            # the morning shift of the first upcoming activity is full with a waiting list
            full = offset > 0 and index == 5 and s_index == 0
            count = capacity + 2 if full else max(capacity - 1, 1)
            chosen = pool[s_index * 10 : s_index * 10 + count]
            for c_index, v in enumerate(chosen):
                status = SignUp.Status.ACCEPTED if c_index < capacity else SignUp.Status.WAITLISTED
                signup = SignUp.objects.create(
                    shift=shift,
                    volunteer=v,
                    region_code=shift.region_code,
                    status=status,
                    created_at=start - timedelta(days=7, minutes=-c_index * 13),
                    decided_at=start - timedelta(days=7),
                )
                if offset >= 0 or status != SignUp.Status.ACCEPTED:
                    continue
                checkin = shift.starts_at + timedelta(minutes=r.choice([0, 5, 10]))
                checkout = shift.ends_at - timedelta(minutes=r.choice([0, 15, 30]))
                SignUp.objects.filter(pk=signup.pk).update(
                    checked_in_at=checkin, checked_out_at=checkout
                )
                # the most recent past activity is still awaiting the organiser's confirmation
                pending = offset == -3
                ServiceRecord.objects.create(
                    volunteer=v,
                    activity=activity,
                    signup=signup,
                    organisation=station,
                    region_code=activity.region_id,
                    activity_name=activity.title,
                    service_date=day,
                    place=activity.address,
                    beneficiaries=beneficiaries,
                    content=f"{stype.label}：{shift.title}",
                    hours=rules.hours_between(checkin, checkout),
                    quality_rating=None if pending else r.choice([4, 5, 5]),
                    status=ServiceRecord.Status.PENDING
                    if pending
                    else ServiceRecord.Status.CONFIRMED,
                    source=ServiceRecord.Source.CHECKIN,
                    recorder=organiser,
                    recorder_name=str(organiser) if organiser else station.contact_person,
                    person_in_charge=activity.person_in_charge,
                    confirmed_at=None if pending else checkout + timedelta(hours=2),
                )


def _link_residents(r, station: Organisation, organiser: User | None) -> None:
    """The registered residents some past services helped, linked as the organiser would (so
    the resident's page shows the volunteer help); a resident already linked is skipped."""
    from django.core.exceptions import ValidationError

    from shegong.volunteers.models import RecordBeneficiary
    from shegong.volunteers.selectors import linkable_residents

    membership = organiser.memberships.filter(organisation=station).first() if organiser else None
    if membership is None:
        return
    organiser.active_membership = membership
    records = ServiceRecord.objects.filter(
        organisation=station, source=ServiceRecord.Source.CHECKIN
    ).order_by("service_date", "id")[:12]
    for record in records:
        if RecordBeneficiary.objects.filter(record=record).exists():
            continue
        candidates = list(linkable_residents(fetched_by=organiser, record=record)[:40])
        if not candidates:
            continue
        try:
            services.record_link_resident(
                record=record, resident_id=r.choice(candidates).pk, acting_user=organiser
            )
        except ValidationError:  # e.g. the resident withdrew consent to volunteer service
            continue


def _history_records(r, volunteers: list[Volunteer], station: Organisation) -> None:
    """Years of earlier service imported from the previous system, so that star levels show."""
    today = timezone.localdate()
    for index, v in enumerate(volunteers[:12]):
        if ServiceRecord.objects.filter(volunteer=v, source=ServiceRecord.Source.IMPORT).exists():
            continue
        target = [40, 120, 320, 640, 1010, 1520][index % 6] + r.randint(0, 8)
        per = Decimal("4")
        n = int(target // 4)
        ServiceRecord.objects.bulk_create(
            ServiceRecord(
                volunteer=v,
                organisation=station,
                region_code=station.region_id,
                activity_name=r.choice(
                    ["社区长者饭堂助餐", "图书馆导读", "交通文明劝导", "社区核酸检测协助"]
                ),
                service_date=today - timedelta(days=120 + k * 3),
                place=station.address,
                content="历史服务记录（原系统导入）",
                hours=per,
                status=ServiceRecord.Status.CONFIRMED,
                source=ServiceRecord.Source.IMPORT,
                recorder_name="原系统导入",
                person_in_charge=station.contact_person,
                confirmed_at=timezone.now(),
            )
            for k in range(n)
        )


def _demo_volunteer(volunteers: list[Volunteer], station: Organisation) -> Volunteer:
    user = User.objects.filter(username=DEMO_VOLUNTEER).first()
    if user is None:
        user = user_create(
            acting_user=None,
            username=DEMO_VOLUNTEER,
            password=DEMO_PASSWORD,
            full_name=volunteers[0].name,
            via="demo",
        )
    membership_ensure(
        acting_user=None, user=user, organisation=station, role=Role.VOLUNTEER, via="demo"
    )
    linked = Volunteer.objects.filter(user=user).first()
    if linked is not None:
        return linked
    v = volunteers[0]
    Volunteer.objects.filter(pk=v.pk).update(user=user)
    User.objects.filter(pk=user.pk).update(full_name=v.name, phone=v.phone)
    v.user = user
    return v


def _sign_up_demo_volunteer(me: Volunteer, county: str) -> None:
    if SignUp.objects.filter(volunteer=me, shift__starts_at__gte=timezone.now()).exists():
        return
    low, high = code_range(county)
    for shift in Shift.objects.filter(
        region_code__gte=low,
        region_code__lte=high,
        starts_at__gte=timezone.now(),
        activity__status=Activity.Status.PUBLISHED,
        required_skills=[],
    ).order_by("starts_at")[:2]:
        if not SignUp.objects.filter(shift=shift, volunteer=me).exists():
            services.signup_create(shift=shift, volunteer=me)


@transaction.atomic
def load(*, stdout) -> None:
    for county, first_year in COUNTIES.items():
        r = rng(f"volunteers-{county}")
        low, high = code_range(county)
        station = (
            Organisation.objects.filter(
                region_id__gte=low, region_id__lte=high, kind=Kind.SOCIAL_WORK_STATION
            )
            .order_by("region_id", "id")
            .first()
        )
        if station is None:
            continue
        organiser = (
            User.objects.filter(
                memberships__organisation=station, memberships__role=Role.STATION_WORKER
            )
            .order_by("id")
            .first()
        )
        volunteers = _volunteers(r, county, first_year, station)
        _teams(rng(f"volunteers-teams-{county}"), county, volunteers)
        _activities(rng(f"volunteers-activities-{county}"), county, volunteers, organiser)
        _history_records(rng(f"volunteers-history-{county}"), volunteers, station)
        _link_residents(rng(f"volunteers-beneficiaries-{county}"), station, organiser)
        if county == "440106":
            me = _demo_volunteer(volunteers, station)
            _sign_up_demo_volunteer(me, county)
        services.recompute_certified_hours([v.pk for v in volunteers])
        for v in volunteers[:4]:
            by_org = (
                ServiceRecord.objects.confirmed()
                .filter(volunteer=v)
                .values_list("organisation_id", flat=True)
                .distinct()
            )
            for org_id in by_org:
                if not Certificate.objects.filter(volunteer=v, organisation_id=org_id).exists():
                    services.certificate_issue(
                        volunteer=v,
                        organisation=Organisation.objects.get(pk=org_id),
                        acting_user=organiser,
                    )
    stdout.write(
        f"  志愿者：{Volunteer.objects.count()} 名，队伍 {Team.objects.count()} 支，"
        f"活动 {Activity.objects.count()} 个，服务记录 {ServiceRecord.objects.count()} 条"
    )
    if "me" in locals():
        stdout.write(f"  演示志愿者账号 {DEMO_VOLUNTEER}（{me.name}，{me.number}）")

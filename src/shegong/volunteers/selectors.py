"""Reads: scoped lists, access helpers, the my-page view, matching inputs and the roll-ups that
both the internal statistics page and the public portal show (one function, the same figures)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core import crypto
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import code_range, get_visible_or_404, jurisdiction_of
from shegong.orgs.models import Kind, Organisation
from shegong.orgs.selectors import department_to_contact
from shegong.volunteers import matching
from shegong.volunteers.models import (
    Activity,
    Certificate,
    ServiceRecord,
    Shift,
    SignUp,
    Team,
    TeamMember,
    Volunteer,
    VolunteerApplication,
)

HOLDS_SEAT = (SignUp.Status.ACCEPTED,)

OWN_ROWS = (
    "Rows of a team, activity or volunteer the caller already read through its scope (or "
    "the signed-in volunteer's own record, sign-ups, records and certifying "
    "organisations)."
)

ROLLUP = (
    "The one roll-up of volunteer figures for a subtree, behind the internal statistics "
    "and the public portal (docs/decisions/volunteers-0001): only counts leave."
)

PUBLIC_VERIFY = (
    "The public certificate check (portal/verify): a certificate is found only by its "
    "full number and shows only what the certificate itself states."
)

HOME_STATION = (
    "The station or department serving a home region (public bodies), found by region "
    "code for a volunteer who registers there."
)

# ---- registration checks -----------------------------------------------------------------------


def home_organisation(region_code: str) -> Organisation | None:
    """The social work station (or the nearest department above) that serves a home region."""
    prefixes = [region_code[:n] for n in (9, 6, 4, 2)]
    for prefix in prefixes:
        low, high = code_range(prefix)
        candidates = (
            Organisation.objects.unscoped(reason=HOME_STATION)
            .filter(
                region_id__gte=low,
                region_id__lte=high,
                kind__in=(Kind.SOCIAL_WORK_STATION, Kind.SOCIAL_WORK_DEPARTMENT),
                is_active=True,
            )
            .order_by("kind", "region_id", "id")
        )
        found = candidates.first()
        if found is not None:
            return found
    return None


def volunteer_id_holders(numbers: list[str]) -> dict[str, str]:
    """`{ID number: region code}` of volunteers registered with these ID numbers anywhere (under
    any key or scheme still in use): a volunteer registers once in the whole country. Only the
    region code leaves here."""
    candidates = {h: number for number in numbers for h in crypto.blind_indexes(number)}
    found = (
        Volunteer.objects.unscoped(
            reason="A volunteer registers once in the whole country: an ID number already "
            "registered is refused wherever it is; only the holder's region code is read."
        )
        .filter(id_number_hash__in=list(candidates))
        .values_list("id_number_hash", "region_id")
    )
    return {candidates[h]: region for h, region in found}


def id_taken_message(holder_region: str, *, fetched_by: User | None) -> str:
    """Staff of the holder's jurisdiction learn that the ID number is registered; staff elsewhere
    only whom to contact."""
    if fetched_by is None or jurisdiction_of(fetched_by).contains(holder_region):
        return _("该身份证号已注册为志愿者。")
    return _("该身份证号已在其他辖区注册为志愿者，请联系%(dept)s。") % {
        "dept": department_to_contact(holder_region)
    }


def seats_taken(shift: Shift) -> int:
    return (
        SignUp.objects.unscoped(reason=OWN_ROWS).filter(shift=shift, status__in=HOLDS_SEAT).count()
    )


def waitlist_position(signup: SignUp) -> int:
    return (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(shift_id=signup.shift_id, status=SignUp.Status.WAITLISTED)
        .filter(
            Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, id__lte=signup.id)
        )
        .count()
    )


# ---- lists and access helpers ------------------------------------------------------------------


def volunteer_list(
    *, fetched_by: User, q: str = "", region_prefix: str = "", party: str = "", skill: str = ""
) -> QuerySet[Volunteer]:
    qs = Volunteer.objects.visible_to(fetched_by)
    if region_prefix.isdigit():
        qs = qs.in_subtree(region_prefix)
    if q:
        from shegong.core.crypto import blind_indexes

        if len(q) == 18:
            qs = qs.filter(id_number_hash__in=blind_indexes(q))
        else:
            qs = qs.filter(Q(name__startswith=q) | Q(number=q.upper()) | Q(phone=q))
    if party == "1":
        qs = qs.filter(is_party_member=True)
    if skill:
        qs = qs.filter(skills__contains=skill) if _json_contains_ok() else qs
    return qs.select_related("region")


def _json_contains_ok() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def get_volunteer_for(*, fetched_by: User, pk: int) -> Volunteer:
    return get_visible_or_404(Volunteer.objects.select_related("region", "user"), fetched_by, pk=pk)


def volunteer_by_number(*, fetched_by: User, number: str) -> Volunteer | None:
    """A volunteer of the reader's jurisdiction, by the number typed into a form."""
    number = (number or "").strip().upper()
    return Volunteer.objects.visible_to(fetched_by).filter(number=number).first()


def volunteer_recent_records(volunteer: Volunteer, limit: int = 30) -> QuerySet[ServiceRecord]:
    """The latest service records of a volunteer the reader already fetched."""
    return volunteer.records.select_related("organisation").order_by("-service_date", "-id")[:limit]


def volunteer_teams(volunteer: Volunteer) -> QuerySet[TeamMember]:
    return volunteer.team_members.select_related("team").order_by("-joined_on")


def application_list(
    *, fetched_by: User, status: str = VolunteerApplication.Status.PENDING
) -> QuerySet[VolunteerApplication]:
    """Registrations from the public portal for the reader's jurisdiction, oldest first."""
    qs = VolunteerApplication.objects.visible_to(fetched_by).select_related(
        "region", "decided_by", "volunteer"
    )
    if status in VolunteerApplication.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def get_application_for(*, fetched_by: User, pk: int) -> VolunteerApplication:
    return get_visible_or_404(VolunteerApplication.objects.all(), fetched_by, pk=pk)


def team_list(*, fetched_by: User, q: str = "") -> QuerySet[Team]:
    qs = Team.objects.visible_to(fetched_by).select_related("organisation", "region")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.annotate(members=Count("team_members", filter=Q(team_members__left_on__isnull=True)))


def get_team_for(*, fetched_by: User, pk: int) -> Team:
    return get_visible_or_404(
        Team.objects.select_related("organisation", "region"), fetched_by, pk=pk
    )


def get_team_member_for(*, fetched_by: User, pk: int) -> TeamMember:
    return get_visible_or_404(TeamMember.objects.all(), fetched_by, pk=pk)


def team_members(team: Team) -> QuerySet[TeamMember]:
    return (
        TeamMember.objects.unscoped(reason=OWN_ROWS)
        .filter(team=team)
        .select_related("volunteer")
        .order_by("left_on", "-is_leader", "joined_on", "id")
    )


def activity_list(
    *, fetched_by: User, status: str = "", q: str = "", when: str = ""
) -> QuerySet[Activity]:
    qs = Activity.objects.visible_to(fetched_by).select_related("organisation", "region")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now)
    elif when == "past":
        qs = qs.filter(ends_at__lt=now)
    return qs


def get_activity_for(*, fetched_by: User, pk: int) -> Activity:
    return get_visible_or_404(
        Activity.objects.select_related("organisation", "region", "site"), fetched_by, pk=pk
    )


def activity_sites(*, fetched_by: User) -> QuerySet[Organisation]:
    """The service sites an organiser may hold an activity at."""
    return Organisation.objects.visible_to(fetched_by).sites().order_by("region_id", "name")


def activity_shifts(activity: Activity) -> list[Shift]:
    return list(activity.shifts.all())


def get_shift_for(*, fetched_by: User, pk: int) -> Shift:
    return get_visible_or_404(Shift.objects.select_related("activity"), fetched_by, pk=pk)


def get_signup_for(*, fetched_by: User, pk: int) -> SignUp:
    return get_visible_or_404(
        SignUp.objects.select_related("shift__activity", "volunteer"), fetched_by, pk=pk
    )


def get_record_for(*, fetched_by: User, pk: int) -> ServiceRecord:
    return get_visible_or_404(
        ServiceRecord.objects.select_related("volunteer", "activity", "organisation"),
        fetched_by,
        pk=pk,
    )


def shifts_with_signups(activity: Activity) -> list[dict]:
    shifts = list(activity.shifts.all().order_by("starts_at", "id"))
    signups = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(shift__activity=activity)
        .select_related("volunteer")
        .order_by("created_at", "id")
    )
    by_shift: dict[int, list[SignUp]] = {s.pk: [] for s in shifts}
    for s in signups:
        by_shift[s.shift_id].append(s)
    records = {
        r.signup_id: r
        for r in ServiceRecord.objects.unscoped(reason=OWN_ROWS).filter(
            activity=activity, signup__isnull=False
        )
    }
    out = []
    for shift in shifts:
        rows = by_shift[shift.pk]
        for row in rows:
            row.service_record = records.get(row.pk)
        accepted = [r for r in rows if r.status == SignUp.Status.ACCEPTED]
        waiting = [r for r in rows if r.status == SignUp.Status.WAITLISTED]
        out.append(
            {
                "shift": shift,
                "signups": rows,
                "accepted": len(accepted),
                "free": max(shift.capacity - len(accepted), 0),
                "waiting": waiting,
                "served": [r for r in rows if r.checked_out_at],
            }
        )
    return out


def record_list(*, fetched_by: User, status: str = "", q: str = "") -> QuerySet[ServiceRecord]:
    qs = ServiceRecord.objects.visible_to(fetched_by).select_related("volunteer", "organisation")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(activity_name__icontains=q) | Q(volunteer__number=q.upper()))
    return qs


# ---- the volunteer's own page ------------------------------------------------------------------


def volunteer_of(*, fetched_by: User) -> Volunteer | None:
    """The signed-in user's own volunteer record (None: they are not a volunteer)."""
    if not fetched_by.is_authenticated:
        return None
    return (
        Volunteer.objects.unscoped(reason=OWN_ROWS)
        .filter(user=fetched_by)
        .select_related("region")
        .first()
    )


def my_page(volunteer: Volunteer) -> dict:
    from shegong.volunteers.rules import star_level, star_thresholds

    signups = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(volunteer=volunteer)
        .select_related("shift__activity")
        .order_by("-shift__starts_at")[:50]
    )
    records = (
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .filter(volunteer=volunteer)
        .select_related("organisation")
    )
    by_org = (
        records.filter(status=ServiceRecord.Status.CONFIRMED)
        .values("organisation_id", "organisation__name")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by("organisation__name")
    )
    hours = volunteer.certified_hours
    thresholds = star_thresholds()
    nxt = next((t for t in thresholds if hours < t), None)
    return {
        "volunteer": volunteer,
        "signups": signups,
        "records": records.order_by("-service_date", "-id")[:50],
        "by_org": list(by_org),
        "certificates": volunteer.certificates.select_related("organisation")[:20],
        "notices": volunteer.notices.all()[:10],
        "stars": star_level(hours),
        "next_threshold": nxt,
        "to_next": (nxt - hours) if nxt is not None else None,
    }


def volunteer_hours_total(volunteer_id: int) -> Decimal:
    """The certified total straight from the records (the benchmarked query)."""
    total = (
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .filter(volunteer_id=volunteer_id, status=ServiceRecord.Status.CONFIRMED)
        .aggregate(t=Sum("hours"))["t"]
    )
    return total or Decimal("0")


# ---- matching inputs ---------------------------------------------------------------------------


def candidates_for(
    activity: Activity, *, fetched_by: User, limit: int = 400
) -> list[matching.Candidate]:
    """Active consenting volunteers of the activity's county not yet signed up to it, among
    those the organiser may see (a township's organiser is not shown the rest of the county)."""
    county = activity.region_id[:6]
    taken = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(
            shift__activity=activity,
            status__in=(
                SignUp.Status.ACCEPTED,
                SignUp.Status.PENDING,
                SignUp.Status.WAITLISTED,
                SignUp.Status.INVITED,
            ),
        )
        .values("volunteer_id")
    )
    rows = list(
        Volunteer.objects.visible_to(fetched_by)
        .in_subtree(county)
        .filter(is_active=True)
        .exclude(pk__in=taken)
        .values("id", "skills", "region_id", "availability")
        .order_by("id")[:limit]
    )
    since = timezone.localdate() - timedelta(days=30)
    recent = dict(
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .filter(
            volunteer_id__in=[r["id"] for r in rows],
            service_date__gte=since,
            status=ServiceRecord.Status.CONFIRMED,
        )
        .values_list("volunteer_id")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    return [
        matching.Candidate(
            id=r["id"],
            skills=frozenset(r["skills"] or []),
            region_code=r["region_id"],
            availability=frozenset(r["availability"] or []),
            recent_hours=float(recent.get(r["id"]) or 0),
        )
        for r in rows
    ]


def slot_of(shift: Shift, *, free: int | None = None) -> matching.Slot:
    if free is None:
        taken = shift.signups.filter(status=SignUp.Status.ACCEPTED).count()
        free = max(shift.capacity - taken, 0)
    return matching.Slot(
        id=shift.pk,
        required=frozenset(shift.required_skills or []),
        capacity=free,
        region_code=shift.region_code,
        weekday=timezone.localtime(shift.starts_at).weekday(),
    )


# ---- statistics (the internal roll-up and the public figures are this one function) ------------


@dataclass
class Figures:
    volunteers: int = 0
    new_volunteers: int = 0
    party_volunteers: int = 0
    teams: int = 0
    activities: int = 0
    certified_hours: Decimal = Decimal("0")
    served_volunteers: int = 0

    def as_dict(self) -> dict:
        return {
            "volunteers": self.volunteers,
            "new_volunteers": self.new_volunteers,
            "party_volunteers": self.party_volunteers,
            "teams": self.teams,
            "activities": self.activities,
            "certified_hours": str(self.certified_hours.quantize(Decimal("0.01"))),
            "served_volunteers": self.served_volunteers,
        }


def month_bounds(year: int, month: int) -> tuple[date, date, datetime, datetime]:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return first, last, start, end


def _grouped(qs: QuerySet, code_field: str, child_len: int, **aggregates) -> dict[str, dict]:
    rows = (
        qs.annotate(child=Substr(code_field, 1, child_len))
        .values("child")
        .annotate(**aggregates)
        .order_by()
    )
    return {r.pop("child"): r for r in rows}


def rollup(*, prefix: str, year: int, month: int, child_len: int) -> tuple[Figures, dict]:
    """Figures for a region subtree and month, in total and per child region (by code prefix).

    - volunteers: active volunteers registered by the month's end, by home region;
    - new volunteers: registered during the month; party volunteers: of the active ones;
    - teams: active teams created by the month's end;
    - activities: published (or completed) activities starting in the month;
    - certified hours and served volunteers: confirmed service records dated in the month.
    """
    low, high = code_range(prefix)
    first, last, start, end = month_bounds(year, month)
    vols = Volunteer.objects.unscoped(reason=ROLLUP).filter(
        region_id__gte=low, region_id__lte=high, is_active=True, created_at__lt=end
    )
    teams = Team.objects.unscoped(reason=ROLLUP).filter(
        region_id__gte=low, region_id__lte=high, is_active=True, created_at__lt=end
    )
    acts = (
        Activity.objects.unscoped(reason=ROLLUP)
        .published()
        .filter(region_id__gte=low, region_id__lte=high, starts_at__gte=start, starts_at__lt=end)
    )
    recs = (
        ServiceRecord.objects.unscoped(reason=ROLLUP)
        .confirmed()
        .filter(
            region_code__gte=low,
            region_code__lte=high,
            service_date__gte=first,
            service_date__lte=last,
        )
    )
    per_child: dict[str, Figures] = {}

    def put(child: str, **values) -> None:
        fig = per_child.setdefault(child, Figures())
        for key, value in values.items():
            setattr(fig, key, value or getattr(Figures(), key))

    for child, r in _grouped(
        vols,
        "region_id",
        child_len,
        # COUNT(*) lets PostgreSQL answer from the covering index vol_region_created
        n=Count("*"),
        new=Sum(Case(When(created_at__gte=start, then=Value(1)), default=Value(0))),
        party=Sum(Case(When(is_party_member=True, then=Value(1)), default=Value(0))),
    ).items():
        put(child, volunteers=r["n"], new_volunteers=r["new"], party_volunteers=r["party"])
    for child, r in _grouped(teams, "region_id", child_len, n=Count("id")).items():
        put(child, teams=r["n"])
    for child, r in _grouped(acts, "region_id", child_len, n=Count("id")).items():
        put(child, activities=r["n"])
    for child, r in _grouped(
        recs, "region_code", child_len, h=Sum("hours"), v=Count("volunteer_id", distinct=True)
    ).items():
        hours = Decimal(str(r["h"] or 0)).quantize(Decimal("0.01"))
        put(child, certified_hours=hours, served_volunteers=r["v"])
    total = Figures(
        volunteers=sum(f.volunteers for f in per_child.values()),
        new_volunteers=sum(f.new_volunteers for f in per_child.values()),
        party_volunteers=sum(f.party_volunteers for f in per_child.values()),
        teams=sum(f.teams for f in per_child.values()),
        activities=sum(f.activities for f in per_child.values()),
        certified_hours=sum((f.certified_hours for f in per_child.values()), Decimal("0")),
        # a volunteer may serve in two child regions: count distinct over the whole subtree
        served_volunteers=recs.values("volunteer_id").distinct().count(),
    )
    return total, dict(sorted(per_child.items()))


def rollup_with_names(*, prefix: str, year: int, month: int) -> dict:
    from shegong.core.scoping import PREFIX_LENGTH
    from shegong.regions.models import Region

    level = next((lvl for lvl, n in PREFIX_LENGTH.items() if n == len(prefix)), 0)
    child_len = PREFIX_LENGTH.get(level + 1, 12)
    total, per_child = rollup(prefix=prefix, year=year, month=month, child_len=child_len)
    codes = {c: RegionCode.from_prefix(c) for c in per_child}
    names = dict(Region.objects.filter(code__in=codes.values()).values_list("code", "name"))
    return {
        "total": total,
        "rows": [
            {"code": codes[c], "name": names.get(codes[c], c), "figures": f}
            for c, f in per_child.items()
        ],
    }


def certificate_by_number(number: str) -> Certificate | None:
    return (
        Certificate.objects.unscoped(reason=PUBLIC_VERIFY)
        .select_related("volunteer", "organisation")
        .filter(number=(number or "").strip().upper())
        .first()
    )


def hours_by_volunteer(*, fetched_by: User, first: date, last: date):
    return (
        ServiceRecord.objects.visible_to(fetched_by)
        .confirmed()
        .filter(service_date__gte=first, service_date__lte=last)
        .values("volunteer__number", "volunteer__name", "volunteer__region_id")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by("volunteer__number")
    )


def hours_by_team(*, fetched_by: User, first: date, last: date):
    """Confirmed hours of each team's members while they were members, in the period."""
    from django.db.models import F

    return (
        TeamMember.objects.visible_to(fetched_by)
        .filter(
            Q(volunteer__records__status=ServiceRecord.Status.CONFIRMED)
            & Q(volunteer__records__service_date__gte=first)
            & Q(volunteer__records__service_date__lte=last)
            & Q(volunteer__records__service_date__gte=F("joined_on"))
            & (Q(left_on__isnull=True) | Q(volunteer__records__service_date__lte=F("left_on")))
        )
        .values("team_id", "team__name", "team__organisation__name")
        .annotate(
            hours=Sum("volunteer__records__hours"),
            volunteers=Count("volunteer_id", distinct=True),
        )
        .order_by("team__name")
    )


def get_certificate_for(*, fetched_by: User, pk: int) -> Certificate:
    return get_visible_or_404(
        Certificate.objects.select_related("volunteer", "organisation"), fetched_by, pk=pk
    )


def my_certificate(*, volunteer: Volunteer, pk: int) -> Certificate | None:
    """One of the volunteer's own certificates."""
    return volunteer.certificates.select_related("volunteer", "organisation").filter(pk=pk).first()


def my_signup(*, volunteer: Volunteer, pk: int) -> SignUp | None:
    """One of the volunteer's own sign-ups."""
    return SignUp.objects.unscoped(reason=OWN_ROWS).filter(pk=pk, volunteer=volunteer).first()


def certifying_organisation(*, volunteer: Volunteer, org_id: int) -> Organisation | None:
    """An organisation that recorded confirmed service for this volunteer (it may certify it)."""
    return (
        Organisation.objects.unscoped(reason=OWN_ROWS)
        .filter(
            pk=org_id,
            pk__in=ServiceRecord.objects.unscoped(reason=OWN_ROWS)
            .confirmed()
            .filter(volunteer=volunteer)
            .values("organisation_id"),
        )
        .first()
    )


def volunteers_by_id(*, fetched_by: User, ids) -> dict[int, Volunteer]:
    """`{id: volunteer}` for the given ids, among the volunteers the user may see."""
    return Volunteer.objects.visible_to(fetched_by).in_bulk(list(ids))


def invitable_volunteer(*, fetched_by: User, pk) -> Volunteer | None:
    """A volunteer inside the organiser's jurisdiction, by id from a form."""
    try:
        return Volunteer.objects.visible_to(fetched_by).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None

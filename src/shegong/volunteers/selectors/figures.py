"""Roll-ups: the internal statistics page and the public portal show this one function, the
same figures; the hours exports."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from shegong.accounts.models import User
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import code_range
from shegong.volunteers.models import (
    Activity,
    ServiceRecord,
    Team,
    TeamMember,
    Volunteer,
)

ROLLUP = (
    "The one roll-up of volunteer figures for a subtree, behind the internal statistics "
    "and the public portal (docs/decisions/volunteers-0001): only counts leave."
)


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

"""Reads for residents, visits and roll-ups. Each selector that shows records takes the user and
starts from `visible_to`; children under 14 and health details need `people.view_sensitive`."""

from __future__ import annotations

import difflib
import math
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shegong.accounts.models import User
from shegong.core.crypto import blind_indexes, validate_resident_id
from shegong.core.permissions import has_perm
from shegong.core.prepared import CompiledRows
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import code_range, get_visible_or_404, jurisdiction_of
from shegong.orgs.selectors import department_to_contact
from shegong.people.models import (
    DEFAULT_CADENCE,
    TALLY_DEPTHS,
    Assistance,
    AssistanceKind,
    Category,
    Resident,
    ResidentCategory,
    ResidentStatus,
    ResidentTally,
    RiskLevel,
    TallyKind,
    Visit,
    VisitCadence,
    VisitPlan,
    child_cutoff,
    padded,
)
from shegong.regions.models import Region
from shegong.regions.selectors import region_names

CHILD_COUNTS = (
    "Counts per child region of a subtree the caller checked against the user's "
    "jurisdiction; only figures leave."
)

OWN_ROWS = "The visit plan of a resident the caller already read through its scope."

DAILY_SWEEP = (
    "The morning reminder sweep over every worker's due visits in the country (a "
    "scheduled task, run as the system); each worker is told only of their own."
)


def may_see_sensitive(*, fetched_by: User) -> bool:
    return has_perm(fetched_by, "people.view_sensitive")


def residents_visible(*, fetched_by: User) -> QuerySet[Resident]:
    qs = Resident.objects.visible_to(fetched_by)
    if not may_see_sensitive(fetched_by=fetched_by):
        qs = qs.without_children()
    return qs


def resident_list(
    *,
    fetched_by: User,
    q: str = "",
    category: str = "",
    risk: str = "",
    region_prefix: str = "",
    sex: str = "",
    status: str = ResidentStatus.ACTIVE,
) -> QuerySet[Resident]:
    qs = residents_visible(fetched_by=fetched_by)
    if status:
        qs = qs.filter(status=status)
    if region_prefix and region_prefix.isdigit():
        qs = qs.in_subtree(region_prefix)
    if risk:
        qs = qs.filter(risk_level=risk)
    if sex:
        qs = qs.filter(sex=sex)
    q = q.strip()
    if category:
        members = category_members(
            fetched_by=fetched_by,
            category=category,
            region_prefix=region_prefix,
            status=status,
            adults_only=not may_see_sensitive(fetched_by=fetched_by),
        )
        if not (q or risk or sex):
            # Each member link carries its resident's region, status and birth date and a
            # resident is in a category once: the filter's total is the number of links, read
            # from their index alone.
            total = members.count()
            if total > MEMBERS_READ_BY_ID:
                # Many members: the list walks its own order (region, name) and keeps the
                # residents with a link, stopping at the page's end, rather than reading and
                # sorting every member (see docs/decisions/people-0003).
                linked = ResidentCategory.objects.unscoped(reason=SAME_ROWS).filter(
                    resident_id=OuterRef("pk"),
                    category_id=Category.objects.filter(code=category).values("pk")[:1],
                )
                qs = qs.filter(Exists(linked))
            else:
                qs = qs.filter(pk__in=members)
            return qs.count_from(total).select_related("region")
        qs = qs.filter(pk__in=members)
    if q:
        if len(q) == 18 or (len(q) == 17 and q.isdigit()):
            try:
                rid = validate_resident_id(q)
                return qs.filter(
                    id_number_hash__in=blind_indexes(rid.number), merged_into__isnull=True
                ).select_related("region")
            except Exception:  # noqa: BLE001 - not an ID: search names
                pass
        if q.isdigit() and len(q) >= 7:
            qs = qs.filter(phone=q)
        elif len(q) == 1:
            # A surname: a prefix as a range, which any B-tree index on name serves.
            qs = qs.filter(name__gte=q, name__lt=q + "\U0010ffff")
        else:
            qs = qs.filter(name__contains=q)
    return qs.select_related("region")


# Up to this many members, a category filter reads its residents by id (and sorts them); above
# it, walking the list's own order finds a page's worth sooner (SQLite; PostgreSQL plans either
# form as the same semi-join).
MEMBERS_READ_BY_ID = 1000
SAME_ROWS = (
    "Tests membership for residents the outer query already read through the scoping layer "
    "(a correlated EXISTS on the resident's own id): it adds no row of its own."
)


def category_members(
    *,
    fetched_by: User,
    category: str,
    region_prefix: str = "",
    status: str = "",
    adults_only: bool = False,
) -> QuerySet:
    """The ids of the residents in `category` (of `status`, when given; 14 or older, when
    `adults_only`) in the user's jurisdiction: read from the (category, resident_status,
    region_code, resident, birth date) index alone, so the filter and its count cost one index
    range (not a subquery per resident)."""
    links = ResidentCategory.objects.visible_to(fetched_by).filter(
        category_id=Category.objects.filter(code=category).values("pk")[:1]
    )
    if status:
        links = links.filter(resident_status=status)
    if adults_only:
        links = links.filter(resident_birth_date__lte=child_cutoff())
    if region_prefix and region_prefix.isdigit():
        links = links.in_subtree(region_prefix)
    return links.values("resident_id")


def get_resident_for(*, fetched_by: User, pk: int) -> Resident:
    return get_visible_or_404(
        residents_visible(fetched_by=fetched_by).select_related("region", "assigned_worker"),
        fetched_by,
        pk=pk,
    )


def get_adaptation_for(*, fetched_by: User, pk: int) -> Assistance:
    """A home adaptation project in the user's jurisdiction; the same 404 for missing and not
    yours (and for assistance of another kind)."""
    return get_visible_or_404(
        Assistance.objects.filter(kind=AssistanceKind.ADAPTATION), fetched_by, pk=pk
    )


def resident_by_id_number(*, fetched_by: User, number: str) -> Resident | None:
    """Exact lookup by the full ID number through the blind index (scoped)."""
    number = (number or "").strip().upper()
    if not number:
        return None
    return (
        residents_visible(fetched_by=fetched_by)
        .filter(id_number_hash__in=blind_indexes(number), merged_into__isnull=True)
        .select_related("region")
        .first()
    )


def categories() -> QuerySet[Category]:
    return Category.objects.all()


# ---- my visits ---------------------------------------------------------------------------------


class DueResident:
    """The few resident fields the page and the route need (no model instance per row)."""

    __slots__ = ("pk", "name", "address", "latitude", "longitude")

    def __init__(self, pk, name, address, latitude, longitude):
        self.pk, self.name, self.address = pk, name, address
        self.latitude = float(latitude) if latitude is not None else None
        self.longitude = float(longitude) if longitude is not None else None


class DueVisit:
    """One due or overdue visit, with everything the page prints already worked out."""

    __slots__ = (
        "pk",
        "resident_id",
        "resident",
        "region_code",
        "risk_level",
        "next_due_date",
        "last_visit_date",
        "event_note",
        "is_overdue",
        "is_today",
        "due_text",
        "last_text",
        "risk_label",
        "risk_class",
        "state_label",
        "state_class",
        "detail_url",
        "visit_url",
    )


@dataclass
class VillageGroup:
    code: str
    name: str
    plans: list = field(default_factory=list)
    overdue: int = 0


MY_VISITS_LIMIT = 300
ROUTE_LIMIT = 30
RISK_BADGES = {
    RiskLevel.HIGH.value: "bg-red text-red-fg",
    RiskLevel.KEY.value: "bg-orange text-orange-fg",
    RiskLevel.GENERAL.value: "bg-green-lt",
}


def my_visit_plans(*, fetched_by: User, today: date | None = None, horizon_days: int = 7):
    """Active plans assigned to the worker that are due within the horizon or overdue."""
    today = today or date.today()
    qs = VisitPlan.objects.visible_to(fetched_by).filter(
        worker=fetched_by, is_active=True, next_due_date__lte=today + timedelta(days=horizon_days)
    )
    return qs.select_related("resident").order_by("next_due_date", "id")


def _url_maker(name: str):
    """`reverse` once, then fill in the key for each row (reverse per row cost more than the
    query that found the rows)."""
    marker = 987654321
    template = reverse(name, args=[marker])
    head, tail = template.rsplit(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"


# The page's one query depends only on the worker, their jurisdiction, the day and the horizon:
# its SQL is compiled once for each (see `shegong.core.prepared.CompiledRows`).
_due_plan_rows = CompiledRows()


def forget_compiled() -> None:
    """Drop the compiled statements and routes this process keeps (tests)."""
    _due_plan_rows.clear()
    with _routes_lock:
        _routes.clear()


def my_visits(
    *, fetched_by: User, today: date | None = None, horizon_days: int = 7
) -> dict[str, Any]:
    """What is due for the worker: overdue visits and those due within `horizon_days`, most
    urgent first (at most MY_VISITS_LIMIT), grouped by village, and an order for the day's round.

    One query: the plans with the resident's name, address and coordinates (village names come
    from `region_names`, which keeps them per process).
    """
    today = today or date.today()
    rows = _due_plan_rows.rows(
        (fetched_by.pk, jurisdiction_of(fetched_by), today, horizon_days),
        lambda: my_visit_plans(
            fetched_by=fetched_by, today=today, horizon_days=horizon_days
        ).values_list(
            "id",
            "resident_id",
            "region_code",
            "risk_level",
            "next_due_date",
            "last_visit_date",
            "event_note",
            "resident__name",
            "resident__address",
            "resident__latitude",
            "resident__longitude",
        )[: MY_VISITS_LIMIT + 1],
    )
    truncated = len(rows) > MY_VISITS_LIMIT
    rows = rows[:MY_VISITS_LIMIT]
    detail_url = _url_maker("people:detail")
    visit_url = _url_maker("people:visit")
    risk_labels = {value: str(label) for value, label in RiskLevel.choices}  # translated once
    unassessed, overdue_label, today_label = _("未评估"), _("逾期"), _("今天")
    groups: dict[str, VillageGroup] = {}
    plans: list[DueVisit] = []
    village_names = region_names(row[2] for row in rows)
    for pk, rid, code, risk, due, last, note, name, address, lat, lon in rows:
        p = DueVisit()
        p.pk, p.resident_id, p.region_code, p.risk_level = pk, rid, code, risk
        p.next_due_date, p.last_visit_date, p.event_note = due, last, note
        p.resident = DueResident(rid, name, address, lat, lon)
        p.is_overdue, p.is_today = due < today, due == today
        p.due_text = due.isoformat()
        p.last_text = last.isoformat() if last else "—"
        p.risk_label = risk_labels.get(risk, unassessed) if risk else unassessed
        p.risk_class = RISK_BADGES.get(risk, "")
        p.state_label = overdue_label if p.is_overdue else today_label if p.is_today else ""
        p.state_class = "bg-red text-red-fg" if p.is_overdue else "bg-orange text-orange-fg"
        p.detail_url, p.visit_url = detail_url(rid), visit_url(rid)
        group = groups.get(code)
        if group is None:
            group = groups[code] = VillageGroup(code, village_names.get(code, code))
        group.plans.append(p)
        group.overdue += p.is_overdue
        plans.append(p)
    overdue = sum(p.is_overdue for p in plans)
    due_today = sum(p.is_today for p in plans)
    total = len(plans)
    if truncated:  # more due than shown: count them all (rare; one indexed aggregate)
        counts = my_visit_plans(
            fetched_by=fetched_by, today=today, horizon_days=horizon_days
        ).aggregate(
            overdue=Count("id", filter=Q(next_due_date__lt=today)),
            due_today=Count("id", filter=Q(next_due_date=today)),
            total=Count("id"),
        )
        overdue, due_today, total = counts["overdue"], counts["due_today"], counts["total"]
    # A day's round: the most urgent due/overdue visits (a worker makes a few dozen a day).
    todays = [p for p in plans if p.next_due_date <= today][:ROUTE_LIMIT]
    return {
        "groups": sorted(groups.values(), key=lambda g: (-g.overdue, g.code)),
        "route": visit_route(todays, start=_start_point(fetched_by)),
        "overdue": overdue,
        "due_today": due_today,
        "total": total,
        "shown": len(plans),
        "truncated": truncated,
        "horizon_days": horizon_days,
        "today": today,
    }


def _start_point(user: User) -> tuple[float, float] | None:
    membership = getattr(user, "active_membership", None)
    org = getattr(membership, "organisation", None)
    if org is not None and org.latitude is not None and org.longitude is not None:
        return float(org.latitude), float(org.longitude)
    return None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def visit_route(plans: list, *, start: tuple[float, float] | None = None) -> list:
    """Order today's visits to keep travel short: nearest neighbour, then 2-opt improvement.
    Residents without coordinates come last, in due-date order."""
    located = [
        p for p in plans if p.resident.latitude is not None and p.resident.longitude is not None
    ]
    if not located:
        return list(plans)
    located_ids = {id(p) for p in located}
    others = [p for p in plans if id(p) not in located_ids]
    # Points 0..n-1 are the residents in the given order; point n is the start, if any.
    pts = [(float(p.resident.latitude), float(p.resident.longitude)) for p in located]
    n = len(located)
    if start:
        pts.append((float(start[0]), float(start[1])))
    key = (tuple(pts), bool(start))
    order = _routes.get(key)
    if order is None:
        order = _shortest_order(pts, n, bool(start))
        with _routes_lock:
            if len(_routes) >= 2048:
                _routes.clear()
            _routes[key] = order
    return [located[k] for k in order] + others


# The order depends only on the points, and a worker opens the page many times a day with the
# same visits due, so each process keeps the orders it has worked out.
_routes: dict[tuple, tuple[int, ...]] = {}
_routes_lock = threading.Lock()


def _shortest_order(pts: list[tuple[float, float]], n: int, has_start: bool) -> tuple[int, ...]:
    """Points 0..n-1 in a short visiting order; point n, if `has_start`, is where it starts."""
    d = _distance_matrix(pts)
    remaining = list(range(n))  # ascending, so a tie goes to the more urgent visit
    here = n if has_start else 0
    nearest_first = []
    while remaining:
        nearest = min(remaining, key=d[here].__getitem__)
        nearest_first.append(nearest)
        remaining.remove(nearest)
        here = nearest
    # 2-opt from the nearest-neighbour tour; should that still be longer than simply visiting
    # in due-date order (rare), 2-opt from the due-date order instead: the suggestion is never
    # the longer of the two.
    head = [n] if has_start else []
    best = _two_opt(head + nearest_first, d)
    due_order = head + list(range(n))
    if _length(best, d) > _length(due_order, d):
        best = _two_opt(due_order, d)
    return tuple(best[len(head) :])


def _distance_matrix(pts: list[tuple[float, float]]) -> list[list[float]]:
    """Great-circle distances (km) between every pair of points: `distance_km` with each
    point's radians and cosine worked out once."""
    sin, asin, sqrt, cos = math.sin, math.asin, math.sqrt, math.cos
    rad = [(math.radians(lat), math.radians(lon)) for lat, lon in pts]
    cosines = [cos(lat) for lat, _ in rad]
    size = len(pts)
    d = [[0.0] * size for _ in range(size)]
    for i in range(size):
        lat1, lon1 = rad[i]
        c1, row = cosines[i], d[i]
        for j in range(i + 1, size):
            lat2, lon2 = rad[j]
            h = sin((lat2 - lat1) / 2) ** 2 + c1 * cosines[j] * sin((lon2 - lon1) / 2) ** 2
            row[j] = d[j][i] = 12742.0 * asin(sqrt(h))
    return d


def _length(order: list[int], d) -> float:
    return sum(d[order[i]][order[i + 1]] for i in range(len(order) - 1))


def route_length(route: list, point, start=None) -> float:
    pts = ([start] if start else []) + [point(p) for p in route]
    return sum(distance_km(pts[i], pts[i + 1]) for i in range(len(pts) - 1))


def _two_opt(order: list[int], d) -> list[int]:
    """Reverse segments while that shortens the path; the first point stays where it is."""
    n = len(order)
    if n < 3 or n > 200:
        return order
    order = order[:]
    improved = True
    while improved:
        improved = False
        for i in range(1, n - 1):
            da = d[order[i - 1]]
            b = order[i]
            db, dab = d[b], da[b]
            for j in range(i + 1, n):
                c = order[j]
                delta = da[c] - dab
                if j + 1 < n:
                    after = order[j + 1]
                    delta += db[after] - d[c][after]
                if delta < -1e-9:
                    order[i : j + 1] = order[i : j + 1][::-1]
                    improved = True
                    b = order[i]
                    db, dab = d[b], da[b]
    return order


# ---- roll-ups ----------------------------------------------------------------------------------


@dataclass
class RollupRow:
    region: Region | None
    prefix: str
    plans: int = 0
    overdue: int = 0
    due_month: int = 0
    visited_month: int = 0

    @property
    def rate(self) -> float | None:
        if not self.due_month:
            return None
        return round(100.0 * self.visited_month / self.due_month, 1)

    @property
    def share(self) -> float | None:
        """The visit rate as a fraction (pages write it with the `percent` figure kind)."""
        return self.visited_month / self.due_month if self.due_month else None


def month_bounds(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def visit_rollup(*, region: Region, today: date | None = None) -> tuple[list[RollupRow], RollupRow]:
    """Overdue counts and the monthly visit rate by child region, in one GROUP BY.

    Due this month = active plans whose due date falls on or before the month's end, or that
    were visited this month (a visit moves the due date past the month). Visited = plans with a
    visit this month. Rate = visited ÷ due.
    """
    today = today or date.today()
    first, last = month_bounds(today)
    child_len = region.child_prefix_length
    rows = (
        VisitPlan.objects.in_subtree(region.prefix)
        .filter(is_active=True)
        .annotate(child=Substr("region_code", 1, child_len))
        .values("child")
        .annotate(
            plans=Count("pk"),
            overdue=Count("pk", filter=Q(next_due_date__lt=today)),
            due_month=Count(
                "pk", filter=Q(next_due_date__lte=last) | Q(last_visit_date__gte=first)
            ),
            visited_month=Count("pk", filter=Q(last_visit_date__gte=first)),
        )
        .order_by()
    )
    found = {r["child"]: r for r in rows}
    children = list(Region.objects.children_of(region)) if region.level < 5 else []
    result = []
    total = RollupRow(region=region, prefix=region.prefix)
    for child in children:
        prefix = child.code[:child_len]
        r = found.get(prefix, {})
        row = RollupRow(
            region=child,
            prefix=prefix,
            plans=r.get("plans", 0),
            overdue=r.get("overdue", 0),
            due_month=r.get("due_month", 0),
            visited_month=r.get("visited_month", 0),
        )
        result.append(row)
    for r in found.values():
        total.plans += r["plans"]
        total.overdue += r["overdue"]
        total.due_month += r["due_month"]
        total.visited_month += r["visited_month"]
    return result, total


def overdue_plans(*, fetched_by: User, region_prefix: str = "", today: date | None = None):
    today = today or date.today()
    qs = VisitPlan.objects.visible_to(fetched_by).filter(is_active=True, next_due_date__lt=today)
    if region_prefix and region_prefix.isdigit():
        qs = qs.in_subtree(region_prefix)
    if not may_see_sensitive(fetched_by=fetched_by):
        qs = qs.filter(resident__birth_date__lte=child_cutoff())
    return qs.select_related("resident", "worker").order_by("next_due_date", "id")


def visit_plans(*, fetched_by: User, region: str = "") -> QuerySet[VisitPlan]:
    """The visit plans of the jurisdiction (of the subtree `region` when it is a code prefix),
    the soonest due first; children's only for those who may see them."""
    qs = VisitPlan.objects.visible_to(fetched_by).select_related("resident")
    if region.isdigit():
        qs = qs.in_subtree(region)
    if not may_see_sensitive(fetched_by=fetched_by):
        qs = qs.filter(resident__birth_date__lte=child_cutoff())
    return qs.order_by("next_due_date", "id")


def assistance_visible(*, fetched_by: User, kind: str = "") -> QuerySet[Assistance]:
    """The assistance given in the jurisdiction (of one kind when `kind` is given), the latest
    first; children's only for those who may see them."""
    qs = Assistance.objects.visible_to(fetched_by)
    if kind:
        qs = qs.filter(kind=kind)
    if not may_see_sensitive(fetched_by=fetched_by):
        qs = qs.filter(resident__birth_date__lte=child_cutoff())
    return qs.order_by("-given_on", "-id")


def assistance_rollup(*, region: Region, year: int | None = None) -> dict[str, Any]:
    """Totals by child region and by kind, and by category, for one year."""
    year = year or date.today().year
    child_len = region.child_prefix_length
    base = Assistance.objects.in_subtree(region.prefix).filter(
        given_on__gte=date(year, 1, 1),
        given_on__lte=date(year, 12, 31),
    )
    by_child = (
        base.annotate(child=Substr("region_code", 1, child_len))
        .values("child", "kind")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    by_category = (
        base.values("category_code").annotate(n=Count("pk"), amount=Sum("amount")).order_by()
    )
    names = {r.code[:child_len]: r.name for r in Region.objects.children_of(region)}
    cat_names = dict(Category.objects.values_list("code", "name"))
    table: dict[str, dict] = {}
    for r in by_child:
        row = table.setdefault(
            r["child"],
            {
                "prefix": r["child"],
                "code": RegionCode.from_prefix(r["child"]),
                "name": names.get(r["child"], r["child"]),
                "kinds": {},
            },
        )
        row["kinds"][r["kind"]] = {"n": r["n"], "amount": r["amount"] or 0}
    return {
        "year": year,
        "rows": sorted(table.values(), key=lambda x: x["prefix"]),
        "categories": [
            {
                "name": cat_names.get(r["category_code"], r["category_code"] or "—"),
                "n": r["n"],
                "amount": r["amount"] or 0,
            }
            for r in by_category
        ],
    }


def count_by_child_region(low: str, high: str, child_len: int) -> dict[str, int]:
    """Active residents per child region: from the summary rows where the children are
    townships or above (and the summary has them), else one GROUP BY."""
    from shegong.core.counting import count_by_child

    if child_len in TALLY_DEPTHS:
        found: dict[str, int] = {}
        rows = (
            ResidentTally.objects.unscoped(reason=CHILD_COUNTS)
            .filter(
                depth=child_len,
                kind=TallyKind.SEX,
                region_code__gte=low,
                region_code__lte=high,
            )
            .values_list("region_code", "n")
        )
        for code, n in rows:
            found[code[:child_len]] = found.get(code[:child_len], 0) + n
        if found:
            return found
    return count_by_child(
        Resident.objects.unscoped(reason=CHILD_COUNTS).filter(status=ResidentStatus.ACTIVE),
        "region_id",
        low,
        high,
        child_len,
    )


@dataclass
class Tally:
    """The summary rows of the user's jurisdiction (see people.ResidentTally)."""

    rows: list[tuple[str, str, bool, int]]  # (kind, key, adult, n)
    as_of: datetime

    def by(self, kind: str, *, adults_only: bool = False) -> dict[str, int]:
        found: dict[str, int] = {}
        for k, key, adult, n in self.rows:
            if k == kind and (adult or not adults_only):
                found[key] = found.get(key, 0) + n
        return found

    @property
    def hint(self) -> str:
        return _("统计截至 %(t)s") % {"t": localtime(self.as_of).strftime("%Y-%m-%d %H:%M")}


def jurisdiction_tally(*, fetched_by: User) -> Tally | None:
    """The jurisdiction's summary rows (one query), or None where there are none: a village's
    jurisdiction, a summary never refreshed, or a region with nobody registered at the time."""
    prefix = jurisdiction_of(fetched_by).prefix
    if len(prefix) not in TALLY_DEPTHS:
        return None
    rows = list(
        ResidentTally.objects.visible_to(fetched_by)
        .filter(depth=len(prefix), region_code=padded(prefix))
        .values_list("kind", "key", "adult", "n", "as_of")
    )
    if not rows:
        return None
    return Tally(rows=[r[:4] for r in rows], as_of=rows[0][4])


def resident_statistics(*, fetched_by: User) -> dict[str, Any]:
    """Active residents by sex and by risk level, category memberships by category name, and
    the time they were counted (None: counted now). Children under 14 are counted only for
    those who may see them."""
    tally = jurisdiction_tally(fetched_by=fetched_by)
    if tally is None:
        return {
            "by_sex": count_by(fetched_by=fetched_by, field_name="sex"),
            "by_risk": count_by(fetched_by=fetched_by, field_name="risk_level"),
            "by_category": count_by_category(fetched_by=fetched_by),
            "as_of": None,
        }
    adults_only = not may_see_sensitive(fetched_by=fetched_by)
    by_code = tally.by(TallyKind.CATEGORY)
    names = dict(Category.objects.filter(code__in=list(by_code)).values_list("code", "name"))
    by_category: dict[str, int] = {}
    for code, n in by_code.items():
        name = names.get(code, code)
        by_category[name] = by_category.get(name, 0) + n
    return {
        "by_sex": tally.by(TallyKind.SEX, adults_only=adults_only),
        "by_risk": tally.by(TallyKind.RISK, adults_only=adults_only),
        "by_category": by_category,
        "as_of": tally.as_of,
        "as_of_hint": tally.hint,
    }


def count_by(*, fetched_by: User, field_name: str) -> dict[str, int]:
    """Counts of visible residents by sex or risk level (one GROUP BY)."""
    assert field_name in {"sex", "risk_level"}
    return dict(
        residents_visible(fetched_by=fetched_by)
        .filter(status=ResidentStatus.ACTIVE)
        .values_list(field_name)
        .annotate(n=Count("pk"))
        .order_by()
    )


def count_by_category(*, fetched_by: User) -> dict[str, int]:
    return dict(
        ResidentCategory.objects.visible_to(fetched_by)
        .values_list("category__name")
        .annotate(n=Count("pk"))
        .order_by()
    )


def home_figures(*, fetched_by: User) -> list:

    from shegong.core.registry import Figure

    if not has_perm(fetched_by, "people.view"):
        return []
    today = date.today()
    plans = VisitPlan.objects.visible_to(fetched_by).filter(is_active=True)
    tally = jurisdiction_tally(fetched_by=fetched_by)
    if tally is not None:  # counted by the scheduler: a few rows, with the time shown
        total = sum(tally.by(TallyKind.SEX).values())
        high = tally.by(TallyKind.RISK).get(RiskLevel.HIGH, 0)
        overdue = sum(tally.by(TallyKind.OVERDUE).values())
        hint = tally.hint
    else:
        residents = Resident.objects.visible_to(fetched_by).filter(status=ResidentStatus.ACTIVE)
        total = residents.count()
        high = residents.filter(risk_level=RiskLevel.HIGH).count()
        overdue = plans.filter(next_due_date__lt=today).count()
        hint = ""
    url = reverse("people:list")
    figures = [
        Figure(pgettext("plural", "服务对象"), total, url, hint=hint, order=20),
        Figure(_("高风险对象"), high, f"{url}?risk=high", hint=hint, order=21),
        Figure(_("逾期未探访"), overdue, reverse("people:overdue"), hint=hint, order=22),
    ]
    if has_perm(fetched_by, "people.visit"):
        mine = plans.filter(worker=fetched_by, next_due_date__lte=today).count()
        figures.append(Figure(_("我今天应探访"), mine, reverse("people:my_visits"), order=19))
    return figures


def visit_findings(*, visit: Visit, fetched_by: User) -> list[tuple[str, str]]:
    """(label, text) of a visit's findings; health and mood only for people.view_sensitive."""
    return visit.findings_shown(sensitive=may_see_sensitive(fetched_by=fetched_by))


# Fields of a resident's history whose values only people.view_sensitive may see.
SENSITIVE_HISTORY_FIELDS = frozenset({"health_notes", "disability_level"})


def hidden_history_fields(*, fetched_by: User) -> frozenset[str]:
    return frozenset() if may_see_sensitive(fetched_by=fetched_by) else SENSITIVE_HISTORY_FIELDS


def get_visit_for(*, fetched_by: User, pk: int) -> Visit:
    """A visit in the jurisdiction whose resident the user may also see (a child's visit only
    for those who may see children), or 404."""
    visit = (
        Visit.objects.visible_to(fetched_by)
        .select_related("resident", "visited_by")
        .filter(pk=pk)
        .first()
    )
    if (
        visit is None
        or not residents_visible(fetched_by=fetched_by).filter(pk=visit.resident_id).exists()
    ):
        raise Http404("Not found")
    return visit


def visits_for(resident: Resident) -> QuerySet[Visit]:
    return resident.visits.select_related("visited_by").order_by("-visited_on", "-id")


def code_children_range(prefix: str) -> tuple[str, str]:
    return code_range(prefix)


def finding_for(*, fetched_by: User, ref: str) -> dict | None:
    """Initial values for a record made from a visit finding (`ref` = "visit:<id>"), for other
    apps' forms (the petitions app prefills a dispute with it); None when not visible."""
    kind, _sep, pk = (ref or "").partition(":")
    if kind != "visit" or not pk.isdigit():
        return None
    visit = (
        Visit.objects.visible_to(fetched_by).select_related("resident").filter(pk=int(pk)).first()
    )
    if (
        visit is None
        or not residents_visible(fetched_by=fetched_by).filter(pk=visit.resident_id).exists()
    ):
        return None
    text = "；".join(
        f"{label}：{body}" for label, body in visit_findings(visit=visit, fetched_by=fetched_by)
    )
    return {
        "title": f"{visit.resident.name} 探访发现（{visit.visited_on}）"[:100],
        "request": text,
        "region": visit.region_code,
        "address": visit.resident.address,
        "received_on": visit.visited_on,
    }


def category_list() -> QuerySet[Category]:
    """The category taxonomy (national configuration, not regional data)."""
    return Category.objects.all()


def categories_by_code(codes: list[str]) -> list[Category]:
    return list(Category.objects.filter(code__in=codes))


def visit_plan_of(*, resident: Resident) -> VisitPlan | None:
    """The plan of a resident the caller has already fetched through a scoped selector."""
    return VisitPlan.objects.unscoped(reason=OWN_ROWS).filter(resident=resident).first()


def rollup_region(*, fetched_by: User, code: str = "") -> Region:
    """The region a roll-up page shows: the asked-for one if inside the jurisdiction, else the root."""
    jurisdiction = jurisdiction_of(fetched_by)
    region = Region.objects.filter(code=code or jurisdiction.region_code).first()
    if region is None or not jurisdiction.contains(region.code):
        region = Region.objects.get(code=jurisdiction.region_code)
    return region


def province_has_custom_cadence(*, province: str) -> bool:
    from shegong.people.models import VisitCadence

    return VisitCadence.objects.filter(province_code=province).exists()


# ---- reminders for the inbox -------------------------------------------------------------------


def reminders_due(today: date):
    """Each social worker with visits due today or overdue gets one reminder a day with the
    counts (one GROUP BY over the plans)."""
    from django.db.models import Min

    from shegong.core.registry import Reminder

    url = reverse("people:my_visits")
    rows = (
        VisitPlan.objects.unscoped(reason=DAILY_SWEEP)
        .filter(is_active=True, worker__isnull=False, next_due_date__lte=today)
        .values("worker_id")
        .annotate(
            due=Count("id"),
            overdue=Count("id", filter=Q(next_due_date__lt=today)),
            region=Min("region_code"),
        )
        .order_by()
    )
    for row in rows.iterator():
        params = {"due": row["due"], "overdue": row["overdue"]}
        yield Reminder(
            row["worker_id"], row["region"], "visits_due", params, url, f"visits:{today}"
        )


# ---- duplicates, ID numbers and visit cadences (read before a resident is registered) ---------


@dataclass
class Duplicates:
    """Likely duplicates: `found` the user may see; `elsewhere` one sentence per county outside
    the user's jurisdiction where one is registered, saying only whom to contact."""

    found: list[Resident] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.found or self.elsewhere)


def _is_duplicate(r, *, name: str, birth_date: date | None, county_code: str, phone: str) -> bool:
    same_person = r.county_code == county_code and r.name == name and r.birth_date == birth_date
    return same_person or (bool(phone) and r.phone == phone and _similar(r.name, name))


def find_duplicates(
    *,
    fetched_by: User,
    name: str,
    birth_date: date | None,
    county_code: str,
    phone: str = "",
    exclude_pk: int | None = None,
) -> Duplicates:
    """Likely duplicates: same name and birth date in the same county, or a similar name with the
    same phone number. Records outside the user's jurisdiction are never returned: for them the
    user learns only that one exists and which department to contact."""
    cond = Q(county_code=county_code, name=name, birth_date=birth_date) if birth_date else Q()
    if phone:
        cond |= Q(phone=phone)
    if not cond:
        return Duplicates()
    rule = {"name": name, "birth_date": birth_date, "county_code": county_code, "phone": phone}
    anywhere = Resident.objects.unscoped(
        reason="Whether any record matches at all (nothing is read but yes or no): most new "
        "residents match nobody, and one query then answers for both reads below."
    ).filter(cond, merged_into__isnull=True)
    if exclude_pk:
        anywhere = anywhere.exclude(pk=exclude_pk)
    if not anywhere.exists():
        return Duplicates()
    qs = Resident.objects.visible_to(fetched_by).filter(cond, merged_into__isnull=True)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    found = [r for r in qs.select_related("region")[:50] if _is_duplicate(r, **rule)]
    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction.is_national:
        return Duplicates(found=found)
    low, high = jurisdiction.range()
    outside = (
        Resident.objects.unscoped(
            reason="The duplicate warning tells the user that a likely duplicate is registered "
            "in another jurisdiction and whom to contact; only the county's code leaves here."
        )
        .filter(cond, merged_into__isnull=True)
        .exclude(region_id__gte=low, region_id__lte=high)
        .only("name", "birth_date", "county_code", "phone")[:50]
    )
    elsewhere: dict[str, str] = {}
    for r in outside:
        if not _is_duplicate(r, **rule):
            continue
        dept = department_to_contact(r.county_code)
        if phone and r.phone == phone:
            notice = _("已有使用该联系电话的服务对象在其他辖区登记，请联系%(dept)s核实。")
        else:
            notice = _("已有同名、同出生日期的服务对象在其他辖区登记，请联系%(dept)s核实。")
        elsewhere.setdefault(notice % {"dept": dept}, r.county_code)
    return Duplicates(found=found, elsewhere=list(elsewhere))


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    return a[:1] == b[:1] and difflib.SequenceMatcher(None, a, b).ratio() >= 0.5


def id_number_holder(number: str, *, exclude_pk: int | None = None) -> str | None:
    """The region code of the (unmerged) resident registered with this ID number (under any key
    or scheme still in use), anywhere in the country: ID numbers are unique nationally. Only the
    code leaves here."""
    return id_number_holder_of(blind_indexes(number), exclude_pk=exclude_pk)


_HOLDERS = CompiledRows(max_keys=16)


def id_number_holder_of(hashes: list[str], *, exclude_pk: int | None = None) -> str | None:
    """`id_number_holder` for blind indexes already computed. Every registration asks this, so
    its statement is compiled once per shape (number of indexes, with or without an excluded
    record) and then only run (about half the time of a create went to building it)."""
    hashes = list(hashes)

    def build():
        qs = Resident.objects.unscoped(
            reason="A resident's ID number is unique in the whole country: registering it "
            "twice is refused wherever the first record is; only that record's region code "
            "leaves here."
        ).filter(id_number_hash__in=hashes, merged_into__isnull=True)
        if exclude_pk:
            qs = qs.exclude(pk=exclude_pk)
        # At most one unmerged record holds a number: no order is needed to pick it.
        return qs.order_by().values_list("region_id")[:1]

    params = [*hashes, exclude_pk] if exclude_pk else hashes
    rows = _HOLDERS.rows((len(hashes), bool(exclude_pk)), build, params=params)
    return rows[0][0] if rows else None


def id_number_taken_message(holder_region: str, *, fetched_by: User) -> str:
    """What a user is told about an ID number already registered: within the jurisdiction that
    it is; elsewhere only whom to contact."""
    if jurisdiction_of(fetched_by).contains(holder_region):
        return _("该身份证号码已登记，不能重复登记。")
    return _("该身份证号码的服务对象已在其他辖区登记，请联系%(dept)s。") % {
        "dept": department_to_contact(holder_region)
    }


_CADENCES = CompiledRows(max_keys=4)


def cadence_for(province_code: str, risk_level: str) -> tuple[int, int]:
    """(interval in days, hours to visit after a major event) for a province and a level. Every
    registration of a cared-for resident asks this: its statement is compiled once."""

    def build():
        return (
            VisitCadence.objects.filter(risk_level=risk_level)
            .filter(Q(province_code=province_code) | Q(province_code=""))
            .order_by()
            .values_list("province_code", "interval_days", "event_hours")
        )

    found = _CADENCES.rows(("cadence",), build, params=[risk_level, province_code, ""])
    rows = {code: (interval, hours) for code, interval, hours in found}
    row = rows.get(province_code) or rows.get("")
    if row is not None:
        return row
    return DEFAULT_CADENCE[RiskLevel(risk_level)], 24


# ---- the category taxonomy, edited in the product by the provincial level --------------------


def may_edit_categories(*, fetched_by: User) -> bool:
    """Categories are one list for the whole country: only a department whose jurisdiction is a
    province (or the nation) edits them; lower levels read them."""
    if not has_perm(fetched_by, "people.categories"):
        return False
    prefix = jurisdiction_of(fetched_by).prefix
    return prefix == "" or (len(prefix) == 2 and prefix.isdigit())


def ensure_may_edit_categories(*, fetched_by: User) -> None:
    from django.core.exceptions import PermissionDenied

    if not may_edit_categories(fetched_by=fetched_by):
        raise PermissionDenied(
            _("服务对象类别全国统一，只能由省级（或全国）部门维护；您可以查看。")
        )


def get_category_for(*, pk: int) -> Category:
    """A category (national configuration: every signed-in reader may see it)."""
    found = Category.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("Not found")
    return found


def category_taken(*, code: str = "", name: str = "", exclude_pk: int | None = None) -> str:
    """Which of `code`/`name` another category already has ("code", "name" or "")."""
    others = Category.objects.exclude(pk=exclude_pk) if exclude_pk else Category.objects.all()
    if code and others.filter(code__iexact=code).exists():
        return "code"
    if name and others.filter(name=name).exists():
        return "name"
    return ""


def prefill_visits_done(prefix: str, start: date, end: date) -> int:
    """Care visits made in the subtree `prefix` in [start, end] (a report's pre-filled figure)."""
    from shegong.people.models import Visit

    return Visit.objects.in_subtree(prefix).filter(visited_on__range=(start, end)).count()

"""Reads of the careers app: every one starts from `visible_to(fetched_by)` (or the subtree of a
region the reader may see). The staffing and retention roll-up is set-based: one GROUP BY on a
region-code prefix (or on the employer, below a township) per figure family."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from shegong.careers.models import (
    Appraisal,
    AppraisalScheme,
    ConductRecord,
    PayGuidance,
    TitleApplication,
    TitleRound,
    WorkerPay,
)
from shegong.core.regioncode import PREFIX_LENGTH, RegionCode, code_range
from shegong.core.scoping import NOWHERE, get_visible_or_404, jurisdiction_of
from shegong.orgs.models import Kind, Organisation
from shegong.workforce.models import Certificate, WorkerProfile, WorkerStatus

CERTIFIED = (
    "Whether a worker the reader may see holds a certificate: correlated to the visible "
    "worker row (the certificate's own region may be an earlier employer's)"
)


# ---- workers --------------------------------------------------------------------------------


def worker_list(*, fetched_by: Any, search: str = "") -> QuerySet[WorkerProfile]:
    qs = WorkerProfile.objects.visible_to(fetched_by).select_related("employer")
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("region_code", "name")


def get_worker_for(*, fetched_by: Any, pk: int) -> WorkerProfile:
    return get_visible_or_404(
        WorkerProfile.objects.select_related("employer", "user"), fetched_by, pk=pk
    )


def own_profile(*, fetched_by: Any) -> WorkerProfile | None:
    """The reader's own worker profile (a candidate applying for themself)."""
    if not getattr(fetched_by, "is_authenticated", False):
        return None
    return (
        WorkerProfile.objects.visible_to(fetched_by)
        .filter(user_id=fetched_by.pk, status=WorkerStatus.IN_POST)
        .first()
    )


def worker_certificates(*, fetched_by: Any, worker: WorkerProfile) -> QuerySet[Certificate]:
    return Certificate.objects.visible_to(fetched_by).filter(worker=worker)


# ---- title evaluation ----------------------------------------------------------------------


ROUNDS_ABOVE = (
    "A title round opened by a department above the reader (its province's) is public to every "
    "unit below it, who may apply; rounds of other places stay out (only the reader's own "
    "subtree and the exact regions above it)."
)


def round_list(*, fetched_by: Any) -> QuerySet[TitleRound]:
    """Rounds opened inside the reader's jurisdiction or above it (a province's round is read
    by every county and station in it)."""
    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE:
        return TitleRound.objects.none()
    above = [a for a in RegionCode(jurisdiction.region_code or "000000000000").ancestors()]
    return (
        TitleRound.objects.unscoped(reason=ROUNDS_ABOVE)
        .filter(
            Q(pk__in=TitleRound.objects.visible_to(fetched_by).values("pk"))
            | Q(region_code__in=[*above, jurisdiction.region_code])
        )
        .select_related("organisation")
        .order_by("-year", "-id")
    )


def get_round_for(*, fetched_by: Any, pk: int) -> TitleRound:
    found = round_list(fetched_by=fetched_by).filter(pk=pk).first()
    if found is None:
        raise Http404("Not found")
    return found


def application_list(
    *, fetched_by: Any, round_id: int | None = None, status: str = "", worker_id: int | None = None
) -> QuerySet[TitleApplication]:
    qs = TitleApplication.objects.visible_to(fetched_by).select_related(
        "worker", "worker__employer", "round"
    )
    if round_id:
        qs = qs.filter(round_id=round_id)
    if status:
        qs = qs.filter(status=status)
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    return qs.order_by("-id")


def get_application_for(*, fetched_by: Any, pk: int) -> TitleApplication:
    return get_visible_or_404(
        TitleApplication.objects.select_related("worker", "worker__employer", "round"),
        fetched_by,
        pk=pk,
    )


def application_events(*, fetched_by: Any, application: TitleApplication) -> list:
    """The steps of an application the reader has already fetched (through its scope)."""
    return list(application.events.select_related("actor").order_by("at", "id"))


# ---- appraisal -----------------------------------------------------------------------------


def scheme_list(*, fetched_by: Any) -> QuerySet[AppraisalScheme]:
    return AppraisalScheme.objects.visible_to(fetched_by).select_related("organisation")


def get_scheme_for(*, fetched_by: Any, pk: int) -> AppraisalScheme:
    return get_visible_or_404(
        AppraisalScheme.objects.select_related("organisation"), fetched_by, pk=pk
    )


def appraisal_list(
    *, fetched_by: Any, scheme_id: int | None = None, period: str = "", worker_id: int | None = None
) -> QuerySet[Appraisal]:
    qs = Appraisal.objects.visible_to(fetched_by).select_related("worker", "scheme")
    if scheme_id:
        qs = qs.filter(scheme_id=scheme_id)
    if period:
        qs = qs.filter(period=period)
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    return qs.order_by("-period_start", "-score", "id")


def get_appraisal_for(*, fetched_by: Any, pk: int) -> Appraisal:
    return get_visible_or_404(
        Appraisal.objects.select_related("worker", "scheme"), fetched_by, pk=pk
    )


def grade_counts(*, fetched_by: Any, scheme_id: int, period: str) -> dict[str, int]:
    rows = (
        Appraisal.objects.visible_to(fetched_by)
        .filter(scheme_id=scheme_id, period=period)
        .values("grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["grade"]: r["n"] for r in rows}


# ---- rewards and discipline ----------------------------------------------------------------


def conduct_list(*, fetched_by: Any, worker_id: int | None = None, kind: str = "") -> QuerySet:
    qs = ConductRecord.objects.visible_to(fetched_by).select_related("worker")
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-decided_on", "-id")


# ---- staffing, pay and retention -----------------------------------------------------------


@dataclass
class StaffingRow:
    key: str  # a child region code, or an organisation id below a township
    name: str
    drill: str = ""  # the region code to drill into ("" at the bottom)
    stations: int = 0
    standard_posts: int = 0
    station_filled: int = 0
    in_post: int = 0
    certified: int = 0
    joiners: int = 0
    leavers: int = 0
    at_start: int = 0
    retained: int = 0
    paid: int = 0
    pay_average: float | None = None
    below_guidance: int = 0

    @property
    def vacant(self) -> int:
        return max(self.standard_posts - self.station_filled, 0)

    @property
    def certified_share(self) -> float | None:
        return self.certified / self.in_post if self.in_post else None

    @property
    def retention_rate(self) -> float | None:
        return self.retained / self.at_start if self.at_start else None


@dataclass
class StaffingRollup:
    region_code: str
    region_name: str
    level: int
    year: int
    rows: list[StaffingRow]
    total: StaffingRow
    guidance: PayGuidance | None
    leave_reasons: list[tuple[str, int]] = field(default_factory=list)
    by_organisation: bool = False
    as_of: datetime | None = None  # when the figures were counted, if read from the summary rows

    @property
    def as_of_hint(self) -> str:
        if self.as_of is None:
            return ""
        return _("统计截至 %(t)s") % {"t": localtime(self.as_of).strftime("%Y-%m-%d %H:%M")}


def _period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def worker_figures(
    base: QuerySet, key, start: date, end: date, *, current: bool = True
) -> dict[str, dict[str, int]]:
    """The staffing figures per `key`: of now (in post, at a station, certified; left out when
    `current` is false) and of the period (joiners, leavers, at its start, retained)."""
    in_post = Q(status=WorkerStatus.IN_POST)
    started_before = Q(post_start_date__lt=start) | Q(post_start_date__isnull=True)
    there_at_start = started_before & (in_post | Q(left_on__gte=start))
    figures = {
        "joiners": Count("pk", filter=Q(post_start_date__gte=start, post_start_date__lte=end)),
        "leavers": Count(
            "pk", filter=Q(status=WorkerStatus.LEFT, left_on__gte=start, left_on__lte=end)
        ),
        "at_start": Count("pk", filter=there_at_start),
        "retained": Count("pk", filter=there_at_start & (in_post | Q(left_on__gt=end))),
    }
    if current:
        # A correlated EXISTS (an index probe per worker). An uncorrelated IN inside the
        # aggregate's FILTER is not hashed by PostgreSQL: it rescans the certificates per row.
        certified = Exists(
            Certificate.objects.unscoped(reason=CERTIFIED).filter(worker_id=OuterRef("pk"))
        )
        figures |= {
            "in_post": Count("pk", filter=in_post),
            "station_filled": Count(
                "pk", filter=in_post & Q(employer__kind=Kind.SOCIAL_WORK_STATION)
            ),
            "certified": Count("pk", filter=in_post & Q(certified)),
        }
    rows = base.annotate(k=key).values("k").annotate(**figures).order_by()
    return {str(r.pop("k")): r for r in rows}


def _pay_figures(base: QuerySet, key, year: int, guidance: int | None) -> dict[str, dict]:
    below = Q(monthly_yuan__lt=guidance) if guidance else Q(pk__in=[])
    rows = (
        base.filter(year=year, worker__status=WorkerStatus.IN_POST)
        .annotate(k=key)
        .values("k")
        .annotate(
            paid=Count("pk"), pay_average=Avg("monthly_yuan"), below=Count("pk", filter=below)
        )
        .order_by()
    )
    return {str(r.pop("k")): r for r in rows}


TALLIED = (
    "The staffing summary rows of child regions of a region the reader may see: counts only, "
    "read through visible_to"
)


def _tallied(fetched_by: Any, region_code: str, child_len: int, year: int, guidance):
    """The roll-up's figures from the summary rows (careers.StaffingTally) of the children of
    `region_code` for `year`: (figures, pay, leave reasons, as_of), or None where the region's
    own row is missing (never counted, nobody there at the count, a year not counted, or
    children below the county) — the caller then counts live."""
    from shegong.careers.models import STAFFING_TALLY_DEPTHS, StaffingTally

    if child_len > max(STAFFING_TALLY_DEPTHS):
        return None
    code = RegionCode(region_code)
    low, high = code_range(code.prefix)
    rows = list(
        StaffingTally.objects.visible_to(fetched_by)
        .filter(year=year)
        .filter(
            Q(depth=child_len, region_code__gte=low, region_code__lte=high)
            | Q(depth=len(code.prefix), region_code=code)
        )
    )
    own = [r for r in rows if r.depth == len(code.prefix) and r.region_code == code]
    if not own:
        return None
    threshold = guidance.monthly_yuan if guidance else None
    figures, pay = {}, {}
    reasons: Counter = Counter()
    for r in rows:
        if r.depth != child_len:
            continue
        key = r.region_code[:child_len]
        figures[key] = {
            name: getattr(r, name)
            for name in (
                "in_post", "station_filled", "certified", "joiners", "leavers", "at_start",
                "retained",
            )
        }  # fmt: skip
        paid = sum(r.pay.values())
        total = sum(int(amount) * n for amount, n in r.pay.items())
        below = sum(n for amount, n in r.pay.items() if threshold and int(amount) < threshold)
        if paid:
            pay[key] = {"paid": paid, "pay_average": total / paid, "below": below}
        reasons.update(r.leave_reasons)
    ordered = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    return figures, pay, ordered, own[0].as_of


def pay_guidance_for(region_code: str, year: int) -> PayGuidance | None:
    """The most specific guidance for a region and year: its own, its city's, its province's."""
    code = RegionCode(region_code)
    chain = [code, *reversed(code.ancestors())] if code.level else [code]
    found = {
        g.region_code: g
        for g in PayGuidance.objects.unscoped(
            reason="Pay guidance is a published local figure that applies below its region"
        ).filter(region_code__in=chain, year=year)
    }
    for c in chain:
        if c in found:
            return found[c]
    return None


def staffing_rollup(*, fetched_by: Any, region_code: str = "", year: int) -> StaffingRollup:
    """Posts against the standard, filled, vacant, certified share, joiners, leavers,
    retention and pay, per child region of `region_code` (per organisation below a township)."""
    from shegong.orgs.selectors import staffing_standard_resolve, staffing_standards_all
    from shegong.regions.models import Region
    from shegong.regions.selectors import region_for, region_names

    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE:
        raise Http404("Not found")
    region = region_for(fetched_by=fetched_by, code=region_code or jurisdiction.region_code)
    code = RegionCode(region.code)
    level = code.level
    prefix = code.prefix
    start, end = _period(year)
    workers = WorkerProfile.objects.visible_to(fetched_by).in_subtree(prefix)
    pays = WorkerPay.objects.visible_to(fetched_by).in_subtree(prefix)
    stations_qs = (
        Organisation.objects.visible_to(fetched_by)
        .in_subtree(prefix)
        .filter(kind=Kind.SOCIAL_WORK_STATION, is_active=True)
    )
    standards = staffing_standards_all()
    guidance = pay_guidance_for(region.code, year)
    by_org = level >= 4
    rows: dict[str, StaffingRow] = {}
    reasons: list[tuple[str, int]] | None = None
    as_of = None
    if by_org:
        figures = worker_figures(workers, F("employer_id"), start, end)
        pay = _pay_figures(pays, F("worker__employer_id"), year, guidance and guidance.monthly_yuan)
        orgs = {
            str(o.pk): o
            for o in Organisation.objects.visible_to(fetched_by).filter(
                Q(pk__in=[int(k) for k in figures]) | Q(pk__in=stations_qs.values("pk"))
            )
        }
        for key, org in sorted(orgs.items(), key=lambda kv: kv[1].name):
            row = StaffingRow(key=key, name=org.name)
            if org.kind == Kind.SOCIAL_WORK_STATION and org.is_active:
                row.stations = 1
                standard = staffing_standard_resolve(org.region_id, standards=standards)
                row.standard_posts = standard.workers_per_station if standard else 0
            rows[key] = row
    else:
        child_len = PREFIX_LENGTH[level + 1]
        counted = _tallied(fetched_by, region.code, child_len, year, guidance)
        if counted is not None:
            figures, pay, reasons, as_of = counted
        else:
            key = Substr("region_code", 1, child_len)
            figures = worker_figures(workers, key, start, end)
            pay = _pay_figures(
                pays, Substr("region_code", 1, child_len), year, guidance and guidance.monthly_yuan
            )
        children = Region.objects.filter(parent_id=region.code).order_by("code")
        for child in children:
            p = child.code[:child_len]
            rows[p] = StaffingRow(key=p, name=child.name, drill=child.code)
        # Stations per city (or finer), so that a city's own standard applies to its stations.
        group_len = max(child_len, PREFIX_LENGTH[2])
        station_rows = (
            stations_qs.annotate(g=Substr("region_id", 1, group_len))
            .values("g")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for r in station_rows:
            standard = staffing_standard_resolve(
                RegionCode.from_prefix(r["g"]), standards=standards
            )
            row = rows.get(r["g"][:child_len])
            if row is None:
                continue
            row.stations += r["n"]
            row.standard_posts += r["n"] * (standard.workers_per_station if standard else 0)
        missing = [k for k in figures if k not in rows]
        names = region_names([RegionCode.from_prefix(k) for k in missing if k.isdigit()])
        for k in missing:
            full = RegionCode.from_prefix(k) if k.isdigit() else k
            rows[k] = StaffingRow(key=k, name=names.get(full, full), drill=full)
    for k, values in figures.items():
        row = rows.get(k)
        if row is not None:
            for name, value in values.items():
                setattr(row, name, value)
    for k, values in pay.items():
        row = rows.get(k)
        if row is not None:
            row.paid = values["paid"]
            row.pay_average = float(values["pay_average"]) if values["pay_average"] else None
            row.below_guidance = values["below"]
    total = StaffingRow(key=region.code, name=region.name)
    pay_sum = 0.0
    for row in rows.values():
        for name in (
            "stations", "standard_posts", "station_filled", "in_post", "certified", "joiners",
            "leavers", "at_start", "retained", "paid", "below_guidance",
        ):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(row, name))
        if row.pay_average is not None:
            pay_sum += row.pay_average * row.paid
    total.pay_average = pay_sum / total.paid if total.paid else None
    if reasons is None:
        reasons = [
            (r["leave_reason"], r["n"])
            for r in workers.filter(status=WorkerStatus.LEFT, left_on__gte=start, left_on__lte=end)
            .values("leave_reason")
            .annotate(n=Count("pk"))
            .order_by("-n", "leave_reason")
        ]
    return StaffingRollup(
        region_code=region.code,
        region_name=region.name,
        level=level,
        year=year,
        rows=list(rows.values()),
        total=total,
        guidance=guidance,
        leave_reasons=reasons,
        by_organisation=by_org,
        as_of=as_of,
    )


def pay_guidance_list(*, fetched_by: Any) -> QuerySet[PayGuidance]:
    return PayGuidance.objects.visible_to(fetched_by).order_by("-year", "region_code")


# ---- the region counter funds reads for its staffing shortfall ---------------------------------

STATION_WORKERS = (
    "Counts per child region for the region pages and allocation plans, inside the reader's "
    "jurisdiction (the caller passes its range); only counts leave."
)


def station_workers_by_child(low: str, high: str, child_len: int) -> dict[str, int]:
    """In-post social workers employed by a township station, per child region prefix."""
    from shegong.core.counting import count_by_child

    workers = WorkerProfile.objects.unscoped(reason=STATION_WORKERS).filter(
        status=WorkerStatus.IN_POST, employer__kind=Kind.SOCIAL_WORK_STATION
    )
    return count_by_child(workers, "region_code", low, high, child_len)

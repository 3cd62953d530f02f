"""The workforce summary rows (careers.StaffingTally), refreshed by the scheduler.

The staffing and retention roll-up of the country, a province or a city reads these rows (a
few hundred at most) instead of grouping every worker profile, and shows when they were counted
("统计截至…"); a county's and a township's roll-ups, the ones a department opens daily, are
always counted live. One refresh groups the profiles by county once for the figures of now
(in post, at stations, certified — the certificates as a hashed semi-join), and once per year
for the year's movements, the pay reported and the reasons for leaving; every higher level is
summed from the counties in Python, and the new rows replace the old in one transaction, so a
reader sees either the old set or the new one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from shegong.careers.models import STAFFING_TALLY_DEPTHS as TALLY_DEPTHS
from shegong.careers.models import StaffingTally, WorkerPay
from shegong.careers.selectors import worker_figures
from shegong.core.regioncode import RegionCode
from shegong.orgs.models import Kind
from shegong.workforce.models import Certificate, WorkerProfile, WorkerStatus

WHOLE_COUNTRY = (
    "The nightly workforce summary counts every worker profile, certificate and pay row of the "
    "country; only counts per region leave, and each reader reads its own through visible_to."
)

COUNTY = max(TALLY_DEPTHS)
YEARS = 5  # this year and the four before it


def tally_years(today: date) -> range:
    return range(today.year - YEARS + 1, today.year + 1)


def _current(workers) -> dict[str, dict[str, int]]:
    in_post = Q(status=WorkerStatus.IN_POST)
    rows = (
        workers.annotate(k=Substr("region_code", 1, COUNTY))
        .values("k")
        .annotate(
            in_post=Count("pk", filter=in_post),
            station_filled=Count("pk", filter=in_post & Q(employer__kind=Kind.SOCIAL_WORK_STATION)),
        )
        .order_by()
    )
    found = {r.pop("k"): r for r in rows}
    holders = Certificate.objects.unscoped(reason=WHOLE_COUNTRY).values("worker_id")
    certified = (
        workers.filter(in_post, pk__in=holders)
        .annotate(k=Substr("region_code", 1, COUNTY))
        .values_list("k")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for k, n in certified:
        found.setdefault(k, {"in_post": 0, "station_filled": 0})["certified"] = n
    return found


def staffing_tally_refresh(*, now: datetime | None = None) -> int:
    """Count the workforce per county afresh and replace the summary rows; returns the rows."""
    now = now or timezone.now()
    workers = WorkerProfile.objects.unscoped(reason=WHOLE_COUNTRY)
    pays = WorkerPay.objects.unscoped(reason=WHOLE_COUNTRY)
    current = _current(workers)
    rolled: dict[tuple[int, str, int], dict] = {}

    def row(depth: int, prefix: str, year: int) -> dict:
        key = (depth, prefix, year)
        if key not in rolled:
            rolled[key] = defaultdict(int, pay=Counter(), leave_reasons=Counter())
        return rolled[key]

    for year in tally_years(timezone.localdate(now)):
        start, end = date(year, 1, 1), date(year, 12, 31)
        by_county: dict[str, dict] = defaultdict(lambda: defaultdict(int))
        for k, values in current.items():
            by_county[k].update(values)
        for k, values in worker_figures(
            workers, Substr("region_code", 1, COUNTY), start, end, current=False
        ).items():
            by_county[k].update(values)
        paid = (
            pays.filter(year=year, worker__status=WorkerStatus.IN_POST)
            .annotate(k=Substr("region_code", 1, COUNTY))
            .values_list("k", "monthly_yuan")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for k, amount, n in paid:
            by_county[k].setdefault("pay", Counter())[str(amount)] += n
        reasons = (
            workers.filter(status=WorkerStatus.LEFT, left_on__gte=start, left_on__lte=end)
            .annotate(k=Substr("region_code", 1, COUNTY))
            .values_list("k", F("leave_reason"))
            .annotate(n=Count("pk"))
            .order_by()
        )
        for k, reason, n in reasons:
            by_county[k].setdefault("leave_reasons", Counter())[reason] += n
        row(0, "", year)  # the country always has its rows: "never counted" differs from "none"
        for k, values in by_county.items():
            for depth in TALLY_DEPTHS:
                if depth > len(k):
                    continue
                target = row(depth, k[:depth], year)
                for name, value in values.items():
                    if isinstance(value, Counter):
                        target[name].update(value)
                    else:
                        target[name] += value
    rows = [
        StaffingTally(
            region_code=RegionCode.from_prefix(prefix),
            depth=depth,
            year=year,
            pay=dict(values.pop("pay")),
            leave_reasons=dict(values.pop("leave_reasons")),
            as_of=now,
            **values,
        )
        for (depth, prefix, year), values in rolled.items()
    ]
    with transaction.atomic():
        StaffingTally.objects.unscoped(reason=WHOLE_COUNTRY).delete()
        StaffingTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)

"""The cached values: every active indicator for every county, rolled up to cities, provinces
and the nation by summing numerators and denominators, for one period.

One query per source covers all counties at once (a GROUP BY on the first six digits of the
region code), shared between the indicators of the period that use it; the roll-up adds the
counties' figures in memory; the period's old rows are deleted and the new ones written with
one bulk insert, in one transaction. The night job (tasks.py, `night_periods`) refreshes the
last twelve months, four quarters, the last year and rolling year; a department refreshes an
indicator on demand from its page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import jurisdiction_of
from shegong.indicators.models import Indicator, IndicatorValue
from shegong.indicators.periods import Period
from shegong.indicators.selectors import Figure, compute, value_of

COUNTY = 6


def _regions_within(scope: str) -> list[str]:
    """The prefixes of the nation, provinces, cities and counties in the subtree `scope`."""
    from shegong.core.regioncode import code_range
    from shegong.regions.models import Level, Region

    low, high = code_range(scope)
    codes = Region.objects.filter(level__lte=Level.COUNTY, code__gte=low, code__lte=high)
    return sorted({scope, *(RegionCode(c).prefix for c in codes.values_list("code", flat=True))})


def _rolled(
    indicator: Indicator,
    counties: dict[str, Figure],
    within: str = "",
    regions: list[str] = (),
) -> dict[str, Figure]:
    """`{prefix: Figure}` for every region of `regions` (a zero where nothing was counted, so
    that the cache holds every region down to the counties and a page never counts again what
    was none) and every county with figures and every region above it. A group of six digits
    ending in 00 holds rows recorded at a city (or province) itself: it counts in the roll-up
    and is not a county of its own."""
    empty = None if not indicator.denominator else Decimal(0)
    found: dict[str, Figure] = {}
    least = max(len(indicator.owner_prefix), len(within))
    for prefix in regions:
        if len(prefix) >= least and prefix.startswith(indicator.owner_prefix):
            found[prefix] = Figure(Decimal(0), empty)
    for prefix, figure in counties.items():
        above = [""]
        if prefix[:2] != "00":
            above.append(prefix[:2])
        if prefix[2:4] != "00":
            above.append(prefix[:4])
        if prefix[4:6] != "00":
            above.append(prefix)
        for key in above:
            if len(key) >= max(len(indicator.owner_prefix), len(within)):
                found.setdefault(key, Figure(Decimal(0), empty)).add(figure)
    return found


@transaction.atomic
def values_refresh(
    *,
    acting_user: Any = None,
    period: Period,
    indicators: list[Indicator] | None = None,
    memo: dict | None = None,
) -> int:
    """Recompute the cached values of `indicators` (default: every active one applying to the
    period's type) for `period`; the number of values written. Run by a person (on demand),
    only the values inside their jurisdiction are rewritten — the regions above it keep theirs
    until the night job, which runs as the system over every region."""
    within = ""
    if acting_user is not None:
        within = jurisdiction_of(acting_user).prefix
        if within == "-":
            raise PermissionDenied("no jurisdiction")
    if indicators is None:
        indicators = [
            i for i in Indicator.objects.filter(is_active=True) if period.type in i.periods
        ]
    now = timezone.now()
    written = 0
    # Each source counted once for the period, whichever indicators use it (and an undated one
    # once for every period of a run that shares `memo`).
    memo = {} if memo is None else memo
    regions: dict[str, list[str]] = {}
    for indicator in indicators:
        if not (
            within.startswith(indicator.owner_prefix) or indicator.owner_prefix.startswith(within)
        ):
            continue
        scope = within if len(within) > len(indicator.owner_prefix) else indicator.owner_prefix
        counties = compute(indicator, scope, COUNTY, period, memo) if len(scope) <= COUNTY else {}
        rows = [
            IndicatorValue(
                indicator=indicator,
                region_code=RegionCode.from_prefix(prefix),
                period_type=period.type,
                period_start=period.start,
                numerator=figure.numerator,
                denominator=figure.denominator,
                value=value_of(indicator, figure),
                computed_at=now,
            )
            for prefix, figure in _rolled(
                indicator, counties, scope, regions.setdefault(scope, _regions_within(scope))
            ).items()
        ]
        stale = IndicatorValue.objects.unscoped(reason=REFRESH).filter(
            indicator=indicator, period_type=period.type, period_start=period.start
        )
        stale.in_subtree(scope).delete()
        IndicatorValue.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    if acting_user is not None:
        audit_record(
            action=AuditLog.Action.OTHER,
            actor=acting_user,
            region_code=jurisdiction_of(acting_user).region_code,
            detail={
                "indicators_refresh": [i.code for i in indicators][:50],
                "period": period.text,
                "values": written,
            },
        )
    return written


FILL_MAX = 24  # periods booked by one request (a dashboard shows thirteen months at most)


def values_refresh_request(*, periods: list[Period]) -> list[Period]:
    """Book the background count (`tasks.values_fill_task`) of `periods`, which a page above
    the county level found missing from the cache and showed pending instead of counting them
    during the request: the periods booked now. A period already waiting or being counted is
    not booked again, nor one that is not over yet (the night job counts it once complete).
    With a backend that cannot run work later (the tests' immediate one) nothing is booked,
    as in `core.schedule`. Writes no value and no audit entry: the task's refresh runs as the
    system, over every region, like the night job. Two requests at the same instant may both
    book a period: the second count rewrites the same values."""
    from django_tasks import default_task_backend

    from shegong.core.schedule import runs_pending
    from shegong.indicators.periods import TYPES
    from shegong.indicators.tasks import values_fill_task

    if not periods or not default_task_backend.supports_defer:
        return []
    today = timezone.localdate()
    over = {
        p for p in periods if p.type in TYPES and p.start <= Period.current(p.type, today).start
    }
    taken = {
        text for kwargs in runs_pending(values_fill_task) for text in kwargs.get("periods", ())
    }
    wanted = sorted((p for p in over if p.text not in taken), key=lambda p: p.start, reverse=True)
    wanted = wanted[:FILL_MAX]
    if wanted:
        values_fill_task.enqueue(periods=[p.text for p in wanted])
    return wanted


REFRESH = (
    "The night refresh rewrites every region's cached values of a period; it runs as the system "
    "and shows nothing to anybody."
)

"""A level's dashboard: cards (value, traffic light, the last twelve months), the child regions
of the region by a selected indicator (for the map, the bar chart and their table) and that
indicator's time series.

Every figure comes from the cache (`IndicatorValue`) in one query for all the cards' months;
a month the cache does not hold (not yet refreshed) is computed by `_figures`, the same path the
indicator pages take, at the county level and below; above it (seconds per month on a national
database) the month is *pending* ("尚未统计") and the view books its background count
(`services.values_refresh_request`) for `Dashboard.pending`. The children's figures are
`indicator_table`'s, so the dashboard, the indicator page, the pivot and its export show the
same numbers, and a region outside the reader's jurisdiction is the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404

from shegong.core.regioncode import PREFIX_LENGTH, RegionCode
from shegong.core.scoping import NOWHERE, jurisdiction_of
from shegong.indicators.models import DashboardPin, Direction, Indicator, IndicatorValue
from shegong.indicators.periods import MONTH, Period
from shegong.indicators.selectors import (
    PENDING,
    Figure,
    Row,
    Table,
    _figures,
    counts_live,
    get_indicator_for,
    indicator_list,
    indicator_table,
    value_of,
    written,
)

MONTHS = 12  # the sparklines and the time series
DEFAULT_INDICATOR = "elderly_visit_rate"  # the map's indicator until the reader picks another
_CARE = (
    "elderly_visit_rate",
    "visit_on_time_rate",
    "matters_replied_in_time_rate",
    "satisfaction_rate",
    "repeat_petition_rate",
)
# The cards of a level when its reader pinned none: the upper levels watch coverage of the
# stations and volunteers, a county and below the visiting plans and the case work.
DEFAULT_CARDS: dict[int, tuple[str, ...]] = {
    0: (*_CARE, "stations_staffed_rate", "active_volunteer_rate"),
    1: (*_CARE, "stations_staffed_rate", "active_volunteer_rate"),
    2: (*_CARE, "stations_staffed_rate", "volunteer_hours_per_volunteer"),
    3: (*_CARE, "visit_plan_coverage", "case_task_on_time_rate"),
    4: (*_CARE, "visit_plan_coverage", "case_task_on_time_rate"),
    5: (*_CARE, "visit_plan_coverage"),
}


@dataclass
class Point:
    period: Period
    figure: Figure
    value: Decimal | None
    text: str
    computed_at: datetime | None  # None: computed now (or pending), not from the cache
    pending: bool = False  # not in the cache and not counted now: the background count will


@dataclass
class Card:
    indicator: Indicator
    points: list[Point]
    pinned: bool = False

    @property
    def value(self) -> Decimal | None:
        return self.points[-1].value if self.points else None

    @property
    def pending(self) -> bool:
        return bool(self.points) and self.points[-1].pending

    @property
    def text(self) -> str:
        return str(PENDING) if self.pending else written(self.indicator, self.value)

    @property
    def light(self) -> str:
        return self.indicator.light(self.value)

    @property
    def previous_text(self) -> str:
        return written(self.indicator, self.points[-2].value if len(self.points) > 1 else None)

    @property
    def target_text(self) -> str:
        return written(self.indicator, self.indicator.target)


@dataclass
class Dashboard:
    region: Any  # regions.Region
    period: Period
    periods: list[Period]
    cards: list[Card]
    indicator: Indicator  # the map's and the time series' indicator
    table: Table  # the region and its children by `indicator`
    series: list[Point]
    trail: list[tuple[str, str]]  # (code, name) from the reader's own region down to this one
    choices: list[Indicator] = field(default_factory=list)  # monthly indicators the reader reads
    pins: list[str] = field(default_factory=list)  # the codes the reader pinned
    last_counted_at: datetime | None = None  # the region's newest cached value, when pending

    @property
    def pending(self) -> list[Period]:
        """The months shown pending (the cards', the series', the table's), newest first: what
        the background count is booked for."""
        found = {p.period for c in self.cards for p in c.points if p.pending}
        found |= {p.period for p in self.series if p.pending}
        found |= set(self.table.pending)
        return sorted(found, key=lambda p: p.start, reverse=True)

    @property
    def level(self) -> int:
        return RegionCode(self.region.code).level

    @property
    def ranked(self) -> list[Row]:
        """The children best first by the indicator's direction; those without a value last."""
        higher = self.indicator.direction == Direction.HIGHER
        valued = [r for r in self.table.rows if r.value is not None]
        valued.sort(key=lambda r: (-r.value if higher else r.value, r.code))
        return valued + [r for r in self.table.rows if r.value is None]

    @property
    def computed_at(self) -> datetime | None:
        """The oldest cache time among the figures shown (None when none came from it)."""
        times = [p.computed_at for c in self.cards for p in c.points if p.computed_at]
        times += [p.computed_at for p in self.series if p.computed_at]
        if self.table.computed_at:
            times.append(self.table.computed_at)
        return min(times) if times else None

    @property
    def computed_now(self) -> bool:
        """Whether some figure shown was computed now (not in the cache)."""
        points = [p for c in self.cards for p in c.points if not p.pending]
        points += [p for p in self.series if not p.pending]
        table_now = self.table.computed_at is None and self.period not in self.table.pending
        return table_now or any(p.computed_at is None for p in points)


def periods_to(period: Period, count: int = MONTHS) -> list[Period]:
    """`count` periods of `period`'s type ending with it, oldest first."""
    found = [period]
    while len(found) < count:
        found.append(found[-1].previous())
    return found[::-1]


def region_series(
    indicators: list[Indicator], region: RegionCode, periods: list[Period], *, live: bool = True
) -> dict[int, list[Point]]:
    """`{indicator pk: [Point per period]}` for `region` (checked by the caller): the cached
    months in one query, the others computed (with `live=False`: pending, not computed)."""
    if not indicators or not periods:
        return {}
    cached = IndicatorValue.objects.in_subtree(region.prefix).filter(
        region_code=str(region),
        period_type=periods[0].type,
        period_start__in=[p.start for p in periods],
        indicator__in=[i.pk for i in indicators],
    )
    hits = {
        (pk, start): (Figure(numerator, denominator), at)
        for pk, start, numerator, denominator, at in cached.values_list(
            "indicator_id", "period_start", "numerator", "denominator", "computed_at"
        )
    }
    child_len = PREFIX_LENGTH[min(region.level + 1, 5)]
    found: dict[int, list[Point]] = {}
    for indicator in indicators:
        points = []
        for period in periods:
            hit = hits.get((indicator.pk, period.start))
            if hit is None and not live:
                empty = Figure(Decimal(0), None if not indicator.denominator else Decimal(0))
                points.append(Point(period, empty, None, str(PENDING), None, pending=True))
                continue
            if hit is None:
                _children, figure, at = _figures(indicator, region, period, child_len)
            else:
                figure, at = hit
            value = value_of(indicator, figure)
            points.append(Point(period, figure, value, written(indicator, value), at))
        found[indicator.pk] = points
    return found


def pinned_codes(*, fetched_by: Any) -> list[str]:
    """The codes of the indicators the reader pinned, in the order pinned."""
    if not getattr(fetched_by, "is_authenticated", False):
        return []
    return list(
        DashboardPin.objects.filter(user=fetched_by).values_list("indicator__code", flat=True)
    )


def _trail(reader_code: str, code: RegionCode) -> list[tuple[str, str]]:
    from shegong.regions.models import Region

    top = RegionCode(reader_code).level
    codes = [str(code.ancestor(level)) for level in range(top, code.level + 1)]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [(c, names.get(c, c)) for c in codes]


def dashboard(
    *, fetched_by: Any, region_code: str = "", indicator_code: str = "", period: Period
) -> Dashboard:
    """The dashboard of `region_code` (default: the reader's own region) for the month
    `period`. 404 outside the reader's jurisdiction, for an indicator the reader cannot read
    and for a period that is not a month."""
    from shegong.regions.selectors import region_for

    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE or period.type != MONTH:
        raise Http404("Not found")
    region = region_for(fetched_by=fetched_by, code=region_code or jurisdiction.region_code)
    code = RegionCode(region.code)
    choices = [
        i
        for i in indicator_list(fetched_by=fetched_by)  # a few dozen definitions
        if MONTH in i.periods and code.prefix.startswith(i.owner_prefix)
    ]
    by_code = {i.code: i for i in choices}
    pins = [c for c in pinned_codes(fetched_by=fetched_by) if c in by_code]
    chosen = pins or [c for c in DEFAULT_CARDS[code.level] if c in by_code]
    indicator = (
        get_indicator_for(fetched_by=fetched_by, code=indicator_code)
        if indicator_code
        else by_code.get(DEFAULT_INDICATOR) or (choices[0] if choices else None)
    )
    if indicator is None or MONTH not in indicator.periods:
        raise Http404("Not found")
    periods = periods_to(period)
    wanted = [by_code[c] for c in chosen]
    if indicator.code not in chosen:
        wanted.append(indicator)
    live = counts_live(code)
    series = region_series(wanted, code, periods, live=live)
    table = indicator_table(
        fetched_by=fetched_by,
        indicator=indicator,
        region_code=region.code,
        period=period,
        live=live,
    )
    found = Dashboard(
        region=region,
        period=period,
        periods=periods,
        cards=[Card(by_code[c], series[by_code[c].pk], pinned=c in pins) for c in chosen],
        indicator=indicator,
        table=table,
        series=series[indicator.pk],
        trail=_trail(jurisdiction.region_code, code),
        choices=choices,
        pins=pins,
    )
    if found.pending:
        found.last_counted_at = last_counted_at(code)
    return found


def last_counted_at(region: RegionCode) -> datetime | None:
    """When a value of `region` was last written to the cache (any indicator, any period), or
    None: one index lookup (`indicator_value_region_time`)."""
    from django.db.models import Max

    return (
        IndicatorValue.objects.in_subtree(region.prefix)
        .filter(region_code=str(region))
        .aggregate(at=Max("computed_at"))["at"]
    )


SERIES_MAX = 24


def indicator_series(
    *,
    fetched_by: Any,
    indicator: Indicator,
    region_code: str = "",
    period: Period,
    count: int = MONTHS,
) -> tuple[Any, list[Point]]:
    """`(region, points)`: the indicator for `region_code` (default: the reader's own region)
    over `count` periods of `period`'s type ending with it. 404 outside the reader's
    jurisdiction, outside the indicator's province, or for a period type it does not have.
    Above the county level a period the cache lacks is pending (`Point.pending`), as on the
    dashboard; the caller books its count."""
    from shegong.regions.selectors import region_for

    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE or period.type not in indicator.periods:
        raise Http404("Not found")
    region = region_for(fetched_by=fetched_by, code=region_code or jurisdiction.region_code)
    code = RegionCode(region.code)
    if not code.prefix.startswith(indicator.owner_prefix):
        raise Http404("Not found")
    periods = periods_to(period, max(1, min(count, SERIES_MAX)))
    live = counts_live(code)
    return region, region_series([indicator], code, periods, live=live)[indicator.pk]

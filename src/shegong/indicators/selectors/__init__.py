"""Reads of indicators: the definitions a reader may use, and values per child region.

`compute(indicator, prefix, child_len, period)` is the engine: one query per source the
indicator names (each source groups by the first `child_len` characters of the region code),
then the numerator and the denominator per child. A region's own total is the sum of its
children's numerators and denominators. `indicator_table` is what the page and the API show: the
reader's region (or one below it) and its children, from the cache (`IndicatorValue`) where the
night job or a refresh wrote the period, else computed now; every region is checked against
the reader through the scoping layer.

Above the county level counting a month takes seconds on a national database: a caller that
passes `live=False` (the dashboards) gets such a month as *pending* ("尚未统计") instead, and
books its background count (`services.values_refresh_request`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from shegong.core import registry
from shegong.core.regioncode import PREFIX_LENGTH, RegionCode, code_range
from shegong.core.scoping import NOWHERE, jurisdiction_of
from shegong.indicators import expressions
from shegong.indicators.models import Indicator, IndicatorValue
from shegong.indicators.periods import Period


def source_all() -> dict[str, registry.IndicatorSource]:
    return dict(sorted(registry.indicator_sources.items()))


def source_keys() -> frozenset[str]:
    return frozenset(registry.indicator_sources)


def indicator_list(*, fetched_by: Any, active_only: bool = True):
    found = Indicator.objects.readable_by(fetched_by)
    return found.filter(is_active=True) if active_only else found


def get_indicator_for(*, fetched_by: Any, code: str) -> Indicator:
    found = indicator_list(fetched_by=fetched_by, active_only=False).filter(code=code).first()
    if found is None:
        raise Http404("Not found")
    return found


# ---- computing ---------------------------------------------------------------------------------


@dataclass
class Figure:
    numerator: Decimal = Decimal(0)
    denominator: Decimal | None = None

    def add(self, other: Figure) -> None:
        self.numerator += other.numerator
        if other.denominator is not None:
            self.denominator = (self.denominator or Decimal(0)) + other.denominator


def value_of(indicator: Indicator, figure: Figure) -> Decimal | None:
    if not indicator.denominator:
        return figure.numerator * indicator.factor
    if not figure.denominator:
        return None
    return figure.numerator / figure.denominator * indicator.factor


def compute(
    indicator: Indicator,
    prefix: str,
    child_len: int,
    period: Period,
    memo: dict | None = None,
) -> dict[str, Figure]:
    """`{child prefix: Figure}` over the subtree `prefix` for `period`: one query per source.
    With `memo` (a dict kept by the caller across indicators), a source already counted for
    the same subtree, level and period is not counted again (the night refresh shares one
    between every indicator of a period: many use the same sources)."""
    known = source_keys()
    numerator = expressions.parse(indicator.numerator, known=known)
    denominator = (
        expressions.parse(indicator.denominator, known=known) if indicator.denominator else None
    )
    used = expressions.names(numerator) | (expressions.names(denominator) if denominator else set())
    low, high = code_range(prefix)
    sources = registry.indicator_sources
    figures = {}
    for key in used:
        if memo is None:
            figures[key] = sources[key].figures(low, high, child_len, period.start, period.end)
            continue
        dates = () if sources[key].undated else (period.start, period.end)
        token = (key, low, high, child_len, *dates)
        if token not in memo:
            memo[token] = sources[key].figures(low, high, child_len, period.start, period.end)
        figures[key] = memo[token]
    children = set().union(*(f.keys() for f in figures.values())) if figures else set()
    found: dict[str, Figure] = {}
    for child in children:
        own = {key: figures[key].get(child, 0) for key in used}
        top = expressions.evaluate(numerator, own) or Decimal(0)
        bottom = expressions.evaluate(denominator, own) if denominator is not None else None
        found[child] = Figure(top, bottom if denominator is None else (bottom or Decimal(0)))
    return found


# ---- what a reader sees ------------------------------------------------------------------------

LIVE_LEVEL = 3  # regions.Level.COUNTY: from here down a month missing from the cache is counted now
PENDING = _("尚未统计")  # a month above the county level that the cache does not hold yet


def counts_live(region: RegionCode) -> bool:
    """Whether a page may count a month the cache lacks for `region` now (county and below:
    cheap) or shows it pending until the background count (above: seconds per month)."""
    return region.level >= LIVE_LEVEL


def expression_kind(text: str) -> str:
    """How a numerator or denominator is written (`core.figures.Kind`): the kind of its sources
    when they all have one kind (hours, fen, count), else a plain decimal."""
    if not text:
        return "decimal"
    tree = expressions.parse(text, known=source_keys())
    kinds = {registry.indicator_sources[name].kind for name in expressions.names(tree)}
    return kinds.pop() if len(kinds) == 1 else "decimal"


def written(indicator: Indicator, value: Decimal | None) -> str:
    """A value as text, by the indicator's kind (`core.figures`): a percentage, a per-10k
    figure, a ratio, or a count where there is no denominator."""
    from shegong.core.figures import Kind, format_figure

    if value is None:
        return format_figure(None)
    if not indicator.denominator:
        return format_figure(value, Kind.DECIMAL if value % 1 else Kind.COUNT)
    if indicator.factor == 100:
        return format_figure(value / 100, Kind.PERCENT)
    if indicator.factor == 10000:
        return f"{format_figure(value, Kind.DECIMAL)}‱"
    return format_figure(value, Kind.DECIMAL)


class _Compared:
    """A value beside the previous period's, written in its indicator's way (rows and cells)."""

    indicator: Indicator | None
    value: Decimal | None
    previous: Decimal | None
    pending: bool = False

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def text(self) -> str:
        if self.pending:
            return str(PENDING)
        return written(self.indicator, self.value)

    @property
    def previous_text(self) -> str:
        return written(self.indicator, self.previous)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return written(self.indicator, None)
        sign = "+" if change > 0 else ""
        return sign + written(self.indicator, change)


@dataclass
class Row(_Compared):
    code: str
    name: str
    figure: Figure
    value: Decimal | None
    light: str = ""
    previous: Decimal | None = None
    drill: bool = False

    indicator: Indicator | None = None
    pending: bool = False  # the month is not counted yet (see `counts_live`)


@dataclass
class Table:
    indicator: Indicator
    period: Period
    region_code: str
    region_name: str
    total: Row
    rows: list[Row] = field(default_factory=list)
    computed_at: datetime | None = None  # when read from the cache
    pending: tuple[Period, ...] = ()  # the period and/or the previous one, not counted yet

    @property
    def numerator_kind(self) -> str:
        return expression_kind(self.indicator.numerator)

    @property
    def denominator_kind(self) -> str:
        return expression_kind(self.indicator.denominator)


def _figures(
    indicator: Indicator, region: RegionCode, period: Period, child_len: int, *, live: bool = True
):
    """`({child code: Figure}, total Figure, computed_at)`: from the cache when it holds the
    region for the period, else computed now; with `live=False`, `({}, None, None)` instead
    (pending: nothing counted)."""
    cached = (
        list(
            IndicatorValue.objects.in_subtree(region.prefix)
            .filter(indicator=indicator, period_type=period.type, period_start=period.start)
            .filter(region_code__in=_level_codes(region))
            .values_list("region_code", "numerator", "denominator", "computed_at")
        )
        if child_len <= PREFIX_LENGTH[3]
        else []
    )
    if any(code == region for code, *_rest in cached):
        figures = {code: Figure(n, d) for code, n, d, _at in cached}
        total = figures.pop(str(region))
        return figures, total, min(at for *_r, at in cached)
    if not live:
        return {}, None, None
    groups = compute(indicator, region.prefix, child_len, period)
    total = Figure(Decimal(0), None if not indicator.denominator else Decimal(0))
    for figure in groups.values():
        total.add(figure)
    figures = {RegionCode.from_prefix(p): f for p, f in groups.items() if len(p) == child_len}
    return figures, total, None


def _level_codes(region: RegionCode):
    from shegong.regions.models import Region

    return [
        str(region),
        *Region.objects.filter(parent_id=str(region)).values_list("code", flat=True),
    ]


def indicator_table(
    *,
    fetched_by: Any,
    indicator: Indicator,
    region_code: str = "",
    period: Period,
    live: bool | None = True,
) -> Table:
    """The indicator for `region_code` (default: the reader's own region) and its children,
    with the previous period's values beside them. 404 outside the reader's jurisdiction or
    outside the subtree of the province that owns the indicator. `live=None`: a month the
    cache lacks is counted now at the county level and below only, else shown pending
    (`counts_live`)."""
    from shegong.regions.selectors import region_for

    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE:
        raise Http404("Not found")
    region = region_for(fetched_by=fetched_by, code=region_code or jurisdiction.region_code)
    code = RegionCode(region.code)
    if not code.prefix.startswith(indicator.owner_prefix):
        raise Http404("Not found")
    if period.type not in indicator.periods:
        raise Http404("Not found")
    return region_table(indicator, region, period, live=counts_live(code) if live is None else live)


def region_table(indicator: Indicator, region, period: Period, *, live: bool = True) -> Table:
    """The table of `region` (a `Region`) and its children, checked by nobody: for the pages
    through `indicator_table`, for the monthly report of a department in its own region.
    With `live=False` a period the cache lacks is pending (`Table.pending`), not counted."""
    code = RegionCode(region.code)
    level = code.level
    child_len = PREFIX_LENGTH[min(level + 1, 5)]
    figures, total, computed_at = _figures(indicator, code, period, child_len, live=live)
    before, before_total, _at = _figures(indicator, code, period.previous(), child_len, live=live)
    pending = tuple(p for p, t in ((period, total), (period.previous(), before_total)) if t is None)
    is_pending = total is None
    if is_pending:
        total = Figure(Decimal(0), None if not indicator.denominator else Decimal(0))
    from shegong.regions.models import Region

    children = list(Region.objects.filter(parent_id=region.code).order_by("code"))
    rows = []
    for child in children if level < 5 else []:
        figure = figures.get(
            child.code, Figure(Decimal(0), None if not indicator.denominator else Decimal(0))
        )
        value = None if is_pending else value_of(indicator, figure)
        previous = before.get(child.code)
        rows.append(
            Row(
                code=child.code,
                name=child.name,
                figure=figure,
                value=value,
                light=indicator.light(value),
                previous=value_of(indicator, previous) if previous is not None else None,
                drill=True,
                indicator=indicator,
                pending=is_pending,
            )
        )
    value = None if is_pending else value_of(indicator, total)
    return Table(
        indicator=indicator,
        period=period,
        region_code=region.code,
        region_name=region.name,
        total=Row(
            code=region.code,
            name=region.name,
            figure=total,
            value=value,
            light=indicator.light(value),
            previous=value_of(indicator, before_total) if before_total is not None else None,
            indicator=indicator,
            pending=is_pending,
        ),
        rows=rows,
        computed_at=computed_at,
        pending=pending,
    )


# ---- pivot: indicators × child regions, or × periods --------------------------------------------

BOTTOM = 3  # at most this many units are flagged at the bottom of a ranking
PIVOT_INDICATORS = 12  # at most this many indicators in one pivot
PIVOT_PERIODS = 24  # at most this many periods in one pivot


@dataclass
class Cell(_Compared):
    indicator: Indicator
    value: Decimal | None
    previous: Decimal | None
    light: str = ""
    rank: int | None = None  # 1 = best, by the indicator's direction
    bottom: bool = False


@dataclass
class PivotRow:
    key: str  # a region code or a period's text
    label: str
    cells: list[Cell]
    drill: bool = False


@dataclass
class Pivot:
    by: str  # "regions" or "periods"
    region_code: str
    region_name: str
    period: Period
    indicators: list[Indicator]
    rows: list[PivotRow]
    total: PivotRow | None = None


def rank(cells: list[Cell]) -> None:
    """Number the cells with a value from the best (1) by their indicator's direction (ties
    share a rank) and flag the bottom ones: at most `BOTTOM`, and never more than half of the
    ranked units, so that two units are not one "top" and one "bottom"."""
    from shegong.indicators.models import Direction

    ranked = [c for c in cells if c.value is not None]
    if not ranked:
        return
    higher = ranked[0].indicator.direction == Direction.HIGHER
    ranked.sort(key=lambda c: -c.value if higher else c.value)
    position, last = 0, None
    for index, cell in enumerate(ranked, start=1):
        if cell.value != last:
            position, last = index, cell.value
        cell.rank = position
    flagged = min(BOTTOM, len(ranked) // 2)
    if flagged:
        threshold = ranked[-flagged].value
        for cell in ranked:
            cell.bottom = (cell.value <= threshold) if higher else (cell.value >= threshold)


def pivot(
    *,
    fetched_by: Any,
    indicators: list[Indicator],
    region_code: str = "",
    period: Period,
    axis: str = "regions",
    count: int = 12,
) -> Pivot:
    """The indicators for the child regions of `region_code` (default: the reader's region) in
    `period`, or for that region in `count` periods of `period`'s type ending with it; each
    value beside the previous period's, and the child regions ranked per indicator. Values come
    from `indicator_table` (the cache where present, else computed): the same checks, so a
    region outside the reader's jurisdiction is a 404."""
    indicators = [i for i in indicators if period.type in i.periods][:PIVOT_INDICATORS]
    if axis == "periods":
        periods = [period]
        while len(periods) < max(1, min(count, PIVOT_PERIODS)):
            periods.append(periods[-1].previous())
        periods.reverse()
        rows: list[PivotRow] = []
        name, code = "", region_code
        for each in periods:
            cells = []
            for indicator in indicators:
                table = indicator_table(
                    fetched_by=fetched_by, indicator=indicator, region_code=code, period=each
                )
                name, code = table.region_name, table.region_code
                cells.append(
                    Cell(indicator, table.total.value, table.total.previous, table.total.light)
                )
            rows.append(PivotRow(key=each.text, label=each.text, cells=cells))
        if not indicators:  # still check the region
            from shegong.regions.selectors import region_for

            jurisdiction = jurisdiction_of(fetched_by)
            if jurisdiction is NOWHERE:
                raise Http404("Not found")
            region = region_for(fetched_by=fetched_by, code=code or jurisdiction.region_code)
            name, code = region.name, region.code
        return Pivot("periods", code, name, period, indicators, rows)
    tables = [
        indicator_table(
            fetched_by=fetched_by, indicator=indicator, region_code=region_code, period=period
        )
        for indicator in indicators
    ]
    if not tables:
        from shegong.regions.models import Region
        from shegong.regions.selectors import region_for

        jurisdiction = jurisdiction_of(fetched_by)
        if jurisdiction is NOWHERE:
            raise Http404("Not found")
        region = region_for(fetched_by=fetched_by, code=region_code or jurisdiction.region_code)
        children = Region.objects.filter(parent_id=region.code).order_by("code")
        rows = [PivotRow(c.code, c.name, [], drill=True) for c in children]
        return Pivot("regions", region.code, region.name, period, [], rows)
    first = tables[0]
    rows = [
        PivotRow(
            key=r.code,
            label=r.name,
            cells=[
                Cell(t.indicator, t.rows[i].value, t.rows[i].previous, t.rows[i].light)
                for t in tables
            ],
            drill=r.drill,
        )
        for i, r in enumerate(first.rows)
    ]
    for column in range(len(tables)):
        rank([row.cells[column] for row in rows])
    total = PivotRow(
        key=first.region_code,
        label=first.region_name,
        cells=[Cell(t.indicator, t.total.value, t.total.previous, t.total.light) for t in tables],
    )
    return Pivot("regions", first.region_code, first.region_name, period, indicators, rows, total)


def pivot_sheet(found: Pivot) -> tuple[list[str], list[list]]:
    """Headers and rows of a pivot as a spreadsheet writes them: per indicator its value, the
    previous period's and (by regions) the rank, with the bottom units marked."""
    from django.utils.translation import gettext as _

    first = _("地区") if found.by == "regions" else _("期间")
    headers = [first]
    for indicator in found.indicators:
        headers += [
            indicator.name,
            f"{indicator.name} · {_('上一期')}",
            f"{indicator.name} · {_('变化')}",
        ]
        if found.by == "regions":
            headers += [f"{indicator.name} · {_('排名')}"]
    rows = []
    for row in [*found.rows, *([found.total] if found.total else [])]:
        line: list = [row.label if row is not found.total else f"{_('合计')} · {row.label}"]
        for cell in row.cells:
            line += [_rounded(cell.value), _rounded(cell.previous), _rounded(cell.change)]
            if found.by == "regions":
                mark = f"{cell.rank} {_('靠后')}" if cell.bottom else cell.rank
                line.append(mark if row is not found.total else None)
        rows.append(line)
    return headers, rows


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


# ---- generated reports ---------------------------------------------------------------------------


def report_list(*, fetched_by: Any):
    """The generated reports of the departments in the reader's subtree, newest first."""
    from shegong.indicators.models import GeneratedReport

    return GeneratedReport.objects.visible_to(fetched_by).select_related("organisation")


def get_report_for(*, fetched_by: Any, pk: int):
    from shegong.core.scoping import get_visible_or_404
    from shegong.indicators.models import GeneratedReport

    return get_visible_or_404(GeneratedReport.objects.all(), fetched_by, pk=pk)


# ---- subscriptions -------------------------------------------------------------------------------


def subscription_list(*, fetched_by: Any):
    """The subscriptions of the departments in the reader's subtree, active first."""
    from shegong.indicators.models import ReportSubscription

    return (
        ReportSubscription.objects.visible_to(fetched_by)
        .select_related("organisation", "created_by")
        .prefetch_related("indicators")
    )


def get_subscription_for(*, fetched_by: Any, pk: int):
    from shegong.core.scoping import get_visible_or_404
    from shegong.indicators.models import ReportSubscription

    return get_visible_or_404(ReportSubscription.objects.all(), fetched_by, pk=pk)


# ---- dashboards: selectors/dashboards.py, re-exported so that callers read `selectors.dashboard`

from shegong.indicators.selectors.dashboards import (  # noqa: E402, F401
    DEFAULT_CARDS,
    Card,
    Dashboard,
    Point,
    dashboard,
    indicator_series,
    periods_to,
    pinned_codes,
    region_series,
)

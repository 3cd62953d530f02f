"""Reads of indicators: the definitions a reader may use, and values per child region.

`compute(indicator, prefix, child_len, period)` is the engine: one query per source the
indicator names (each source groups by the first `child_len` characters of the region code),
then the numerator and the denominator per child. A region's own total is the sum of its
children's numerators and denominators. `indicator_table` is what the page and the API show: the
reader's region (or one below it) and its children, from the cache (`IndicatorValue`) where the
night job or a refresh wrote the period, else computed now; every region is checked against
the reader through the scoping layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404

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


def compute(indicator: Indicator, prefix: str, child_len: int, period: Period) -> dict[str, Figure]:
    """`{child prefix: Figure}` over the subtree `prefix` for `period`: one query per source."""
    known = source_keys()
    numerator = expressions.parse(indicator.numerator, known=known)
    denominator = (
        expressions.parse(indicator.denominator, known=known) if indicator.denominator else None
    )
    used = expressions.names(numerator) | (expressions.names(denominator) if denominator else set())
    low, high = code_range(prefix)
    sources = registry.indicator_sources
    figures = {
        key: sources[key].figures(low, high, child_len, period.start, period.end) for key in used
    }
    children = set().union(*(f.keys() for f in figures.values())) if figures else set()
    found: dict[str, Figure] = {}
    for child in children:
        own = {key: figures[key].get(child, 0) for key in used}
        top = expressions.evaluate(numerator, own) or Decimal(0)
        bottom = expressions.evaluate(denominator, own) if denominator is not None else None
        found[child] = Figure(top, bottom if denominator is None else (bottom or Decimal(0)))
    return found


# ---- what a reader sees ------------------------------------------------------------------------


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


@dataclass
class Row:
    code: str
    name: str
    figure: Figure
    value: Decimal | None
    light: str = ""
    previous: Decimal | None = None
    drill: bool = False

    indicator: Indicator | None = None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def text(self) -> str:
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
class Table:
    indicator: Indicator
    period: Period
    region_code: str
    region_name: str
    total: Row
    rows: list[Row] = field(default_factory=list)
    computed_at: datetime | None = None  # when read from the cache

    @property
    def numerator_kind(self) -> str:
        return expression_kind(self.indicator.numerator)

    @property
    def denominator_kind(self) -> str:
        return expression_kind(self.indicator.denominator)


def _figures(indicator: Indicator, region: RegionCode, period: Period, child_len: int):
    """`({child code: Figure}, total Figure, computed_at)`: from the cache when it holds the
    region for the period, else computed now."""
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
    *, fetched_by: Any, indicator: Indicator, region_code: str = "", period: Period
) -> Table:
    """The indicator for `region_code` (default: the reader's own region) and its children,
    with the previous period's values beside them. 404 outside the reader's jurisdiction or
    outside the subtree of the province that owns the indicator."""
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
    level = code.level
    child_len = PREFIX_LENGTH[min(level + 1, 5)]
    figures, total, computed_at = _figures(indicator, code, period, child_len)
    before, before_total, _at = _figures(indicator, code, period.previous(), child_len)
    from shegong.regions.models import Region

    children = list(Region.objects.filter(parent_id=region.code).order_by("code"))
    rows = []
    for child in children if level < 5 else []:
        figure = figures.get(
            child.code, Figure(Decimal(0), None if not indicator.denominator else Decimal(0))
        )
        value = value_of(indicator, figure)
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
            )
        )
    value = value_of(indicator, total)
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
            previous=value_of(indicator, before_total),
            indicator=indicator,
        ),
        rows=rows,
        computed_at=computed_at,
    )

"""Need indicators for allocation plans: one figure per child region of the plan's region.

The counts of other apps come from the region-counter registry (`core.registry.region_counters`):
an app that counts something per child region registers a `RegionCounter` once, and the region
page and allocation plans both read it. Funds names below which counters measure *need* (people to
serve, open matters) and with what default weight; a counter of capacity (organisations, staff,
volunteers) is not a need and is left out. A counter that no app registers gives no indicator.

Funds' own indicators: social work stations and their staffing shortfall (the organisation and
membership ledgers, the platform's foundation), and the population figures uploaded to funds.
Every indicator names its source, which the plan page shows next to the figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from shegong.core import registry
from shegong.core.counting import count_by_child
from shegong.core.regioncode import PREFIX_LENGTH, code_range

CHILD_COUNTS = (
    "Need indicators per child region of the plan's region, inside the planner's "
    "jurisdiction; only counts leave."
)

STAFF_PER_STATION = 3  # 粤民函〔2017〕43号: 150,000 yuan per station per year for 3 social workers

# Region counters (by key) that measure need, with their default weight in a new plan.
NEEDS: dict[str, float] = {
    "residents": 1.0,  # people: 在册服务对象
    "cared_for": 1.0,  # people: 纳入探访关爱的类别对象
    "low_income": 1.0,  # people: 低保、特困、低收入及边缘家庭
    "open_cases": 1.0,  # cases: 在办个案
    "open_matters": 0.5,  # petitions: 在办信访事项
}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    source: str
    default_weight: float
    # (parent region, child regions) → {child code: value}, or None when there are no figures
    collect: Callable[..., dict[str, float] | None]


def _span(parent, children) -> tuple[str, str, int]:
    low, high = code_range(parent.prefix)
    return low, high, PREFIX_LENGTH[children[0].level]


def _by_child(counts: dict[str, int], children: list) -> dict[str, float]:
    return {c.code: float(counts.get(c.prefix, 0)) for c in children}


def _stations(parent, children) -> dict[str, float]:
    from shegong.orgs.models import Kind, Organisation

    stations = Organisation.objects.unscoped(reason=CHILD_COUNTS).filter(
        kind=Kind.SOCIAL_WORK_STATION, is_active=True
    )
    return _by_child(count_by_child(stations, "region_id", *_span(parent, children)), children)


def _shortfall(parent, children) -> dict[str, float]:
    from shegong.accounts.models import Membership, Role
    from shegong.orgs.models import Kind

    stations = _stations(parent, children)
    workers = Membership.objects.unscoped(reason=CHILD_COUNTS).filter(
        is_active=True, role=Role.STATION_WORKER, organisation__kind=Kind.SOCIAL_WORK_STATION
    )
    staffed = _by_child(
        count_by_child(workers, "organisation__region_id", *_span(parent, children)), children
    )
    return {c: max(stations[c] * STAFF_PER_STATION - staffed.get(c, 0), 0) for c in stations}


def _population(parent, children) -> dict[str, float] | None:
    from shegong.funds.models import PopulationFigure

    rows = (
        PopulationFigure.objects.unscoped(reason=CHILD_COUNTS)
        .filter(region_code__in=[c.code for c in children])
        .order_by("region_code", "year")
    )
    latest = {r.region_code: float(r.population) for r in rows}
    return latest or None


OWN = (
    Indicator("stations", _("社工站数量"), _("组织台账：在册乡镇（街道）社工站"), 1.0, _stations),
    Indicator(
        "staffing_shortfall",
        _("社工岗位缺口"),
        format_lazy(
            _("组织与任职台账：每站 {n} 名社工减去在岗社工（粤民函〔2017〕43号标准）"),
            n=STAFF_PER_STATION,
        ),
        1.0,
        _shortfall,
    ),
    Indicator("population", _("常住人口"), _("人口数据（上传或手工录入，可选）"), 0.5, _population),
)


def _from_counter(counter: registry.RegionCounter) -> Indicator:
    def collect(parent, children) -> dict[str, float]:
        return _by_child(counter.count(*_span(parent, children)), children)

    return Indicator(
        key=counter.key,
        label=counter.label,
        source=_("区划统计：%(label)s（按下级区划计数）") % {"label": counter.label},
        default_weight=NEEDS[counter.key],
        collect=collect,
    )


def available() -> list[Indicator]:
    """Funds' own indicators, then every registered region counter that measures need."""
    counted = [_from_counter(c) for c in registry.region_counters if c.key in NEEDS]
    return [*OWN, *counted]


def collect_values(parent, children: list) -> list[tuple[Indicator, dict[str, float]]]:
    """The indicators with figures for these children, each with its values."""
    found = []
    for indicator in available():
        values = indicator.collect(parent, children)
        if values is not None and any(v > 0 for v in values.values()):
            found.append((indicator, values))
    return found

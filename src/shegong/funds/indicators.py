"""Need indicators for allocation plans: one figure per child region of the plan's region.

The counts of other apps come from the region-counter registry (`core.registry.region_counters`):
an app that counts something per child region registers a `RegionCounter` once, and the region
page and allocation plans both read it. Funds names below which counters measure *need* (people to
serve, open matters) and with what default weight; a counter of capacity (organisations, staff,
volunteers) is not a need and is left out. A counter that no app registers gives no indicator.

Funds' own indicators: social work stations and their staffing shortfall (the organisation and
membership ledgers, the platform's foundation, against the staffing standard that applies in
each province or city: orgs.StaffingStandard; in-post station workers come from the register of
social workers, careers' "station_workers" counter, where it has rows), and the population figures uploaded to funds.
Every indicator names its source, which the plan page shows next to the figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from shegong.core import registry
from shegong.core.counting import count_by_child
from shegong.core.regioncode import PREFIX_LENGTH, RegionCode, code_range

CHILD_COUNTS = (
    "Need indicators per child region of the plan's region, inside the planner's "
    "jurisdiction; only counts leave."
)

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
    # (parent region, child regions) → the source as it applies there, when it depends on where
    describe: Callable[..., str] | None = None


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
    """Per child: Σ stations × the staffing standard where they are − station workers in post.
    Stations are counted per city (or per child, below a city) so that a city's own standard
    applies to its stations (orgs.selectors.staffing_standard_resolve)."""
    from shegong.accounts.models import Membership, Role
    from shegong.orgs.models import Kind, Organisation
    from shegong.orgs.selectors import staffing_standard_resolve, staffing_standards_all

    low, high, child_len = _span(parent, children)
    group_len = max(child_len, PREFIX_LENGTH[2])
    stations = Organisation.objects.unscoped(reason=CHILD_COUNTS).filter(
        kind=Kind.SOCIAL_WORK_STATION, is_active=True
    )
    standards = staffing_standards_all()
    required: dict[str, float] = {c.prefix: 0.0 for c in children}
    for group, n in count_by_child(stations, "region_id", low, high, group_len).items():
        standard = staffing_standard_resolve(RegionCode.from_prefix(group), standards=standards)
        if standard is not None and group[:child_len] in required:
            required[group[:child_len]] += n * standard.workers_per_station
    workers = Membership.objects.unscoped(reason=CHILD_COUNTS).filter(
        is_active=True, role=Role.STATION_WORKER, organisation__kind=Kind.SOCIAL_WORK_STATION
    )
    staffed = count_by_child(workers, "organisation__region_id", low, high, child_len)
    # The register of social workers (careers' "station_workers" counter: in-post worker
    # profiles at stations) is the source where it has rows; the station accounts elsewhere.
    register = next((c for c in registry.region_counters if c.key == "station_workers"), None)
    if register is not None:
        staffed.update({k: n for k, n in register.count(low, high, child_len).items() if n})
    return {c.code: max(required[c.prefix] - staffed.get(c.prefix, 0), 0) for c in children}


def _shortfall_source(parent, children) -> str:
    """The source line with the standards that apply to these children and their documents."""
    from shegong.orgs.selectors import staffing_standard_resolve, staffing_standards_all
    from shegong.regions.selectors import region_names

    standards = staffing_standards_all()
    used = []
    for child in children:
        standard = staffing_standard_resolve(child.code, standards=standards)
        if standard is not None and standard not in used:
            used.append(standard)
    # below a province whose cities set their own standards, name those too
    for standard in standards.values():
        if (
            standard.region_code
            and standard.region_code.startswith(parent.prefix)
            and standard not in used
        ):
            used.append(standard)
    names = region_names([s.region_code for s in used if s.region_code])
    parts = [
        _("%(where)s每站 %(n)s 名（%(source)s）")
        % {
            "where": names.get(s.region_code, s.region_code) if s.region_code else _("全国默认"),
            "n": s.workers_per_station,
            "source": s.source,
        }
        for s in used
    ]
    text = _("组织与任职台账：每站配备标准减去在岗社工。标准：%(standards)s") % {
        "standards": "；".join(parts) or _("未设定")
    }
    return text[:300]


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
        _("组织与任职台账：每站配备标准（按所在省、市的设定）减去在岗社工"),
        1.0,
        _shortfall,
        _shortfall_source,
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
            if indicator.describe is not None:
                indicator = replace(indicator, source=indicator.describe(parent, children))
            found.append((indicator, values))
    return found

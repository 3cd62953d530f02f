"""Need indicators for allocation plans, from whichever registries exist.

A provider counts something per child region of a parent (`collect(parent, children)` →
`{child code: value}`) or returns None when its data is not available — an app that is not
installed, a model that does not exist yet, a table not migrated, or nothing loaded. Other apps
(residents, cases, petitions) are read only through this registry, so a missing app simply gives
no indicator. Every provider names its source, which the plan page shows next to the figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from shegong.core.scoping import PREFIX_LENGTH, ScopedQuerySet, code_range

CHILD_COUNTS = (
    "Need indicators per child region of the plan's region, inside the planner's "
    "jurisdiction; only counts leave."
)

STAFF_PER_STATION = 3  # 粤民函〔2017〕43号: 150,000 yuan per station per year for 3 social workers


@dataclass
class IndicatorProvider:
    key: str
    label: str
    source: str
    default_weight: float
    collect: Callable[..., dict[str, float] | None]


PROVIDERS: list[IndicatorProvider] = []


def register_indicator(provider: IndicatorProvider) -> None:
    if not any(p.key == provider.key for p in PROVIDERS):
        PROVIDERS.append(provider)


def _table_exists(model) -> bool:
    return model._meta.db_table in connection.introspection.table_names()


def _model(label: str):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if _table_exists(model) else None


def per_child(qs: QuerySet, code_field: str, parent_prefix: str, child_level: int) -> dict:
    """`{child prefix: count}` in one GROUP BY over the code prefix."""
    low, high = code_range(parent_prefix)
    child_len = PREFIX_LENGTH[child_level]
    rows = (
        qs.filter(**{f"{code_field}__gte": low, f"{code_field}__lte": high})
        .annotate(child=Substr(code_field, 1, child_len))
        .values("child")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["child"]: row["n"] for row in rows}


def _scoped_field(qs) -> str:
    field = qs.region_field if isinstance(qs, ScopedQuerySet) else "region_code"
    model_field = qs.model._meta.get_field(field.split("__")[0])
    return f"{field}_id" if model_field.is_relation and "__" not in field else field


def _by_child(counts: dict, children: list) -> dict[str, float]:
    return {c.code: float(counts.get(c.prefix, 0)) for c in children}


def collect_values(parent, children: list) -> list[tuple[IndicatorProvider, dict[str, float]]]:
    """The indicators available for these children, each with its values."""
    found = []
    for provider in PROVIDERS:
        try:
            values = provider.collect(parent, children)
        except Exception:  # noqa: BLE001 - a provider of another app must never break a plan
            values = None
        if values is not None and any(v > 0 for v in values.values()):
            found.append((provider, values))
    return found


# ---- built-in providers ------------------------------------------------------------------------


def _stations(parent, children):
    from shegong.orgs.models import Kind, Organisation

    qs = Organisation.objects.unscoped(reason=CHILD_COUNTS).filter(
        kind=Kind.SOCIAL_WORK_STATION, is_active=True
    )
    return _by_child(per_child(qs, "region_id", parent.prefix, children[0].level), children)


def _shortfall(parent, children):
    from shegong.accounts.models import Membership, Role
    from shegong.orgs.models import Kind

    stations = _stations(parent, children)
    workers = Membership.objects.unscoped(reason=CHILD_COUNTS).filter(
        is_active=True, role=Role.STATION_WORKER, organisation__kind=Kind.SOCIAL_WORK_STATION
    )
    staffed = _by_child(
        per_child(workers, "organisation__region_id", parent.prefix, children[0].level), children
    )
    return {c: max(stations[c] * STAFF_PER_STATION - staffed.get(c, 0), 0) for c in stations}


def _population(parent, children):
    from shegong.funds.models import PopulationFigure

    codes = [c.code for c in children]
    rows = (
        PopulationFigure.objects.unscoped(reason=CHILD_COUNTS)
        .filter(region_code__in=codes)
        .order_by("region_code", "year")
    )
    latest = {r.region_code: float(r.population) for r in rows}
    return latest or None


def _residents(parent, children):
    model = _model("people.Resident")
    if model is None:
        return None
    qs = model._default_manager.all()
    if hasattr(qs, "active"):
        qs = qs.active()
    return _by_child(per_child(qs, _scoped_field(qs), parent.prefix, children[0].level), children)


def _category_links(parent, children, *, low_income: bool):
    link = _model("people.ResidentCategory")
    if link is None:
        return None
    qs = link._default_manager.filter(end_date__isnull=True)
    if low_income:
        from django.db.models import Q

        qs = qs.filter(
            Q(category__name__contains="低保")
            | Q(category__name__contains="特困")
            | Q(category__name__contains="低收入")
            | Q(category__name__contains="边缘")
        )
    else:
        qs = qs.filter(category__cared_for=True)
    return _by_child(per_child(qs, _scoped_field(qs), parent.prefix, children[0].level), children)


def _open_cases(parent, children):
    model = _model("cases.Case")
    if model is None:
        return None
    qs = model._default_manager.all()
    if hasattr(qs, "open"):
        qs = qs.open()
    return _by_child(per_child(qs, _scoped_field(qs), parent.prefix, children[0].level), children)


def _petitions(parent, children):
    total: dict[str, float] | None = None
    for label in ("petitions.Matter", "petitions.Petition", "petitions.Dispute"):
        model = _model(label)
        if model is None:
            continue
        qs = model._default_manager.all()
        counts = _by_child(
            per_child(qs, _scoped_field(qs), parent.prefix, children[0].level), children
        )
        total = {k: (total or {}).get(k, 0) + v for k, v in counts.items()}
    return total


register_indicator(
    IndicatorProvider("stations", "社工站数量", "组织台账：在册乡镇（街道）社工站", 1.0, _stations)
)
register_indicator(
    IndicatorProvider(
        "staffing_shortfall",
        "社工岗位缺口",
        f"组织与任职台账：每站 {STAFF_PER_STATION} 名社工减去在岗社工（粤民函〔2017〕43号标准）",
        1.0,
        _shortfall,
    )
)
register_indicator(
    IndicatorProvider(
        "residents", "在册服务对象", "服务对象台账（people）：在册人数", 1.0, _residents
    )
)
register_indicator(
    IndicatorProvider(
        "cared_for",
        "关爱类别对象",
        "服务对象类别登记：纳入探访关爱的有效类别（人次）",
        1.0,
        lambda p, c: _category_links(p, c, low_income=False),
    )
)
register_indicator(
    IndicatorProvider(
        "low_income",
        "低收入人口",
        "服务对象类别登记：低保、特困、低收入及边缘家庭",
        1.0,
        lambda p, c: _category_links(p, c, low_income=True),
    )
)
register_indicator(
    IndicatorProvider("open_cases", "在办个案", "个案管理（cases）：未结案个案数", 1.0, _open_cases)
)
register_indicator(
    IndicatorProvider(
        "petitions", "信访与矛盾纠纷", "信访与调解台账（petitions）：登记件数", 0.5, _petitions
    )
)
register_indicator(
    IndicatorProvider(
        "population", "常住人口", "人口数据（上传或手工录入，可选）", 0.5, _population
    )
)

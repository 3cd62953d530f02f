"""People's figures for indicators (`core.registry.IndicatorSource`): residents in each target
group at the period's end, visit plans, and the care visits due and made in the period. Each is
one GROUP BY on the first characters of the region code (`core.counting.sum_by_child`)."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from shegong.core.counting import sum_by_child
from shegong.core.registry import IndicatorSource

INDICATOR_FIGURES = (
    "Per child region figures for indicators, inside a subtree the caller checked against the "
    "reader; only counts leave."
)

# Target groups (people.Category codes, migration 0009) offered as `residents_<code>`.
GROUPS = {
    "living_alone": _("独居老人"),
    "empty_nest": _("空巢老人"),
    "left_behind_elderly": _("留守老人"),
    "incapacitated": _("失能老人"),
    "disabled": _("残疾人"),
    "severely_disabled": _("重度残疾人"),
    "left_behind_child": _("留守儿童"),
    "children_in_difficulty": _("困境儿童"),
    "dibao": _("低保家庭"),
    "tekun": _("特困供养人员"),
    "dibao_margin": _("低保边缘家庭"),
}


def _links(end):
    """Category links of active residents in force on `end`."""
    from shegong.people.models import ResidentCategory

    return (
        ResidentCategory.objects.unscoped(reason=INDICATOR_FIGURES)
        .filter(resident_status="active")
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=end))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=end))
    )


def _group(code: str):
    def figures(low, high, child_len, start, end):
        rows = _links(end).filter(category__code=code)
        return sum_by_child(rows, "region_code", low, high, child_len, Count("pk"))

    return figures


def residents_active(low, high, child_len, start, end):
    """Active residents (the register's stock)."""
    from shegong.people.models import Resident

    rows = Resident.objects.unscoped(reason=INDICATOR_FIGURES).filter(status="active")
    return sum_by_child(rows, "region_id", low, high, child_len, Count("pk"))


def residents_cared_for(low, high, child_len, start, end):
    """Active residents in at least one group that the care-visit guidance covers."""
    rows = _links(end).filter(category__cared_for=True)
    return sum_by_child(
        rows, "region_code", low, high, child_len, Count("resident_id", distinct=True)
    )


def visit_plans(low, high, child_len, start, end):
    """Residents with an active visit plan (under visiting care)."""
    from shegong.people.models import VisitPlan

    rows = VisitPlan.objects.unscoped(reason=INDICATOR_FIGURES).filter(is_active=True)
    return sum_by_child(rows, "region_code", low, high, child_len, Count("pk"))


def _visits():
    from shegong.people.models import Visit

    return Visit.objects.unscoped(reason=INDICATOR_FIGURES)


def visits_done(low, high, child_len, start, end):
    rows = _visits().filter(visited_on__range=(start, end))
    return sum_by_child(rows, "region_code", low, high, child_len, Count("pk"))


def residents_visited(low, high, child_len, start, end):
    rows = _visits().filter(visited_on__range=(start, end))
    return sum_by_child(
        rows, "region_code", low, high, child_len, Count("resident_id", distinct=True)
    )


def visits_due(low, high, child_len, start, end):
    """Visits that fell due in the period: the visits made whose due date was in it, and the
    active plans whose next visit is due in it and not yet made (one UNION query)."""
    from django.db.models.functions import Substr

    from shegong.people.models import VisitPlan

    def grouped(rows):
        return (
            rows.filter(region_code__gte=low, region_code__lte=high)
            .annotate(child=Substr("region_code", 1, child_len))
            .values("child")
            .annotate(n=Count("pk"))
            .order_by()
        )

    made = grouped(_visits().filter(due_date__range=(start, end)))
    waiting = grouped(
        VisitPlan.objects.unscoped(reason=INDICATOR_FIGURES).filter(
            is_active=True, next_due_date__range=(start, end)
        )
    )
    found: dict[str, int] = {}
    for row in made.union(waiting, all=True):
        found[row["child"]] = found.get(row["child"], 0) + row["n"]
    return found


def visits_on_time(low, high, child_len, start, end):
    """Visits due in the period that were made by their due date."""
    rows = _visits().filter(due_date__range=(start, end), visited_on__lte=F("due_date"))
    return sum_by_child(rows, "region_code", low, high, child_len, Count("pk"))


SOURCES = [
    IndicatorSource("residents_active", _("在册服务对象"), residents_active, stock=True),
    IndicatorSource("residents_cared_for", _("探访关爱类别对象"), residents_cared_for, stock=True),
    *(
        IndicatorSource(f"residents_{code}", label, _group(code), stock=True)
        for code, label in GROUPS.items()
    ),
    IndicatorSource("visit_plans", _("有效探访计划"), visit_plans, stock=True),
    IndicatorSource("visits_done", _("本期完成探访次数"), visits_done),
    IndicatorSource("residents_visited", _("本期探访到的服务对象"), residents_visited),
    IndicatorSource("visits_due", _("本期应探访次数"), visits_due),
    IndicatorSource("visits_on_time", _("本期按期完成探访次数"), visits_on_time),
]

"""Reads of the reporting app: forms, submissions, the fill grid, and the set-based roll-ups
(aggregates, completeness and timeliness by child region) for any level of the tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from shegong.accounts.models import User
from shegong.core.regioncode import PREFIX_LENGTH, RegionCode
from shegong.core.scoping import code_range, get_visible_or_404, jurisdiction_of
from shegong.orgs.selectors import LEADING_KIND_AT_LEVEL, unit_of
from shegong.reporting import workflow
from shegong.reporting.models import (
    COUNTY_PREFIX,
    ApprovedSum,
    DataElement,
    DataValue,
    ReportForm,
    StatusChange,
    Submission,
)

EXPECTED_UNITS = (
    "How many leading units a subtree has, per child region: the expected reports of a form, "
    "for a subtree the caller checked against the reader's jurisdiction; only counts leave."
)


def form_list(*, fetched_by: User) -> QuerySet[ReportForm]:
    return (
        ReportForm.objects.visible_to(fetched_by)
        .select_related("department")
        .order_by("-is_active", "region_code", "name")
    )


def get_form_for(*, fetched_by: User, pk: int) -> ReportForm:
    return get_visible_or_404(ReportForm.objects.select_related("department"), fetched_by, pk=pk)


def may_define(*, fetched_by: User, form: ReportForm) -> bool:
    """Whether the user may change `form` (its defining department, with `reporting.define`)."""
    from shegong.core.permissions import has_perm
    from shegong.reporting.relations import form_definer

    return has_perm(fetched_by, "reporting.define") and form_definer(form, fetched_by)


def may_create_form(*, fetched_by: User) -> bool:
    """Whether the user may define a form: `reporting.define`, acting for a social work
    department above the township level (a form is filled below its department)."""
    from shegong.core.permissions import has_perm

    unit = unit_of(fetched_by=fetched_by)
    return (
        has_perm(fetched_by, "reporting.define") and unit is not None and bool(filling_levels(unit))
    )


def filling_levels(unit: Any) -> list[int]:
    """The levels that may fill a form defined by `unit`: those below it (a department's)."""
    if unit is None:
        return []
    level = RegionCode(unit.region_id).level
    if unit.kind != LEADING_KIND_AT_LEVEL.get(level):
        return []
    return [lv for lv in range(level + 1, 5)]


def form_has_submissions(*, fetched_by: User, form: ReportForm) -> bool:
    """Whether any unit opened a report of `form` (its elements and rules are fixed from then)."""
    return form.submissions.exists()


def get_element_for(*, fetched_by: User, form: ReportForm, pk: int) -> DataElement:
    """A data element of `form` (a form the caller already read through `get_form_for`)."""
    found = form.elements.filter(pk=pk).first()
    if found is None:
        raise Http404("no such element")
    return found


def get_rule_for(*, fetched_by: User, form: ReportForm, pk: int):
    found = form.rules.filter(pk=pk).select_related("left").first()
    if found is None:
        raise Http404("no such rule")
    return found


def form_elements(*, fetched_by: User, form: ReportForm) -> list[DataElement]:
    return list(form.elements.all())


def form_rules(*, fetched_by: User, form: ReportForm) -> list:
    return list(form.rules.select_related("left"))


def submission_list(
    *,
    fetched_by: User,
    form: ReportForm | None = None,
    period_start: date | None = None,
    status: str = "",
    region_prefix: str = "",
    unit: Any = False,
) -> QuerySet[Submission]:
    rows = Submission.objects.visible_to(fetched_by)
    if unit is not False:
        rows = rows.filter(unit=unit) if unit is not None else rows.none()
    if form is not None:
        rows = rows.filter(form=form)
    if period_start is not None:
        rows = rows.filter(period_start=period_start)
    if status:
        rows = rows.filter(status=status)
    if region_prefix and region_prefix.isdigit():
        rows = rows.in_subtree(region_prefix)
    return rows.select_related("form", "unit", "reviewer").order_by("-period_start", "region_code")


def awaiting_review(*, fetched_by: User, unit: Any) -> QuerySet[Submission]:
    """Submissions the user's unit is to review now."""
    if unit is None:
        return Submission.objects.none()
    return submission_list(fetched_by=fetched_by).filter(
        reviewer=unit, status__in=(workflow.SUBMITTED, workflow.REVIEWING)
    )


def unit_fills(*, form: ReportForm, unit: Any) -> bool:
    """Whether `unit` is one of the form's filling units (a leading unit at its filling level,
    in its subtree)."""
    if unit is None:
        return False
    code = RegionCode(unit.region_id)
    return (
        code.level == form.filling_level
        and unit.kind == LEADING_KIND_AT_LEVEL.get(form.filling_level)
        and unit.region_id.startswith(form.prefix)
    )


def get_submission_for(*, fetched_by: User, pk: int) -> Submission:
    return get_visible_or_404(
        Submission.objects.select_related("form", "unit", "reviewer"), fetched_by, pk=pk
    )


def submission_for_unit(*, fetched_by: User, form: ReportForm, period_start: date):
    """The user's own unit's submission of `form` for a period, if it exists."""
    unit = unit_of(fetched_by=fetched_by)
    if unit is None:
        return None
    return (
        Submission.objects.visible_to(fetched_by)
        .filter(form=form, unit=unit, period_start=period_start)
        .first()
    )


def submission_history(*, fetched_by: User, submission: Submission) -> list[StatusChange]:
    return list(submission.status_changes.select_related("by", "unit"))


@dataclass
class GridRow:
    element: DataElement
    value: Decimal | None
    text: str
    prefilled: Decimal | None

    @property
    def shown(self) -> str:
        if self.element.is_numeric:
            if self.value is None:
                return ""
            return format(self.value.normalize(), "f")
        return self.text


def fill_grid(*, fetched_by: User, submission: Submission) -> list[GridRow]:
    """One row per data element of the submission's form, with its saved (or pre-filled) value."""
    values = {
        v.element_id: v
        for v in DataValue.objects.visible_to(fetched_by).filter(submission=submission)
    }
    rows = []
    for element in submission.form.elements.all():
        v = values.get(element.pk)
        rows.append(
            GridRow(
                element,
                v.value if v else None,
                v.text if v else "",
                v.prefilled if v else None,
            )
        )
    return rows


# ---- roll-ups ----------------------------------------------------------------------------------


def child_length(prefix: str) -> int:
    """The prefix length of the child regions of `prefix` (2 for the nation, 4 for a province…)."""
    for length in (2, 4, 6, 9, 12):
        if length > len(prefix):
            return length
    return 12


def rollup_prefix(*, fetched_by: User, form: ReportForm, prefix: str = "") -> str:
    """The subtree a roll-up may show: inside the reader's jurisdiction and the form's subtree
    (404 outside either)."""
    jurisdiction = jurisdiction_of(fetched_by)
    prefix = prefix if prefix.isdigit() else ""
    for candidate in (jurisdiction.prefix, form.prefix):
        if len(candidate) > len(prefix):
            if not candidate.startswith(prefix):
                raise Http404("outside")
            prefix = candidate
    if not prefix.startswith(jurisdiction.prefix) or not prefix.startswith(form.prefix):
        raise Http404("outside")
    return prefix


@dataclass
class RollupRow:
    prefix: str
    name: str = ""
    expected: int = 0
    received: int = 0
    timely: int = 0
    approved: int = 0
    pending: int = 0
    sums: dict[int, Decimal] = field(default_factory=dict)
    # `(summed?, sum)` per numeric element of the form, in the table's column order.
    cells: list[tuple[bool, Decimal | None]] = field(default_factory=list)

    @property
    def completeness(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return self.timely / self.expected if self.expected else None


@dataclass
class Rollup:
    form: ReportForm
    period_start: date
    prefix: str
    child_len: int
    rows: list[RollupRow]
    total: RollupRow
    elements: list[DataElement]

    @property
    def drillable(self) -> bool:
        return self.child_len < PREFIX_LENGTH[self.form.filling_level]


def expected_by_child(form: ReportForm, prefix: str, child_len: int) -> dict[str, int]:
    """Leading units at the form's filling level in the subtree, per child region (one GROUP BY)."""
    from shegong.orgs.models import Organisation

    low, high = code_range(prefix)
    rows = (
        Organisation.objects.unscoped(reason=EXPECTED_UNITS)
        .filter(
            kind=LEADING_KIND_AT_LEVEL[form.filling_level],
            is_active=True,
            region__level=form.filling_level,
            region_id__gte=low,
            region_id__lte=high,
        )
        .annotate(child=Substr("region_id", 1, child_len))
        .values("child")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["child"]: r["n"] for r in rows}


def completeness(
    *, fetched_by: User, form: ReportForm, period_start: date, prefix: str = ""
) -> Rollup:
    """Expected, received (submitted and not returned), on time and approved reports of one
    period, per child region of `prefix`: two GROUP BY queries, whatever the number of units."""
    return _rollup(fetched_by, form, period_start, prefix, with_sums=False)


def aggregate(
    *,
    fetched_by: User,
    form: ReportForm,
    period_start: date,
    prefix: str = "",
    from_values: bool = False,
) -> Rollup:
    """The sums of each numeric element over the approved reports (approved by at least one
    reviewer, hence locked) per child region of `prefix`, with the completeness figures.
    Reports received but not yet approved are counted (`pending`), not summed.

    Where the children are counties or above (the nation, a province, a city) the sums are read
    from the per-county summary the approval services keep (`ApprovedSum`); below, from the
    values. `from_values` reads the values at every level (the check of the summary)."""
    return _rollup(fetched_by, form, period_start, prefix, with_sums=True, from_values=from_values)


def _approved_sums(fetched_by, form, period_start, low, high, child_len, from_values):
    """`(child, element_id, total)` of the approved values, from the county summary when the
    children are counties or larger regions."""
    if child_len <= COUNTY_PREFIX and not from_values:
        rows = ApprovedSum.objects.visible_to(fetched_by).filter(
            form=form, period_start=period_start, county_code__gte=low, county_code__lte=high
        )
        field = "county_code"
    else:
        rows = DataValue.objects.visible_to(fetched_by).filter(
            form=form,
            period_start=period_start,
            approved=True,
            region_code__gte=low,
            region_code__lte=high,
        )
        field = "region_code"
    return (
        rows.annotate(child=Substr(field, 1, child_len))
        .values("child", "element_id")
        .annotate(total=Sum("total" if field == "county_code" else "value"))
        .order_by()
    )


def _rollup(
    fetched_by, form, period_start, prefix, *, with_sums: bool, from_values: bool = False
) -> Rollup:
    from shegong.regions.selectors import region_names

    prefix = rollup_prefix(fetched_by=fetched_by, form=form, prefix=prefix)
    child_len = min(child_length(prefix), 12)
    low, high = code_range(prefix)
    rows: dict[str, RollupRow] = {}

    def row(child: str) -> RollupRow:
        if child not in rows:
            rows[child] = RollupRow(child)
        return rows[child]

    for child, n in expected_by_child(form, prefix, child_len).items():
        row(child).expected = n
    counts = (
        Submission.objects.visible_to(fetched_by)
        .filter(
            form=form,
            period_start=period_start,
            region_code__gte=low,
            region_code__lte=high,
            status__in=workflow.RECEIVED,
        )
        .annotate(child=Substr("region_code", 1, child_len))
        .values("child")
        .annotate(
            received=Count("pk"),
            timely=Count("pk", filter=Q(on_time=True)),
            approved=Count("pk", filter=Q(status__in=workflow.LOCKED)),
        )
        .order_by()
    )
    for c in counts:
        r = row(c["child"])
        r.received, r.timely, r.approved = c["received"], c["timely"], c["approved"]
        r.pending = r.received - r.approved
    elements = [e for e in form.elements.all() if e.is_numeric]
    if with_sums:
        sums = _approved_sums(fetched_by, form, period_start, low, high, child_len, from_values)
        for s in sums:
            row(s["child"]).sums[s["element_id"]] = s["total"]
    names = region_names([RegionCode.from_prefix(p) for p in rows])
    ordered = []
    for child in sorted(rows):
        r = rows[child]
        r.name = names.get(RegionCode.from_prefix(child), child)
        ordered.append(r)
    total = RollupRow(prefix, names.get(RegionCode.from_prefix(prefix), "") if prefix else "")
    for r in ordered:
        total.expected += r.expected
        total.received += r.received
        total.timely += r.timely
        total.approved += r.approved
        total.pending += r.pending
        for key, value in r.sums.items():
            total.sums[key] = total.sums.get(key, Decimal(0)) + (value or 0)
    if with_sums:
        for r in [*ordered, total]:
            r.cells = [(e.pk in r.sums, r.sums.get(e.pk)) for e in elements]
    return Rollup(form, period_start, prefix, child_len, ordered, total, elements)


def prefill_choices() -> list[tuple[str, str]]:
    """The platform's pre-fill sources as (key, label), for a form's choice box."""
    return sorted(prefill_labels().items(), key=lambda kv: kv[0])


def prefill_labels() -> dict[str, str]:
    from shegong.core.registry import prefill_source_all

    return {key: str(s.label) for key, s in prefill_source_all().items()}

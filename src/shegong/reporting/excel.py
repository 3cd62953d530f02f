"""A report form as an Excel sheet, for units that work offline: one row per data element
(code, name, kind, rule, value). Exported blank or with a submission's values; the same sheet,
filled, is imported by `services.imports.submission_import`."""

from __future__ import annotations

from shegong.reporting.periods import period_label

HEADERS = ("指标代码", "指标名称", "类型", "填报要求", "数值")
COLUMNS = {"code": ("指标代码", "code"), "value": ("数值", "value")}


def _requirement(element) -> str:
    parts = []
    if element.required:
        parts.append("必填")
    if element.min_value is not None:
        parts.append(f"≥{element.min_value.normalize():f}")
    if element.max_value is not None:
        parts.append(f"≤{element.max_value.normalize():f}")
    if element.choice_list:
        parts.append("/".join(element.choice_list))
    return "；".join(parts)


def form_sheet(*, fetched_by, form, submission=None) -> tuple[str, list[tuple]]:
    """`(file name, rows)` of the form's sheet: blank, or with `submission`'s values."""
    from shegong.reporting.selectors import fill_grid

    if submission is not None:
        rows = [
            (
                r.element.code,
                r.element.label,
                r.element.get_kind_display(),
                _requirement(r.element),
                r.shown,
            )
            for r in fill_grid(fetched_by=fetched_by, submission=submission)
        ]
        suffix = f"{submission.unit.name}-{period_label(form.period_type, submission.period_start)}"
    else:
        rows = [
            (e.code, e.label, e.get_kind_display(), _requirement(e), "")
            for e in form.elements.all()
        ]
        suffix = "空表"
    return f"{form.name}-{suffix}.xlsx", rows

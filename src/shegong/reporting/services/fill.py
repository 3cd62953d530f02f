"""Filling a report: open a unit's submission for a period (pre-filled from the platform's own
data), save its values as a draft. Approved figures are locked here, in the one place that
writes values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.regioncode import RegionCode
from shegong.core.registry import prefill_source_all
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import LEADING_KIND_AT_LEVEL, unit_of
from shegong.reporting.models import DataValue, ReportForm, Submission, SubmissionStatus
from shegong.reporting.periods import period_end_of, period_start_of
from shegong.reporting.rules import parse_value
from shegong.reporting.services.summary import approved_sums_refresh
from shegong.workdays.obligations import obligation_set

OWN_VALUES = (
    "A submission's own values, written by the service that already fetched the submission "
    "through the reader's scope."
)


def locked_message(submission: Submission) -> str:
    if submission.locked:
        return _("该报表已审核通过，数据已锁定，不能修改；如需更正，请由审核通过的人重新开放。")
    return _("该报表已上报，正在审核，不能修改；如需更正，请等待审核单位退回。")


def ensure_editable(submission: Submission) -> None:
    if not submission.editable:
        raise ValidationError({"__all__": locked_message(submission)}, code="locked")


def ensure_fills(form: ReportForm, unit: Organisation) -> None:
    """`unit` is a leading unit at the form's filling level inside the form's subtree."""
    code = RegionCode(unit.region_id)
    if (
        not unit.is_active
        or code.level != form.filling_level
        or unit.kind != LEADING_KIND_AT_LEVEL.get(form.filling_level)
        or not unit.region_id.startswith(form.prefix)
    ):
        raise ValidationError({"unit": _("“%(u)s”不是该报表的填报单位。") % {"u": unit.name}})


@transaction.atomic
def submission_open(
    *,
    acting_user: Any,
    form: ReportForm,
    period_start,
    unit: Organisation | None = None,
    today=None,
) -> Submission:
    """The unit's submission of `form` for the period starting `period_start`: the existing one,
    or a new draft whose pre-fillable figures are filled from the platform's own data (people
    confirm or correct them)."""
    unit = unit or unit_of(fetched_by=acting_user)
    if unit is None:
        raise ValidationError({"unit": _("您没有可以填报的单位。")})
    ensure_fills(form, unit)
    if not form.is_active:
        raise ValidationError({"form": _("该报表已停用。")})
    start = period_start_of(form.period_type, period_start)
    end = period_end_of(form.period_type, start)
    today = today or timezone.localdate()
    if end >= today:
        raise ValidationError({"period": _("报告期尚未结束，不能填报。")})
    found = (
        Submission.objects.unscoped(reason=OWN_VALUES)
        .filter(form=form, unit=unit, period_start=start)
        .first()
    )
    if found is not None:
        return found
    submission = Submission(
        form=form,
        unit=unit,
        region_code=unit.region_id,
        period_start=start,
        period_end=end,
        due_days=form.due_days,
        due_rule=form.due_rule,
    )
    obligation_set(submission, "reporting_due")
    submission._history_user = acting_user
    submission.save()
    sources = prefill_source_all()
    prefix = RegionCode(unit.region_id).prefix
    rows = []
    for element in form.elements.exclude(prefill=""):
        source = sources.get(element.prefill)
        if source is None:
            continue
        figure = Decimal(str(source.value(prefix, start, end) or 0))
        rows.append(
            DataValue(
                submission=submission,
                element=element,
                form=form,
                period_start=start,
                region_code=submission.region_code,
                value=figure,
                prefilled=figure,
            )
        )
    DataValue.objects.bulk_create(rows)
    return submission


@transaction.atomic
def submission_values_save(
    *, acting_user: Any, submission: Submission, values: dict[str, Any]
) -> Submission:
    """Save figures typed (or imported) as a draft: `{element code: text or number}`. Only the
    kinds are checked here (a draft may be incomplete); the rules are checked on submitting."""
    submission = (
        Submission.objects.unscoped(reason=OWN_VALUES).select_for_update().get(pk=submission.pk)
    )
    ensure_editable(submission)
    unit = unit_of(fetched_by=acting_user) if acting_user is not None else submission.unit
    if unit is None or unit.pk != submission.unit_id:
        raise ValidationError({"__all__": _("只有填报单位可以修改本单位的报表。")})
    elements = {e.code: e for e in submission.form.elements.all()}
    errors, parsed = {}, {}
    for code, raw in values.items():
        element = elements.get(code)
        if element is None:
            continue
        try:
            parsed[code] = parse_value(element, raw)
        except ValueError as exc:
            errors[code] = _("“%(l)s”：%(r)s") % {"l": element.label, "r": exc}
    if errors:
        raise ValidationError(errors)
    existing = {
        v.element_id: v
        for v in DataValue.objects.unscoped(reason=OWN_VALUES).filter(submission=submission)
    }
    new, changed = [], []
    for code, (number, text) in parsed.items():
        element = elements[code]
        row = existing.get(element.pk)
        if row is None:
            new.append(
                DataValue(
                    submission=submission,
                    element=element,
                    form_id=submission.form_id,
                    period_start=submission.period_start,
                    region_code=submission.region_code,
                    value=number,
                    text=text,
                )
            )
        elif row.value != number or row.text != text:
            row.value, row.text = number, text
            row._history_user = acting_user
            changed.append(row)
    DataValue.objects.bulk_create(new)
    for row in changed:  # few per save; each keeps its history row
        row.save(update_fields=["value", "text"])
    submission._history_user = acting_user
    submission.save(update_fields=["updated_at"])
    if new or changed:
        audit_record(
            action=AuditLog.Action.OTHER,
            actor=acting_user,
            obj=submission,
            region_code=submission.region_code,
            detail={"report_values": len(new) + len(changed)},
        )
    return submission


def current_values(submission: Submission) -> dict[str, tuple]:
    """`{code: (number, text)}` of a submission's saved values."""
    return {
        code: (value, text)
        for code, value, text in DataValue.objects.unscoped(reason=OWN_VALUES)
        .filter(submission=submission)
        .values_list("element__code", "value", "text")
    }


def mark_values(submission: Submission, *, approved: bool) -> None:
    """Copy the submission's approval onto its values (the roll-up reads them alone) and
    recompute its county's summary of approved figures."""
    DataValue.objects.unscoped(reason=OWN_VALUES).filter(submission=submission).update(
        approved=approved
    )
    # The county's summary follows in the same transaction (one DELETE, one INSERT … SELECT).
    approved_sums_refresh(
        form_id=submission.form_id,
        period_start=submission.period_start,
        region_code=submission.region_code,
    )


def submitted_now(submission: Submission, today=None) -> None:
    submission.submitted_at = timezone.now()
    today = today or timezone.localdate()
    submission.on_time = submission.due_date is None or today <= submission.due_date


def unit_missing() -> ValidationError:
    return ValidationError({"unit": _("未找到上级审核单位。")})


SUBMITTED = SubmissionStatus.SUBMITTED

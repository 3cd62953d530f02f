"""Defining a report form: its data elements and its cross-field rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.registry import prefill_source_all
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import LEADING_KIND_AT_LEVEL
from shegong.reporting.models import (
    DataElement,
    DueRule,
    ElementKind,
    Operator,
    PeriodType,
    ReportForm,
    ValidationRule,
)
from shegong.reporting.rules import parse_right


@transaction.atomic
def form_create(
    *,
    acting_user: Any,
    department: Organisation,
    name: str,
    period_type: str = PeriodType.MONTHLY,
    filling_level: int = 4,
    due_days: int = 10,
    due_rule: str = DueRule.CALENDAR,
    description: str = "",
) -> ReportForm:
    """A department defines a report form filled by the leading units `filling_level` of its
    subtree. `acting_user` None: the system (demo, bench)."""
    from shegong.core.regioncode import RegionCode
    from shegong.core.scoping import jurisdiction_of

    if acting_user is not None and not jurisdiction_of(acting_user).contains(department.region_id):
        raise ValidationError({"department": _("该部门不在您的辖区范围内。")})
    if department.kind != LEADING_KIND_AT_LEVEL.get(RegionCode(department.region_id).level):
        raise ValidationError({"department": _("只有社会工作部门可以制定报表。")})
    level = RegionCode(department.region_id).level
    if not (level < filling_level <= 4):
        raise ValidationError({"filling_level": _("填报层级须低于制表部门所在层级。")})
    if due_days < 1 or due_days > 60:
        raise ValidationError({"due_days": _("报送期限须在 1 至 60 天之间。")})
    form = ReportForm(
        name=name,
        department=department,
        region_code=department.region_id,
        period_type=PeriodType(period_type),
        filling_level=filling_level,
        due_days=due_days,
        due_rule=DueRule(due_rule),
        description=description,
    )
    form._history_user = acting_user
    form.full_clean()
    form.save()
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=form,
        region_code=form.region_code,
        detail={"report_form": "create"},
    )
    return form


@transaction.atomic
def element_create(
    *,
    acting_user: Any,
    form: ReportForm,
    code: str,
    label: str,
    kind: str = ElementKind.INTEGER,
    choices: str = "",
    min_value: Decimal | int | None = None,
    max_value: Decimal | int | None = None,
    required: bool = True,
    order: int | None = None,
    prefill: str = "",
) -> DataElement:
    if prefill and prefill not in prefill_source_all():
        raise ValidationError({"prefill": _("未知的预填数据来源：%(k)s") % {"k": prefill}})
    if form.submissions.exists():
        raise ValidationError({"code": _("报表已有填报，不能再增加数据项。")})
    if order is None:
        order = form.elements.count() + 1
    element = DataElement(
        form=form,
        code=code,
        label=label,
        kind=ElementKind(kind),
        choices=choices,
        min_value=min_value,
        max_value=max_value,
        required=required,
        order=order,
        prefill=prefill,
    )
    element._history_user = acting_user
    element.full_clean()
    element.save()
    return element


@transaction.atomic
def rule_create(
    *, acting_user: Any, form: ReportForm, left: str, operator: str, right: str, name: str
) -> ValidationRule:
    """A cross-field rule `left operator sum(right)`; `right` is codes joined by "+"."""
    codes = {e.code: e for e in form.elements.all()}
    if left not in codes:
        raise ValidationError({"left": _("未知的指标代码：%(c)s") % {"c": left}})
    try:
        parts = parse_right(right)
    except ValueError:
        raise ValidationError({"right_codes": _("右项须为以 + 连接的指标代码。")}) from None
    unknown = [p for p in parts if p not in codes]
    if unknown:
        raise ValidationError(
            {"right_codes": _("未知的指标代码：%(c)s") % {"c": "、".join(unknown)}}
        )
    if any(not codes[c].is_numeric for c in [left, *parts]):
        raise ValidationError({"right_codes": _("校验规则只能比较数值型指标。")})
    rule = ValidationRule(
        form=form,
        left=codes[left],
        operator=Operator(operator),
        right_codes="+".join(parts),
        name=name,
    )
    rule._history_user = acting_user
    rule.save()
    return rule

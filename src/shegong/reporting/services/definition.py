"""Defining a report form: its data elements and its cross-field rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.registry import prefill_source_all
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import LEADING_KIND_AT_LEVEL, unit_of
from shegong.reporting.models import (
    DataElement,
    DueRule,
    ElementKind,
    Operator,
    PeriodType,
    ReportForm,
    ValidationRule,
)
from shegong.reporting.relations import form_definer
from shegong.reporting.rules import parse_right

DUE_DAYS_MAX = 60
SETTINGS = ("name", "description", "due_days", "due_rule", "is_active")


def _check_definer(acting_user: Any, form: ReportForm) -> None:
    if acting_user is not None and not form_definer(form, acting_user):
        raise PermissionDenied(_("只有制表部门可以修改本报表。"))


def _check_no_submissions(form: ReportForm, field: str, message: str) -> None:
    if form.submissions.exists():
        raise ValidationError({field: message})


def _audit(acting_user: Any, form: ReportForm, what: str, **detail: Any) -> None:
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=form,
        region_code=form.region_code,
        detail={"report_form": what, **detail},
    )


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
    if acting_user is not None:
        unit = unit_of(fetched_by=acting_user)
        if unit is None or unit.pk != department.pk:
            raise ValidationError({"department": _("只能以本单位名义制定报表。")})
    if department.kind != LEADING_KIND_AT_LEVEL.get(RegionCode(department.region_id).level):
        raise ValidationError({"department": _("只有社会工作部门可以制定报表。")})
    level = RegionCode(department.region_id).level
    if not (level < filling_level <= 4):
        raise ValidationError({"filling_level": _("填报层级须低于制表部门所在层级。")})
    _check_due_days(due_days)
    if period_type not in PeriodType.values:
        raise ValidationError({"period_type": _("未知的报告期：%(v)s") % {"v": period_type}})
    if due_rule not in DueRule.values:
        raise ValidationError({"due_rule": _("未知的期限计算方式：%(v)s") % {"v": due_rule}})
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写报表名称。")})
    form = ReportForm(
        name=name.strip(),
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
    _audit(acting_user, form, "create")
    return form


def _check_due_days(due_days: Any) -> None:
    if not isinstance(due_days, int) or isinstance(due_days, bool):
        raise ValidationError({"due_days": _("报送期限须为整数天。")})
    if due_days < 1 or due_days > DUE_DAYS_MAX:
        raise ValidationError({"due_days": _("报送期限须在 1 至 60 天之间。")})


@transaction.atomic
def form_update(*, acting_user: Any, form: ReportForm, data: dict[str, Any]) -> ReportForm:
    """Change a form's settings (`SETTINGS`: name, description, due days and rule, 启用/停用).
    Its period, filling level and department stay: the submissions depend on them. A new due
    rule applies to the submissions opened from now on (each keeps the rule it was opened with).
    """
    _check_definer(acting_user, form)
    unknown = sorted(set(data) - set(SETTINGS))
    if unknown:
        raise ValidationError({unknown[0]: _("该项不能修改。")})
    if "name" in data:
        if not (data["name"] or "").strip():
            raise ValidationError({"name": _("请填写报表名称。")})
        data = {**data, "name": data["name"].strip()}
    if "due_days" in data:
        _check_due_days(data["due_days"])
    if "due_rule" in data and data["due_rule"] not in DueRule.values:
        raise ValidationError(
            {"due_rule": _("未知的期限计算方式：%(v)s") % {"v": data["due_rule"]}}
        )
    if "is_active" in data and not isinstance(data["is_active"], bool):
        raise ValidationError({"is_active": _("应为 true 或 false。")})
    changed = {k: v for k, v in data.items() if getattr(form, k) != v}
    if not changed:
        return form
    for key, value in changed.items():
        setattr(form, key, value)
    form._history_user = acting_user
    form.full_clean()
    form.save()
    _audit(acting_user, form, "update", fields=sorted(changed))
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
    """A data element of `form`, by its defining department, while nobody has filled it."""
    _check_definer(acting_user, form)
    _check_no_submissions(form, "code", _("报表已有填报，不能再增加数据项。"))
    code = (code or "").strip()
    label = (label or "").strip()
    if not code:
        raise ValidationError({"code": _("请填写指标代码。")})
    if form.elements.filter(code=code).exists():
        raise ValidationError({"code": _("指标代码 %(c)s 已在本报表中使用。") % {"c": code}})
    if not label:
        raise ValidationError({"label": _("请填写指标名称。")})
    if kind not in ElementKind.values:
        raise ValidationError({"kind": _("未知的数据项类型：%(v)s") % {"v": kind}})
    if prefill and prefill not in prefill_source_all():
        raise ValidationError({"prefill": _("未知的预填数据来源：%(k)s") % {"k": prefill}})
    numeric = kind in (ElementKind.INTEGER, ElementKind.DECIMAL, ElementKind.PERCENT)
    if prefill and not numeric:
        raise ValidationError({"prefill": _("只有数值型数据项可以由平台数据预填。")})
    if kind == ElementKind.CHOICE:
        if not [c for c in (choices or "").splitlines() if c.strip()]:
            raise ValidationError({"choices": _("选项型数据项须填写选项，每行一个。")})
    elif (choices or "").strip():
        raise ValidationError({"choices": _("只有选项型数据项可以填写选项。")})
    if not numeric and (min_value is not None or max_value is not None):
        field = "min_value" if min_value is not None else "max_value"
        raise ValidationError({field: _("只有数值型数据项可以设定最小值和最大值。")})
    if min_value is not None and max_value is not None and min_value > max_value:
        raise ValidationError({"max_value": _("最大值不能小于最小值。")})
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
    _audit(acting_user, form, "element_create", code=element.code)
    return element


@transaction.atomic
def element_delete(*, acting_user: Any, element: DataElement) -> None:
    """Remove a data element while the form has no submissions and no rule uses it."""
    form = element.form
    _check_definer(acting_user, form)
    _check_no_submissions(form, "element", _("报表已有填报，不能再删除数据项。"))
    for rule in form.rules.select_related("left"):
        if rule.left_id == element.pk or element.code in parse_right(rule.right_codes):
            raise ValidationError(
                {"element": _("校验规则“%(r)s”用到该数据项，请先删除该规则。") % {"r": rule.name}}
            )
    code = element.code
    element._history_user = acting_user
    element.delete()
    _audit(acting_user, form, "element_delete", code=code)


@transaction.atomic
def rule_create(
    *, acting_user: Any, form: ReportForm, left: str, operator: str, right: str, name: str
) -> ValidationRule:
    """A cross-field rule `left operator sum(right)`; `right` is codes joined by "+"."""
    _check_definer(acting_user, form)
    _check_no_submissions(form, "__all__", _("报表已有填报，不能再增加校验规则。"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写规则名称。")})
    if operator not in Operator.values:
        raise ValidationError({"operator": _("未知的关系：%(v)s") % {"v": operator}})
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
    rule.full_clean()
    rule.save()
    _audit(acting_user, form, "rule_create", rule=rule.pk)
    return rule


@transaction.atomic
def rule_delete(*, acting_user: Any, rule: ValidationRule) -> None:
    """Remove a cross-field rule while the form has no submissions."""
    form = rule.form
    _check_definer(acting_user, form)
    _check_no_submissions(form, "rule", _("报表已有填报，不能再删除校验规则。"))
    pk = rule.pk
    rule._history_user = acting_user
    rule.delete()
    _audit(acting_user, form, "rule_delete", rule=pk)

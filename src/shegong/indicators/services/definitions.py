"""A department's own indicators: validated before saving, owned by its province (or the nation).

Only a department of a province or of the nation defines indicators; the new indicator is read
in that subtree only. Every expression is checked against the sources the modules registered
(`expressions.parse`), and the refusal names the field and the problem."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.indicators import expressions
from shegong.indicators.models import Direction, Factor, Indicator, PeriodType
from shegong.indicators.selectors import source_keys

# The indicator pages' own addresses under /indicators/: an indicator with one of these codes
# could never be opened at /indicators/<code>/.
RESERVED_CODES = frozenset({"new", "pivot", "reports", "subscriptions", "dashboard"})

FIELDS = (
    "code", "name_zh", "name_en", "definition", "basis", "numerator", "denominator", "factor",
    "period_types", "direction", "target", "red", "amber",
)  # fmt: skip


def indicator_validate(data: dict[str, Any]) -> dict[str, Any]:
    """The cleaned definition, or a ValidationError naming each field's problem."""
    errors: dict[str, list] = {}
    known = source_keys()
    clean = dict(data)
    for name in ("numerator", "denominator"):
        text = (data.get(name) or "").strip()
        clean[name] = text
        if name == "denominator" and not text:
            continue
        try:
            expressions.parse(text, known=known)
        except ValidationError as exc:
            errors[name] = exc.error_list
    factor = data.get("factor")
    if factor not in Factor.values:
        errors["factor"] = [
            ValidationError(
                _("系数只能是 1、100 或 10000：%(v)s") % {"v": factor}, code="invalid_choice"
            )
        ]
    periods = data.get("period_types") or []
    if isinstance(periods, str):
        periods = [p for p in periods.split(",") if p]
    wrong = [p for p in periods if p not in PeriodType.values]
    if not periods or wrong:
        errors["period_types"] = [
            ValidationError(
                _("适用期间只能是 month、quarter、year、rolling12：%(v)s")
                % {"v": ", ".join(wrong) or "—"},
                code="invalid_choice",
            )
        ]
    clean["period_types"] = ",".join(p for p in PeriodType.values if p in periods)
    if data.get("direction") not in Direction.values:
        errors["direction"] = [ValidationError(_("请选择方向"), code="invalid_choice")]
    for name in ("target", "red", "amber"):
        value = data.get(name)
        if value in ("", None):
            clean[name] = None
            continue
        try:
            clean[name] = Decimal(str(value))
        except ArithmeticError:
            errors[name] = [ValidationError(_("请填写数字"), code="invalid")]
    code = (data.get("code") or "").strip()
    clean["code"] = code
    if not code or not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
        errors["code"] = [
            ValidationError(_("代码只能由字母、数字、下划线和连字符组成"), code="invalid")
        ]
    elif code in RESERVED_CODES:
        errors["code"] = [
            ValidationError(
                _("该代码是平台页面的地址，不能用作指标代码：%(c)s") % {"c": code},
                code="reserved",
            )
        ]
    elif Indicator.objects.filter(code=code).exists():
        errors["code"] = [
            ValidationError(_("该指标代码已被使用：%(c)s") % {"c": code}, code="unique")
        ]
    for name in ("name_zh", "definition"):
        if not (data.get(name) or "").strip():
            errors[name] = [ValidationError(_("此项为必填项"), code="required")]
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def indicator_create(*, acting_user: Any, **data: Any) -> Indicator:
    """A department's own indicator, owned by its province (or the nation)."""
    jurisdiction = jurisdiction_of(acting_user)
    if not has_perm(acting_user, "indicators.define") or jurisdiction.level not in (0, 1):
        raise ValidationError(_("只有省级或全国的部门可以自定义指标。"), code="level")
    clean = indicator_validate({name: data.get(name) for name in FIELDS})
    indicator = Indicator(
        **{name: clean[name] for name in FIELDS},
        owner_prefix=jurisdiction.prefix,
        is_shipped=False,
        created_by=acting_user,
    )
    indicator.full_clean()
    indicator.save()
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=indicator,
        region_code=jurisdiction.region_code,
        detail={"indicator": indicator.code, "numerator": indicator.numerator},
    )
    return indicator

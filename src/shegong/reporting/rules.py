"""Checking a submission's values against its form: each element's own bounds and kind, then the
cross-field rules (`ValidationRule`: left operator sum(right)). Rules are data read here with a
fixed set of operators — nothing is ever evaluated as an expression.

`check(elements, rules, values)` returns `{element code: message}`; the message names the field
and the rule, so a person sees which figure to correct and why.
"""

from __future__ import annotations

import operator as op
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from shegong.reporting.models import DataElement, ElementKind, Operator, ValidationRule

CODE = re.compile(r"^[A-Za-z0-9_-]+$")
OPERATORS = {
    Operator.LE: op.le,
    Operator.LT: op.lt,
    Operator.GE: op.ge,
    Operator.GT: op.gt,
    Operator.EQ: op.eq,
}


def parse_right(right_codes: str) -> list[str]:
    """`"a + b+c"` → `["a", "b", "c"]`; anything but codes joined by + is refused."""
    parts = [p.strip() for p in (right_codes or "").split("+")]
    if not parts or any(not CODE.match(p) for p in parts):
        raise ValueError(right_codes)
    return parts


def parse_value(element: DataElement, raw) -> tuple[Decimal | None, str]:
    """The typed value of `raw` for `element`: `(number, text)`; ValueError with a reason."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if element.kind == ElementKind.TEXT:
        return None, str(raw).strip()[:500]
    if element.kind == ElementKind.CHOICE:
        text = str(raw).strip()
        if text not in element.choice_list:
            raise ValueError(_("须为以下选项之一：%(c)s") % {"c": "、".join(element.choice_list)})
        return None, text
    try:
        number = Decimal(str(raw).strip().rstrip("%").replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("须填数字")) from None
    if not number.is_finite():
        raise ValueError(_("须填数字"))
    if element.kind == ElementKind.INTEGER and number != number.to_integral_value():
        raise ValueError(_("须填整数"))
    if abs(number) >= Decimal("1e13"):
        raise ValueError(_("数值过大"))
    return number, ""


def _bounds(element: DataElement, number: Decimal) -> str:
    low, high = element.min_value, element.max_value
    if element.kind == ElementKind.PERCENT:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    if low is not None and number < low:
        return _("“%(l)s”不能小于 %(v)s（最小值规则）") % {"l": element.label, "v": _plain(low)}
    if high is not None and number > high:
        return _("“%(l)s”不能大于 %(v)s（最大值规则）") % {"l": element.label, "v": _plain(high)}
    return ""


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def check(
    elements: Iterable[DataElement],
    rules: Iterable[ValidationRule],
    values: Mapping[str, tuple[Decimal | None, str]],
) -> dict[str, str]:
    """Every problem of `values` (`{code: (number, text)}`), by element code."""
    errors: dict[str, str] = {}
    by_code = {e.code: e for e in elements}
    for code, element in by_code.items():
        number, text = values.get(code, (None, ""))
        if number is None and not text:
            if element.required:
                errors[code] = _("“%(l)s”为必填项（必填规则）") % {"l": element.label}
            continue
        if element.is_numeric and number is not None:
            problem = _bounds(element, number)
            if problem:
                errors[code] = problem
    for rule in rules:
        left = by_code.get(rule.left.code) if rule.left_id else None
        if left is None or left.code in errors:
            continue
        try:
            right = parse_right(rule.right_codes)
        except ValueError:
            continue  # refused when the rule is saved; an old bad rule checks nothing
        if any(code not in by_code or code in errors for code in right):
            continue
        left_value = values.get(left.code, (None, ""))[0]
        right_values = [values.get(code, (None, ""))[0] for code in right]
        if left_value is None or any(v is None for v in right_values):
            continue
        total = sum(right_values, Decimal(0))
        if not OPERATORS[Operator(rule.operator)](left_value, total):
            labels = "＋".join(f"“{by_code[c].label}”" for c in right)
            errors[left.code] = _("“%(l)s”（%(v)s）须 %(op)s %(r)s（%(t)s）：违反规则“%(n)s”") % {
                "l": left.label,
                "v": _plain(left_value),
                "op": Operator(rule.operator).label,
                "r": labels,
                "t": _plain(total),
                "n": rule.name,
            }
    return errors

"""Amounts of money: integer fen (分) everywhere, parsed from yuan (元) typed by people."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FEN = 10**15  # ten trillion yuan: far above any real budget, far below BIGINT


def check_fen(value: Any, *, field: str = "amount") -> int:
    """An amount in fen must be a positive whole number (never a float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        else:
            raise ValidationError({field: _("金额必须是以“分”为单位的整数，不能有小数。")})
    if value <= 0:
        raise ValidationError({field: _("金额必须大于零。")})
    if value > MAX_FEN:
        raise ValidationError({field: _("金额超出允许范围。")})
    return value


def parse_yuan(text: Any, *, field: str = "amount") -> int:
    """`"1,234.56"` (yuan) → 123456 fen; refuses negatives and fractions of a fen."""
    raw = str(text).strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError({field: _("请输入金额（元），如 1500.00。")}) from None
    if not value.is_finite():
        raise ValidationError({field: _("请输入金额（元），如 1500.00。")})
    if value <= 0:
        raise ValidationError({field: _("金额必须大于零。")})
    if value * 100 > MAX_FEN:
        raise ValidationError({field: _("金额超出允许范围。")})
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValidationError({field: _("金额最多精确到分（两位小数）。")})
    return int(fen)

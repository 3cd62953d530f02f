"""Pure rules: star levels, hours from check-in/out, volunteer and certificate numbers."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

# 志愿者星级认证（2012）: 1★ 100 h, 2★ 300 h, 3★ 600 h, 4★ 1000 h, 5★ 1500 h.
DEFAULT_STAR_THRESHOLDS = (100, 300, 600, 1000, 1500)


def star_thresholds() -> tuple[Decimal, ...]:
    values = getattr(settings, "SHEGONG_VOLUNTEER_STAR_THRESHOLDS", DEFAULT_STAR_THRESHOLDS)
    return tuple(Decimal(str(v)) for v in values)


def star_level(hours: Decimal | float | int, thresholds: tuple | None = None) -> int:
    """The number of thresholds reached: a volunteer with exactly 100 h has one star."""
    hours = Decimal(str(hours))
    levels = thresholds if thresholds is not None else star_thresholds()
    return sum(1 for t in levels if hours >= Decimal(str(t)))


def hours_between(start: datetime, end: datetime) -> Decimal:
    """Actual service time in hours (two decimals), never negative."""
    seconds = max((end - start).total_seconds(), 0)
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def volunteer_number(region_code: str, sequence: int) -> str:
    """`V` + county code + 8-digit sequence: V44010600000123."""
    return f"V{region_code[:6]}{sequence:08d}"


def certificate_number(region_code: str, year: int, sequence: int) -> str:
    """ZYZM-440106-2026-000001 (志愿证明)."""
    return f"ZYZM-{region_code[:6]}-{year}-{sequence:06d}"

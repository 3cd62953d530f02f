"""Shared by the volunteers services: skills and hours as typed, checked."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.volunteers.models import Skill


def clean_skills(skills) -> list[str]:
    valid = set(Skill.values)
    return [s for s in dict.fromkeys(skills or []) if s in valid]


def decimal_hours(value, field: str = "hours") -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("时长应为数字（小时）。")})
    if hours < 0 or hours > 24:
        raise ValidationError({field: _("单次服务时长应在 0 到 24 小时之间。")})
    return hours

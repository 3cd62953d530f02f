"""Shared by the workforce services: hours as typed, the audit entry, the ID-number checks."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.crypto import blind_indexes
from shegong.core.models import AuditLog
from shegong.core.scoping import jurisdiction_of
from shegong.workforce.models import WorkerProfile

NATIONAL_ID_CHECK = "A worker's ID number is unique across the country (one profile per person)."


def decimal_hours(value: Any, *, field: str = "hours", most: int = 200) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("学时应为数字。")})
    if hours <= 0 or hours > most:
        raise ValidationError({field: _("学时应大于 0 且不超过 %(n)d。") % {"n": most}})
    return hours


def audit(obj, *, acting_user, event: str, **detail) -> None:
    audit_record(
        action=AuditLog.Action.OTHER, actor=acting_user, obj=obj, detail={"event": event, **detail}
    )


def id_taken_message(number: str, *, acting_user, exclude_pk: int | None = None) -> str | None:
    """Why `number` may not be used: registered in the user's jurisdiction (say so), or
    elsewhere (say only that, never where or by whom). None when free."""
    holders = WorkerProfile.objects.unscoped(reason=NATIONAL_ID_CHECK).filter(
        id_number_hash__in=blind_indexes(number)
    )
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    holder = holders.values("region_code").first()
    if holder is None:
        return None
    if jurisdiction_of(acting_user).contains(holder["region_code"]):
        return _("该身份证号码已登记为本辖区的社会工作者。")
    return _("该身份证号码已在其他地区登记，请联系当地社会工作部门核实。")

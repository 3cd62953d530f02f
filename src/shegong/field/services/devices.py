"""Registering and revoking the phones a worker syncs from (现场设备)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.audit import audit_record
from shegong.core.errors import ApplicationError
from shegong.field.models import FieldDevice
from shegong.field.selectors import jurisdiction_code

MAX_ACTIVE_DEVICES = 5


class SyncRefused(ApplicationError):
    """The whole sync is refused (revoked device, inactive account): nothing is stored."""

    status_code = 403


@transaction.atomic
def device_register(
    *, acting_user: User, name: str, user_agent: str = "", request=None
) -> FieldDevice:
    ensure_may_sync(acting_user=acting_user)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写设备名称。")})
    active = FieldDevice.objects.unscoped(reason=OWN_ROWS).filter(
        user=acting_user, revoked_at__isnull=True
    )
    if active.count() >= MAX_ACTIVE_DEVICES:
        raise ValidationError(
            {
                "name": _("最多可登记 %(n)s 台在用设备，请先停用不再使用的设备。")
                % {"n": MAX_ACTIVE_DEVICES}
            }
        )
    device = FieldDevice(
        user=acting_user,
        region_code=jurisdiction_code(fetched_by=acting_user),
        name=name[:60],
        user_agent=(user_agent or "")[:300],
    )
    device.full_clean()
    device.save()
    audit_record(action="field.device_register", actor=acting_user, obj=device, request=request)
    return device


OWN_ROWS = "The acting user's own devices, counted before another is registered."


@transaction.atomic
def device_revoke(*, device: FieldDevice, acting_user: User, request=None) -> FieldDevice:
    """Stop a device: it can sync nothing from now on (its owner or a supervisor; the caller
    fetched it through selectors.get_device_for)."""
    if device.revoked_at is not None:
        raise ValidationError({"device": _("该设备已停用。")})
    device.revoked_at = timezone.now()
    device.revoked_by = acting_user
    device.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        action="field.device_revoke",
        actor=acting_user,
        obj=device,
        detail={"owner": device.user_id},
        request=request,
    )
    return device


def ensure_may_sync(
    *, acting_user: User, device: FieldDevice | None = None, check_device: bool = False
) -> None:
    """Refuse a whole sync from an account no longer active or from a revoked or unknown
    device, with a sentence the worker understands."""
    membership = getattr(acting_user, "active_membership", None)
    if (
        not getattr(acting_user, "is_active", False)
        or membership is None
        or not membership.is_active
    ):
        raise SyncRefused(
            _("您的账号或任职已停用，不能同步；本次提交的记录未保存，请联系管理员。"),
            field="__all__",
            code="account_inactive",
        )
    if not check_device:
        return
    if device is None:
        raise SyncRefused(
            _("未找到该设备，或该设备不属于您；本次提交的记录未保存，请重新登记设备。"),
            field="device_id",
            code="device_unknown",
        )
    if device.revoked_at is not None:
        raise SyncRefused(
            _("该设备已于 %(t)s 停用，不能同步；本次提交的记录未保存。请在新设备上登录。")
            % {"t": timezone.localtime(device.revoked_at).strftime("%Y-%m-%d %H:%M")},
            field="device_id",
            code="device_revoked",
        )

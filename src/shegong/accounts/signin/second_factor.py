"""Two-factor sign-in: a TOTP authenticator (django-otp `otp_totp`) and single-use recovery codes
(`otp_static`).

Who must use it: by default department leaders, system administrators and every role that may
reveal ID numbers (settings `SHEGONG_OTP_REQUIRED_ROLES` / `_PERMISSIONS`, the latter read from
the permissions registry); a national `SecondFactorRule` overrides the default for a role, a
province's rule overrides the national one. A user must use it when any of their active
memberships requires it; superusers and staff (the admin site) always do.
"""

from __future__ import annotations

import secrets
import threading
import time
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.accounts.models import Role, SecondFactorRule, User
from shegong.core.audit import audit_record
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog
from shegong.core.permissions import role_has_perm
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import jurisdiction_of

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"
DEMO_DEVICE = "demo"
RULES_TTL = 60  # seconds a process keeps the rules (a saved rule clears it in that process)

_rules_cache: dict[str, tuple[float, dict[tuple[str, str], bool]]] = {}
_rules_lock = threading.Lock()


def forget_rules() -> None:
    with _rules_lock:
        _rules_cache.clear()


def _rules() -> dict[tuple[str, str], bool]:
    now = time.monotonic()
    with _rules_lock:
        cached = _rules_cache.get("rules")
        if cached is not None and cached[0] > now:
            return cached[1]
    rules = {
        (province, role): required
        for province, role, required in SecondFactorRule.objects.values_list(
            "province_code", "role", "required"
        )
    }
    with _rules_lock:
        _rules_cache["rules"] = (now + RULES_TTL, rules)
    return rules


# ---- selectors ------------------------------------------------------------------------------


def default_requires(role: str) -> bool:
    """The built-in national default for a role."""
    return role in settings.SHEGONG_OTP_REQUIRED_ROLES or any(
        role_has_perm(role, perm) for perm in settings.SHEGONG_OTP_REQUIRED_PERMISSIONS
    )


def role_requires(role: str, region_code: str) -> bool:
    """Whether a membership with `role` in an organisation at `region_code` needs 2FA."""
    rules = _rules()
    for key in ((region_code[:2], role), ("", role)):
        if key in rules:
            return rules[key]
    return default_requires(role)


def requires_second_factor(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    memberships = getattr(user, "memberships_cached", None)
    if memberships is None:
        from shegong.accounts.selectors import active_memberships

        memberships = active_memberships(user.pk)
    return any(role_requires(m.role, m.organisation.region_id) for m in memberships)


def is_verified(user) -> bool:
    """Signed in with a second factor in this session (django-otp's `OTPMiddleware`)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-id").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def policy_rows(*, fetched_by) -> list[dict]:
    """For the policy page: each role's national default, and the rules that change it (every
    rule is shown: they are the country's policy; `may_change` marks those `fetched_by` may
    change)."""
    names = dict(provinces())
    rules = list(SecondFactorRule.objects.all())
    for rule in rules:
        rule.province_name = names.get(rule.province_code, rule.province_code)
        rule.may_change = may_configure(fetched_by, rule.province_code)
    return [
        {
            "role": role,
            "label": label,
            "default": default_requires(role),
            "rules": [r for r in rules if r.role == role],
        }
        for role, label in Role.choices
    ]


def provinces() -> list[tuple[str, str]]:
    """(2-digit code, name) of every province-level division, for the policy page."""
    from shegong.regions.models import Region

    return [
        (code[:2], name)
        for code, name in Region.objects.filter(level=1)
        .order_by("code")
        .values_list("code", "name")
    ]


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an authenticator by hand."""
    raw = b32encode(device.bin_key).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The authenticator's set-up address as an inline SVG QR code (no external service)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def code_for(device: TOTPDevice, *, at: float | None = None) -> tuple[str, int]:
    """The code a device accepts next (its time step after the last one used) and that step:
    what an authenticator shows, for demo accounts and tests."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    step = max(totp.t(), device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}", step


# ---- services -------------------------------------------------------------------------------


def _audit(
    action: str, *, user, request, detail: dict | None = None, actor=None, actor_name: str = ""
) -> None:
    from shegong.accounts.signin.sessions import home_region

    audit_record(
        action=action,
        actor=None if actor_name else (actor or user),
        actor_name=actor_name,
        obj=user,
        region_code=home_region(user),
        detail=detail or {},
        request=request,
    )


@transaction.atomic
def otp_enrolment_start(*, acting_user) -> TOTPDevice:
    """A new (unconfirmed) authenticator for the user, or the one already being set up."""
    pending = (
        TOTPDevice.objects.devices_for_user(acting_user, confirmed=False)
        .filter(name=AUTHENTICATOR)
        .order_by("-id")
        .first()
    )
    return pending or TOTPDevice.objects.create(
        user=acting_user, name=AUTHENTICATOR, confirmed=False
    )


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [
        "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
        for _ in range(settings.SHEGONG_RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def otp_enrolment_confirm(
    *, acting_user, device_id: int, code: str, request=None
) -> tuple[TOTPDevice, list[str]]:
    """The first code from the authenticator confirms it; it replaces any earlier authenticator
    and comes with new recovery codes (shown once). Audited as OTP_ENROL."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(pk=device_id, user=acting_user, confirmed=False)
        .first()
    )
    if device is None:
        raise ApplicationError(_("请重新开始设置验证器。"), field="code")
    if not device.verify_token(_digits(code)):
        raise ApplicationError(
            _("验证码不正确：请输入验证器上当前显示的 6 位数字（并确认手机时间准确）。"),
            field="code",
        )
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(acting_user)
    _audit(AuditLog.Action.OTP_ENROL, user=acting_user, request=request)
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, acting_user, request=None) -> list[str]:
    if authenticator_of(acting_user) is None:
        raise ApplicationError(_("请先设置验证器。"))
    codes = _new_recovery_codes(acting_user)
    _audit(
        AuditLog.Action.OTP_ENROL,
        user=acting_user,
        request=request,
        detail={"recovery_codes": "renewed"},
    )
    return codes


def _digits(code: str) -> str:
    return "".join((code or "").split())


def otp_verify(*, user: User, code: str, request=None):
    """Check a code at sign-in: a 6-digit authenticator code, or a recovery code (used up).
    A wrong code is audited (OTP_FAILED) and counts towards the lockout. Returns the device
    that accepted it, or None."""
    from shegong.accounts.signin.lockout import lockout_record_failure

    code = _digits(code).lower().replace("-", "")
    device = None
    if code:
        with transaction.atomic():
            for candidate in devices_for_user(user, confirmed=True, for_verify=True):
                is_recovery = isinstance(candidate, StaticDevice)
                if is_recovery == code.isdigit():
                    continue
                if candidate.verify_token(code):
                    device = candidate
                    break
    if device is None:
        _audit(AuditLog.Action.OTP_FAILED, user=user, request=request)
        lockout_record_failure(username=user.get_username(), request=request)
        return None
    if isinstance(device, StaticDevice):
        _audit(
            AuditLog.Action.RECOVERY_CODE_USED,
            user=user,
            request=request,
            detail={"left": device.token_set.count()},
        )
    return device


@transaction.atomic
def otp_reset(*, acting_user, user: User, request=None, actor_name: str = "") -> None:
    """An administrator removes a user's authenticator and recovery codes (a lost phone): the
    user enrols again at the next sign-in. Audited as OTP_RESET (`actor_name` names the
    operator of the command line, where there is no acting user)."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).delete()
    _audit(
        AuditLog.Action.OTP_RESET,
        user=user,
        actor=acting_user,
        actor_name=actor_name,
        request=request,
        detail={"user": user.get_username()},
    )


@transaction.atomic
def may_configure(user, province_code: str) -> bool:
    """Whether `user` may set the rule of `province_code` ("" = the national default): a
    rule binds every user of its province, so only an administrator whose jurisdiction covers the
    whole of it may change it (a national one for the national default)."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_national:
        return True
    return bool(province_code) and jurisdiction.prefix == province_code


def _ensure_may_configure(user, province_code: str) -> None:
    if not may_configure(user, province_code):
        raise ApplicationError(
            _(
                "双因素认证规则约束整个省（或全国）的用户，只能由管辖范围覆盖该省（或全国）的管理员设置。"
            ),
            field="province_code",
        )


def second_factor_rule_save(
    *, acting_user, province_code: str, role: str, required: bool, request=None
) -> SecondFactorRule:
    if province_code and not (len(province_code) == 2 and province_code.isdigit()):
        raise ApplicationError(_("请选择一个省级行政区，或留空表示全国。"), field="province_code")
    _ensure_may_configure(acting_user, province_code)
    if role not in Role.values:
        raise ApplicationError(_("请选择角色。"), field="role")
    rule, _created = SecondFactorRule.objects.update_or_create(
        province_code=province_code, role=role, defaults={"required": required}
    )
    audit_record(
        action=AuditLog.Action.PERMISSION_CHANGE,
        actor=acting_user,
        obj=rule,
        region_code=str(RegionCode.from_prefix(province_code)) if province_code else "",
        detail={"second_factor": {"province": province_code, "role": role, "required": required}},
        request=request,
    )
    forget_rules()
    transaction.on_commit(forget_rules)
    return rule


@transaction.atomic
def second_factor_rule_delete(*, acting_user, rule_id: int, request=None) -> None:
    rule = SecondFactorRule.objects.select_for_update().filter(pk=rule_id).first()
    if rule is None:
        raise ApplicationError(_("该规则不存在。"))
    _ensure_may_configure(acting_user, rule.province_code)
    audit_record(
        action=AuditLog.Action.PERMISSION_CHANGE,
        actor=acting_user,
        obj=rule,
        region_code=str(RegionCode.from_prefix(rule.province_code)) if rule.province_code else "",
        detail={
            "second_factor": {"province": rule.province_code, "role": rule.role, "removed": True}
        },
        request=request,
    )
    rule.delete()
    forget_rules()
    transaction.on_commit(forget_rules)


@transaction.atomic
def demo_enrol(*, user: User) -> TOTPDevice:
    """Demo accounts come with an authenticator (`shegong demo_otp <account>` shows its code)."""
    device = authenticator_of(user)
    return device or TOTPDevice.objects.create(user=user, name=DEMO_DEVICE, confirmed=True)

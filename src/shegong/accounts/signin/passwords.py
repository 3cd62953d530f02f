"""Password rules and history. The rules are Django password validators (AUTH_PASSWORD_VALIDATORS),
so every place that sets a password through Django's validation uses them: the change page, the
admin's forms, `createsuperuser` (see `ShegongUserManager.create_superuser`), registration and
the demo. Each message names the rule that failed."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog


class LengthValidator:
    def validate(self, password, user=None):
        minimum = settings.SHEGONG_PASSWORD_MIN_LENGTH
        if len(password) < minimum:
            raise ValidationError(
                _("密码不符合「最短长度」规则：至少需要 %(min)d 个字符。") % {"min": minimum},
                code="password_too_short",
            )

    def get_help_text(self):
        return _("至少 %(min)d 个字符。") % {"min": settings.SHEGONG_PASSWORD_MIN_LENGTH}


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols the password uses."""
    return sum(
        [
            any("A" <= c <= "Z" for c in password),
            any("a" <= c <= "z" for c in password),
            any(c.isdigit() for c in password),
            any(not (c.isascii() and c.isalnum()) for c in password),
        ]
    )


class CharacterClassValidator:
    def validate(self, password, user=None):
        wanted, found = settings.SHEGONG_PASSWORD_MIN_CLASSES, character_classes(password)
        if found < wanted:
            raise ValidationError(
                _(
                    "密码不符合「字符种类」规则：大写字母、小写字母、数字、符号四类中"
                    "至少要有 %(min)d 类，现在只有 %(n)d 类。"
                )
                % {"min": wanted, "n": found},
                code="password_too_few_classes",
            )

    def get_help_text(self):
        return _("大写字母、小写字母、数字、符号中至少 %(min)d 类。") % {
            "min": settings.SHEGONG_PASSWORD_MIN_CLASSES
        }


class NoUsernameValidator:
    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) < 3:
            return
        lowered = password.lower()
        if username in lowered or username[::-1] in lowered:
            raise ValidationError(
                _("密码不符合「不含账号名」规则：不能包含账号名，也不能包含倒写的账号名。"),
                code="password_contains_username",
            )

    def get_help_text(self):
        return _("不能包含账号名（正写或倒写）。")


_SEPARATED_DATE = re.compile(r"(?<!\d)(\d{4}|\d{2})[-/._年](\d{1,2})[-/._月](\d{1,2})(?!\d)")
_DIGITS = re.compile(r"\d{6,}")


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _full_year(year: int, digits: int) -> int:
    if digits == 4:
        return year
    return 1900 + year if year >= 30 else 2000 + year


def contains_date(password: str) -> bool:
    """A calendar date written as 19900101, 900101 or 1990-01-01 (also with / . _ 年月)."""
    for match in _SEPARATED_DATE.finditer(password):
        year, month, day = match.groups()
        full = _full_year(int(year), len(year))
        if 1900 <= full <= 2099 and _is_date(full, int(month), int(day)):
            return True
    for run in _DIGITS.findall(password):
        for i in range(len(run) - 5):
            if i + 8 <= len(run):
                year, month, day = (
                    int(run[i : i + 4]),
                    int(run[i + 4 : i + 6]),
                    int(run[i + 6 : i + 8]),
                )
                if 1900 <= year <= 2099 and _is_date(year, month, day):
                    return True
            year, month, day = int(run[i : i + 2]), int(run[i + 2 : i + 4]), int(run[i + 4 : i + 6])
            if _is_date(_full_year(year, 2), month, day):
                return True
    return False


class NoDateValidator:
    def validate(self, password, user=None):
        if contains_date(password):
            raise ValidationError(
                _(
                    "密码不符合「不含日期」规则：不能包含像 19900101、900101、1990-01-01 这样的日期。"
                ),
                code="password_contains_date",
            )

    def get_help_text(self):
        return _("不能包含日期（如生日）。")


class CommonValidator(CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("密码不符合「非常用密码」规则：这是常见的弱密码。"), code="password_too_common"
            ) from None

    def get_help_text(self):
        return _("不能是常见的弱密码。")


def recent_hashes(user, count: int) -> list[str]:
    from shegong.accounts.models import PasswordHistory

    return list(
        PasswordHistory.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("password", flat=True)[:count]
    )


class HistoryValidator:
    """Not one of the last N passwords (their hashes are kept in `PasswordHistory`)."""

    def validate(self, password, user=None):
        count = settings.SHEGONG_PASSWORD_HISTORY
        if user is None or user.pk is None or count <= 0:
            return
        hashes = recent_hashes(user, count)
        if not hashes and user.password:
            hashes = [user.password]  # set before the history existed
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _("密码不符合「不重复使用」规则：不能与最近 %(n)d 次用过的密码相同。")
                % {"n": count},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        """Called by Django after a user with a new password is saved (any path)."""
        from shegong.accounts.models import PasswordHistory

        if user is None or user.pk is None or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = max(settings.SHEGONG_PASSWORD_HISTORY, 1)
        old = list(
            PasswordHistory.objects.filter(user=user)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[keep:]
        )
        if old:
            PasswordHistory.objects.filter(pk__in=old).delete()

    def get_help_text(self):
        return _("不能与最近 %(n)d 次用过的密码相同。") % {"n": settings.SHEGONG_PASSWORD_HISTORY}


# ---- selectors ------------------------------------------------------------------------------


def password_changed_at(user):
    """When the current password was set (the account's creation if before the history)."""
    from shegong.accounts.models import PasswordHistory

    latest = (
        PasswordHistory.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    return latest or user.date_joined


def password_expired(user) -> bool:
    days = settings.SHEGONG_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.has_usable_password():
        return False
    return password_changed_at(user) <= timezone.now() - timedelta(days=days)


# ---- services -------------------------------------------------------------------------------


@transaction.atomic
def password_change(*, acting_user, old_password: str, new_password: str, request=None) -> None:
    """The signed-in user changes their own password (audited as PASSWORD_CHANGE)."""
    from shegong.accounts.signin.sessions import home_region

    if not acting_user.check_password(old_password or ""):
        raise ApplicationError(_("当前密码不正确。"), field="old_password")
    if new_password == old_password:
        raise ApplicationError(
            _("密码不符合「不重复使用」规则：新密码不能与当前密码相同。"), field="new_password1"
        )
    try:
        validate_password(new_password, acting_user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    acting_user.set_password(new_password)
    acting_user.save(update_fields=["password"])
    audit_record(
        action=AuditLog.Action.PASSWORD_CHANGE,
        actor=acting_user,
        obj=acting_user,
        region_code=home_region(acting_user),
        request=request,
    )

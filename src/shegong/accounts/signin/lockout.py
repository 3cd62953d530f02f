"""Lockout after repeated failed sign-ins, per account name and per client address.

Every failure (a wrong password, or a wrong second-factor code) counts against the name typed
and the client address (`core.audit.client_ip`). The Nth failure within the window locks it for
the cool-down; while locked, sign-in is refused before any password is checked, so a locked
account cannot be probed. Names that no account has are counted and locked alike, so the answer
never tells whether an account exists. A successful sign-in clears its account's count (not its
address's: one valid account must not reset the guessing of others from the same address).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shegong.accounts.models import LockoutCounter, Role, User
from shegong.core.audit import audit_record, client_ip
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog

UNSCOPED_READS = "Sign-in runs before anybody is signed in or any jurisdiction is chosen: lockout counters are keyed by account name and client address, and only whether one is locked leaves here (unlocking is authorised by the caller)."

Kind = LockoutCounter.Kind


@dataclass(frozen=True)
class Lock:
    kind: str
    until: datetime

    @property
    def message(self) -> str:
        until = date_format(timezone.localtime(self.until), "Y-m-d H:i")
        if self.kind == Kind.ADDRESS:
            return _(
                "您所在的网络地址因多次登录失败已被锁定，请于 %(until)s 之后再试，或联系管理员解锁。"
            ) % {"until": until}
        return _("该账号因多次登录失败已被锁定，请于 %(until)s 之后再试，或联系管理员解锁。") % {
            "until": until
        }


def account_key(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def address_key(request) -> str:
    """The client address as a counter key; "" when there is none or it is not an address."""
    value = client_ip(request) or ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def _keys(username: str | None, request) -> list[tuple[str, str, int]]:
    keys = []
    if account_key(username):
        keys.append(
            (Kind.ACCOUNT, account_key(username), settings.SHEGONG_LOCKOUT_ACCOUNT_FAILURES)
        )
    if address_key(request):
        keys.append((Kind.ADDRESS, address_key(request), settings.SHEGONG_LOCKOUT_ADDRESS_FAILURES))
    return keys


# ---- selectors ------------------------------------------------------------------------------


def active_locks(*, username: str | None, request) -> list[Lock]:
    """The locks that stand in the way of this name from this address now (account first)."""
    keys = _keys(username, request)
    if not keys:
        return []
    match = Q()
    for kind, key, _limit in keys:
        match |= Q(kind=kind, key=key)
    rows = LockoutCounter.objects.locked().filter(match).values_list("kind", "locked_until")
    return sorted((Lock(kind, until) for kind, until in rows), key=lambda lock: lock.kind)


def lockout_list(*, fetched_by) -> QuerySet[LockoutCounter]:
    """Locked accounts and addresses the user may unlock: a system administrator all of them, a
    department leader the accounts of the jurisdiction (addresses and names no account has belong
    to no region, so only a national jurisdiction sees them)."""
    locked = LockoutCounter.objects.locked()
    membership = getattr(fetched_by, "active_membership", None)
    if membership is not None and membership.role == Role.SYSADMIN:
        return locked.order_by("kind", "key")
    return locked.visible_to(fetched_by).order_by("kind", "key")


def _home_region_of_name(username: str) -> str:
    from shegong.accounts.signin.sessions import home_region

    user = User.objects.filter(username__iexact=username.strip()).order_by("id").first()
    return home_region(user) if user is not None else ""


# ---- services -------------------------------------------------------------------------------


@transaction.atomic
def lockout_record_failure(*, username: str | None, request) -> list[Lock]:
    """Count one failed sign-in of `username` from the request's address; lock what reaches its
    limit (audited as LOCKOUT once per lock). Returns the locks now in force."""
    now = timezone.now()
    window = timedelta(minutes=settings.SHEGONG_LOCKOUT_WINDOW_MINUTES)
    cooldown = timedelta(minutes=settings.SHEGONG_LOCKOUT_COOLDOWN_MINUTES)
    locks = []
    for kind, key, limit in _keys(username, request):
        counter, _created = LockoutCounter.objects.select_for_update().get_or_create(
            kind=kind, key=key, defaults={"window_started_at": now, "last_failure_at": now}
        )
        if counter.locked_until is not None and counter.locked_until > now:
            locks.append(Lock(kind, counter.locked_until))  # refused while locked, not extended
            continue
        if counter.locked_until is not None or counter.window_started_at <= now - window:
            counter.failures, counter.window_started_at, counter.locked_until = 0, now, None
        counter.failures += 1
        counter.last_failure_at = now
        if kind == Kind.ACCOUNT and not counter.region_code:
            counter.region_code = _home_region_of_name(username or "")
        if counter.failures >= limit:
            counter.locked_until = now + cooldown
            locks.append(Lock(kind, counter.locked_until))
            audit_record(
                action=AuditLog.Action.LOCKOUT,
                actor_name=key if kind == Kind.ACCOUNT else "",
                obj=counter,
                region_code=counter.region_code,
                detail={
                    "kind": kind,
                    "key": key,
                    "failures": counter.failures,
                    "until": counter.locked_until.isoformat(),
                },
                request=request,
            )
        counter.save()
    return sorted(locks, key=lambda lock: lock.kind)


def lockout_clear_account(*, username: str) -> None:
    """A successful sign-in forgets the account's failures (a lock in force stays)."""
    now = timezone.now()
    LockoutCounter.objects.filter(kind=Kind.ACCOUNT, key=account_key(username)).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    ).delete()


def _unlock(counter: LockoutCounter, *, acting_user, actor_name: str, request) -> None:
    detail = {"kind": counter.kind, "key": counter.key, "until": counter.locked_until.isoformat()}
    audit_record(
        action=AuditLog.Action.UNLOCK,
        actor=acting_user,
        actor_name=actor_name,
        obj=counter,
        region_code=counter.region_code,
        detail=detail,
        request=request,
    )
    counter.delete()


@transaction.atomic
def lockout_unlock(*, acting_user, counter_id: int, request=None) -> LockoutCounter:
    """An administrator (or a department leader, for an account of the jurisdiction) unlocks."""
    counter = lockout_list(fetched_by=acting_user).select_for_update().filter(pk=counter_id).first()
    if counter is None:
        raise ApplicationError(_("该锁定不存在、已解除或不在您的管理范围内。"), field="counter")
    _unlock(counter, acting_user=acting_user, actor_name="", request=request)
    return counter


@transaction.atomic
def lockout_unlock_by_key(*, kind: str, key: str, actor_name: str) -> LockoutCounter | None:
    """Unlock from the command line (`shegong unlock`); audited with the operator's name."""
    key = account_key(key) if kind == Kind.ACCOUNT else key.strip()
    counter = LockoutCounter.objects.locked().select_for_update().filter(kind=kind, key=key).first()
    if counter is not None:
        _unlock(counter, acting_user=None, actor_name=actor_name, request=None)
    return counter

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.middleware import SESSION_KEY
from shegong.accounts.models import Membership, PersonalAccessToken, User
from shegong.core.audit import audit_record, client_ip
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog


def membership_switch(*, request, membership_id: int) -> Membership:
    """Make one of the user's own active memberships the active one for this session."""
    user = request.user
    membership = next(
        (m for m in getattr(user, "memberships_cached", []) if m.pk == membership_id), None
    )
    if membership is None:
        raise ApplicationError(_("该任职不存在或已失效。"), field="membership")
    request.session[SESSION_KEY] = membership.pk
    user.active_membership = membership
    audit_record(
        action=AuditLog.Action.SWITCH_MEMBERSHIP,
        actor=user,
        region_code=membership.organisation.region_id,
        detail={"membership": membership.pk},
        request=request,
    )
    return membership


def token_max_days() -> int:
    return int(getattr(settings, "SHEGONG_TOKEN_MAX_DAYS", 90))


@transaction.atomic
def token_create(
    *,
    acting_user: User,
    membership: Membership,
    name: str,
    expires_at: datetime | None = None,
    scope: str = PersonalAccessToken.Scope.READ_WRITE,
    request=None,
) -> tuple[PersonalAccessToken, str]:
    """Create a token bound to one of the user's memberships. The raw token is shown once.

    Every token expires: by default, and at most, SHEGONG_TOKEN_MAX_DAYS from now."""
    if membership.user_id != acting_user.pk or not membership.is_active:
        raise ApplicationError(_("只能为自己的有效任职创建令牌。"), field="membership")
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写令牌名称。"), field="name")
    if scope not in PersonalAccessToken.Scope.values:
        raise ApplicationError(_("请选择令牌的权限范围。"), field="scope")
    now = timezone.now()
    latest = now + timedelta(days=token_max_days())
    if expires_at is None:
        expires_at = latest
    if expires_at <= now:
        raise ApplicationError(_("过期时间必须晚于现在。"), field="expires_at")
    if expires_at > latest:
        raise ApplicationError(
            _("令牌有效期最长 %(n)d 天。") % {"n": token_max_days()}, field="expires_at"
        )
    raw = PersonalAccessToken.new_raw()
    token = PersonalAccessToken.objects.create(
        membership=membership,
        name=name[:100],
        digest=PersonalAccessToken.digest_of(raw),
        hint=raw[:10],
        scope=scope,
        expires_at=expires_at,
    )
    audit_record(
        action=AuditLog.Action.TOKEN_CREATE,
        actor=acting_user,
        obj=token,
        region_code=membership.organisation.region_id,
        detail={"name": token.name, "scope": scope, "expires_at": expires_at.isoformat()},
        request=request,
    )
    return token, raw


@transaction.atomic
def token_revoke(*, acting_user: User, token_id: int, request=None) -> PersonalAccessToken:
    token = (
        PersonalAccessToken.objects.select_for_update()
        .filter(pk=token_id, membership__user=acting_user)
        .select_related("membership__organisation")
        .first()
    )
    if token is None:
        raise ApplicationError(_("令牌不存在。"), field="token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditLog.Action.TOKEN_REVOKE,
            actor=acting_user,
            obj=token,
            region_code=token.membership.organisation.region_id,
            request=request,
        )
    return token


# Token use is audited at most once an hour per token; "last used" is kept to the minute.
TOKEN_USE_AUDIT_EVERY = timedelta(hours=1)
TOKEN_LAST_USED_PRECISION = timedelta(minutes=1)


def token_mark_used(*, token: PersonalAccessToken, request=None) -> None:
    """Record when and from where a token was used, and audit its use once an hour.

    Usually no write at all: the row is updated when the last use is older than a minute or
    came from another address. Whichever request first finds the hourly audit due claims it
    with one conditional UPDATE, so concurrent requests in other processes write one row."""
    now = timezone.now()
    ip = client_ip(request)
    audit_due = now - TOKEN_USE_AUDIT_EVERY
    if token.use_audited_at is None or token.use_audited_at <= audit_due:
        with transaction.atomic():
            claimed = (
                PersonalAccessToken.objects.filter(pk=token.pk)
                .filter(Q(use_audited_at__isnull=True) | Q(use_audited_at__lte=audit_due))
                .update(use_audited_at=now, last_used_at=now, last_used_ip=ip)
            )
            if claimed:
                audit_record(
                    action=AuditLog.Action.TOKEN_USE,
                    actor=token.membership.user,
                    obj=token,
                    region_code=token.membership.organisation.region_id,
                    detail={"name": token.name, "scope": token.scope},
                    request=request,
                )
                return
    stale = token.last_used_at is None or token.last_used_at <= now - TOKEN_LAST_USED_PRECISION
    if stale or token.last_used_ip != ip:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)

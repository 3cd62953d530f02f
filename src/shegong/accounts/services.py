from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.middleware import SESSION_KEY
from shegong.accounts.models import Membership, PersonalAccessToken, User
from shegong.core.audit import audit_record
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


@transaction.atomic
def token_create(
    *,
    user: User,
    membership: Membership,
    name: str,
    expires_at: datetime | None = None,
    request=None,
) -> tuple[PersonalAccessToken, str]:
    """Create a token bound to one of the user's memberships. The raw token is shown once."""
    if membership.user_id != user.pk or not membership.is_active:
        raise ApplicationError(_("只能为自己的有效任职创建令牌。"), field="membership")
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写令牌名称。"), field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError(_("过期时间必须晚于现在。"), field="expires_at")
    raw = PersonalAccessToken.new_raw()
    token = PersonalAccessToken.objects.create(
        membership=membership,
        name=name[:100],
        digest=PersonalAccessToken.digest_of(raw),
        hint=raw[:10],
        expires_at=expires_at,
    )
    audit_record(
        action=AuditLog.Action.TOKEN_CREATE,
        actor=user,
        obj=token,
        region_code=membership.organisation.region_id,
        detail={"name": token.name},
        request=request,
    )
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, token_id: int, request=None) -> PersonalAccessToken:
    token = (
        PersonalAccessToken.objects.select_for_update()
        .filter(pk=token_id, membership__user=user)
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
            actor=user,
            obj=token,
            region_code=token.membership.organisation.region_id,
            request=request,
        )
    return token


def token_mark_used(*, token: PersonalAccessToken) -> None:
    """Record when a token was last used (one UPDATE, no history row)."""
    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())

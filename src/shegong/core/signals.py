"""Logins, failed logins and logouts go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog


def _home_region(user) -> str:
    """The region of the user's first membership, so the audit log is scoped like everything else."""
    membership = (
        user.memberships.filter(is_active=True)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    return membership.organisation.region_id if membership else ""


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit_record(
        action=AuditLog.Action.LOGIN, actor=user, region_code=_home_region(user), request=request
    )


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            action=AuditLog.Action.LOGOUT,
            actor=user,
            region_code=_home_region(user),
            request=request,
        )


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        action=AuditLog.Action.LOGIN_FAILED,
        actor_name=str(credentials.get("username", ""))[:150],
        request=request,
    )

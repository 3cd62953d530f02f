from __future__ import annotations

from django.db.models import QuerySet

from shegong.accounts.models import User
from shegong.core.scoping import get_visible_or_404
from shegong.inbox.models import Notification

RECIPIENTS = (
    "Who is told of an event: the active members of the organisations it concerns (a unit "
    "a matter was routed to, an organisation a case was referred to); only user ids are "
    "read."
)


def notification_list(*, fetched_by: User, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications about records in their active jurisdiction, newest first."""
    qs = Notification.objects.visible_to(fetched_by).filter(recipient=fetched_by)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(*, fetched_by: User) -> int:
    return notification_list(fetched_by=fetched_by, unread=True).count()


def get_notification_for(*, fetched_by: User, pk: int) -> Notification:
    return get_visible_or_404(Notification.objects.filter(recipient=fetched_by), fetched_by, pk=pk)


def members_who_may(organisation_ids, perm: str) -> dict[int, list[int]]:
    """`{organisation id: [user ids]}`: active members whose role holds `perm` (in chunks of
    500 organisations, one query each)."""
    from shegong.accounts.models import Membership
    from shegong.core.permissions import all_permissions

    roles = all_permissions().get(perm, frozenset())
    ids = sorted(set(organisation_ids))
    found: dict[int, list[int]] = {}
    for start in range(0, len(ids), 500):
        rows = (
            Membership.objects.unscoped(reason=RECIPIENTS)
            .filter(organisation_id__in=ids[start : start + 500], is_active=True, role__in=roles)
            .values_list("organisation_id", "user_id")
        )
        for org_id, user_id in rows:
            found.setdefault(org_id, []).append(user_id)
    return found

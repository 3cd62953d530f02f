from __future__ import annotations

from django.db.models import QuerySet

from shegong.accounts.models import User
from shegong.core.scoping import get_visible_or_404
from shegong.inbox.models import Notification


def notification_list(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications about records in their active jurisdiction, newest first."""
    qs = Notification.objects.visible_to(user).filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(*, user: User) -> int:
    return notification_list(user=user, unread=True).count()


def get_notification_for(user: User, pk: int) -> Notification:
    return get_visible_or_404(Notification.objects.filter(recipient=user), user, pk=pk)

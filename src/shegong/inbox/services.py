from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.core import registry
from shegong.inbox import selectors
from shegong.inbox.models import Notification

BATCH = 2000


@transaction.atomic
def notify_due(*, today: date | None = None) -> int:
    """Turn every registered source's reminders for `today` into notifications; a reminder
    already sent (same recipient and key) is not sent again. Returns how many were created."""
    today = today or timezone.localdate()
    before = Notification.objects.count()
    batch: list[Notification] = []
    for source in registry.reminder_sources:
        for r in source(today):
            batch.append(
                Notification(
                    recipient_id=r.recipient_id,
                    region_code=r.region_code,
                    kind=r.kind,
                    params=r.params,
                    url=r.url,
                    key=r.key,
                )
            )
            if len(batch) >= BATCH:
                Notification.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
    if batch:
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
    return Notification.objects.count() - before


def notify(*, recipient_ids, region_code: str, kind: str, params: dict, url: str, key: str) -> int:
    """Notify people now (an assignment, a referral, a review to do); once per recipient and
    key. Returns how many were created."""
    ids = list(dict.fromkeys(i for i in recipient_ids if i))
    if not ids:
        return 0
    before = Notification.objects.filter(key=key, recipient_id__in=ids).count()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=i, region_code=region_code, kind=kind, params=params, url=url, key=key
            )
            for i in ids
        ],
        ignore_conflicts=True,
    )
    return Notification.objects.filter(key=key, recipient_id__in=ids).count() - before


def members_who_may(organisation_id: int, perm: str) -> list[int]:
    """The users with an active membership of the organisation whose role holds `perm`."""
    from shegong.accounts.models import Membership
    from shegong.core.permissions import all_permissions

    roles = all_permissions().get(perm, frozenset())
    return list(
        Membership.objects.filter(
            organisation_id=organisation_id, is_active=True, role__in=roles
        ).values_list("user_id", flat=True)
    )


def notification_open(*, user: User, pk: int) -> Notification:
    """Mark the user's notification read and give it back (its `url` is where to go)."""
    notification = selectors.get_notification_for(user, pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user: User) -> int:
    return selectors.notification_list(user=user, unread=True).update(read_at=timezone.now())

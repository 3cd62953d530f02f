from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.core import registry
from shegong.inbox import selectors
from shegong.inbox.models import Notification
from shegong.inbox.outbound import services as outbound

ALREADY_SENT = (
    "Which of the notifications being sent exist already (one per recipient and key, by "
    "the unique index); only those pairs are read."
)

BATCH = 2000


def _insert(notifications: list[Notification]) -> int:
    """Insert the notifications not sent before (same recipient and key); how many were new.
    The ones already there are found through the unique (recipient, key) index."""
    if not notifications:
        return 0
    keys = {n.key for n in notifications}
    recipients = {n.recipient_id for n in notifications}
    sent = set(
        Notification.objects.unscoped(reason=ALREADY_SENT)
        .filter(key__in=keys, recipient_id__in=recipients)
        .values_list("recipient_id", "key")
    )
    fresh = {(n.recipient_id, n.key): n for n in notifications}
    new = [n for pair, n in fresh.items() if pair not in sent]
    Notification.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent run: no error
    outbound.deliveries_queue(notifications=new)  # the recipients' SMS, WeCom, e-mail
    return len(new)


@transaction.atomic
def notify_due(*, today: date | None = None) -> int:
    """Turn every registered source's reminders for `today` into notifications; a reminder
    already sent (same recipient and key) is not sent again. Returns how many were created."""
    today = today or timezone.localdate()
    created, batch = 0, []
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
                created += _insert(batch)
                batch = []
    return created + _insert(batch)


def notify(*, recipient_ids, region_code: str, kind: str, params: dict, url: str, key: str) -> int:
    """Notify people now (an assignment, a referral, a review to do); once per recipient and
    key. Returns how many were created."""
    return _insert(
        [
            Notification(
                recipient_id=i, region_code=region_code, kind=kind, params=params, url=url, key=key
            )
            for i in dict.fromkeys(i for i in recipient_ids if i)
        ]
    )


def notify_each(*, recipients, kind: str, params: dict, url: str, key: str) -> int:
    """Notify people now, each about the record in their own region: `recipients` is a list of
    `(user id, region code)` (a directive's copies, each in its receiving unit's region). Once
    per recipient and key; set-based (no query per recipient)."""
    notifications = [
        Notification(recipient_id=i, region_code=code, kind=kind, params=params, url=url, key=key)
        for i, code in dict(recipients).items()
        if i
    ]
    created = 0
    for start in range(0, len(notifications), BATCH):
        created += _insert(notifications[start : start + BATCH])
    return created


def notification_open(*, acting_user: User, pk: int) -> Notification:
    """Mark the user's notification read and give it back (its `url` is where to go)."""
    notification = selectors.get_notification_for(fetched_by=acting_user, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, acting_user: User) -> int:
    return selectors.notification_list(fetched_by=acting_user, unread=True).update(
        read_at=timezone.now()
    )

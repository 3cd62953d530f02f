"""Reads of the outbound side: a person's channel choices, and the delivery log (their own, and
an administrator's of their jurisdiction)."""

from __future__ import annotations

from django.db.models import QuerySet

from shegong.accounts.models import User
from shegong.inbox.models import Channel, ChannelPreference, Delivery, Notification

# Without a choice of their own a person gets every notification in the inbox and by e-mail
# (when their account has an address); SMS and WeCom only when they chose them.
DEFAULTS = {Channel.SMS: False, Channel.WECOM: False, Channel.EMAIL: True}

RECIPIENT_ADDRESSES = (
    "Whether the recipients of notifications being sent have a mobile number or an e-mail "
    "address (and their display name for the WeCom text): read to queue their deliveries, "
    "never shown."
)


def chosen_channels(*, user_ids, kinds) -> dict[tuple[int, str], set[str]]:
    """`{(user id, kind): {channel, ...}}` for every pair asked, defaults filled in (one query)."""
    explicit: dict[tuple[int, str, str], bool] = {
        (u, k, c): on
        for u, k, c, on in ChannelPreference.objects.filter(
            user_id__in=set(user_ids), kind__in=set(kinds)
        ).values_list("user_id", "kind", "channel", "enabled")
    }
    return {
        (u, k): {c for c, default in DEFAULTS.items() if explicit.get((u, k, str(c)), default)}
        for u in set(user_ids)
        for k in set(kinds)
    }


def recipient_addresses(*, user_ids) -> dict[int, dict]:
    rows = (
        User.objects.unscoped(reason=RECIPIENT_ADDRESSES)
        .filter(pk__in=set(user_ids), is_active=True)
        .values("pk", "phone", "email", "full_name", "username")
    )
    return {row["pk"]: row for row in rows}


def preferences_of(*, fetched_by: User) -> dict[tuple[str, str], bool]:
    """`{(kind, channel): on}` for the user, every kind and channel, defaults filled in."""
    chosen = chosen_channels(user_ids=[fetched_by.pk], kinds=Notification.Kind.values)
    return {
        (kind, channel): channel in chosen[(fetched_by.pk, kind)]
        for kind in Notification.Kind.values
        for channel in Channel.values
    }


def own_deliveries(*, fetched_by: User) -> QuerySet[Delivery]:
    """The user's own deliveries, newest first (about records in their active jurisdiction, as
    their notifications are)."""
    return Delivery.objects.visible_to(fetched_by).filter(recipient=fetched_by)


def delivery_log(*, fetched_by: User, status: str = "", channel: str = "") -> QuerySet[Delivery]:
    """Every delivery about records in the user's jurisdiction (the administrators' log)."""
    qs = Delivery.objects.visible_to(fetched_by).select_related("recipient")
    if status in Delivery.Status.values:
        qs = qs.filter(status=status)
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    return qs

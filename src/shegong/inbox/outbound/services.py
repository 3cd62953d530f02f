"""Writes of the outbound side: queueing deliveries for new notifications, sending what is due
(retries with exponential backoff, a rate limit per channel, quiet hours), and a person's channel
choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.validation import CN_MOBILE
from shegong.inbox.models import Channel, ChannelPreference, Delivery, Notification
from shegong.inbox.outbound import channels as outbound_channels
from shegong.inbox.outbound import selectors, texts

SWEEP = (
    "The sender's sweep over every jurisdiction's due deliveries (and the rate limit's count of "
    "recent attempts per channel); nothing read here is shown."
)
NEW_NOTIFICATIONS = (
    "The ids of the notifications just inserted (by recipient and key), to link their "
    "deliveries; nothing read here is shown."
)
RATE_WINDOW = timedelta(minutes=1)
BATCH = 200


# ---- quiet hours ---------------------------------------------------------------------------------


def quiet_hours() -> tuple[time, time] | None:
    """(start, end) local times from `SHEGONG_OUTBOUND_QUIET_HOURS` ("22:00-08:00"); None: off."""
    value = (getattr(settings, "SHEGONG_OUTBOUND_QUIET_HOURS", "") or "").strip()
    if not value:
        return None
    start, _sep, end = value.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def in_quiet_hours(now: datetime) -> bool:
    hours = quiet_hours()
    if hours is None:
        return False
    start, end = hours
    t = timezone.localtime(now).time()
    return (start <= t or t < end) if start > end else (start <= t < end)


def quiet_hours_end(now: datetime) -> datetime:
    """The next end of quiet hours after `now`."""
    _start, end = quiet_hours() or (time(0), time(0))
    local = timezone.localtime(now)
    at = timezone.make_aware(datetime.combine(local.date(), end))
    return at if at > local else at + timedelta(days=1)


def is_urgent(kind: str) -> bool:
    return kind in set(getattr(settings, "SHEGONG_OUTBOUND_URGENT_KINDS", ()))


def first_attempt_at(kind: str, now: datetime) -> datetime:
    if in_quiet_hours(now) and not is_urgent(kind):
        return quiet_hours_end(now)
    return now


# ---- queueing --------------------------------------------------------------------------------------


def _has_address(channel: str, person: dict) -> bool:
    if channel == Channel.SMS:
        return bool(CN_MOBILE.match((person["phone"] or "").strip()))
    if channel == Channel.EMAIL:
        return bool((person["email"] or "").strip())
    return True  # a WeCom group robot reaches the group; the mention needs a number, not the post


def deliveries_queue(*, notifications: list[Notification], now: datetime | None = None) -> int:
    """Queue a delivery for each newly inserted notification and each outbound channel its
    recipient chose for its kind (a channel in service, and an address to send to); the sender
    runs once the transaction commits. Set-based: three queries for the whole batch."""
    in_service = outbound_channels.configured()
    if not in_service or not notifications:
        return 0
    now = now or timezone.now()
    recipients = {n.recipient_id for n in notifications}
    chosen = selectors.chosen_channels(user_ids=recipients, kinds={n.kind for n in notifications})
    people = selectors.recipient_addresses(user_ids=recipients)
    wanted = []
    for n in notifications:
        person = people.get(n.recipient_id)
        if person is None:
            continue
        for channel in sorted(chosen.get((n.recipient_id, n.kind), ())):
            if channel in in_service and _has_address(channel, person):
                wanted.append((n, str(channel), person))
    if not wanted:
        return 0
    ids = {
        (recipient, key): pk
        for pk, recipient, key in Notification.objects.unscoped(reason=NEW_NOTIFICATIONS)
        .filter(recipient_id__in=recipients, key__in={n.key for n, _c, _p in wanted})
        .values_list("pk", "recipient_id", "key")
    }
    deliveries = []
    for n, channel, person in wanted:
        pk = ids.get((n.recipient_id, n.key))
        if pk is None:
            continue
        deliveries.append(
            Delivery(
                recipient_id=n.recipient_id,
                notification_id=pk,
                region_code=n.region_code,
                channel=channel,
                kind=n.kind,
                urgent=is_urgent(n.kind),
                text=texts.delivery_text(
                    channel=channel,
                    kind=n.kind,
                    notification_id=pk,
                    recipient_name=person["full_name"] or person["username"],
                ),
                next_attempt_at=first_attempt_at(n.kind, now),
            )
        )
    Delivery.objects.bulk_create(deliveries, batch_size=1000)
    if deliveries:
        transaction.on_commit(_start_sender)
    return len(deliveries)


def _start_sender() -> None:
    from shegong.inbox.tasks import deliver_task

    deliver_task.enqueue()


# ---- sending ----------------------------------------------------------------------------------------


@dataclass
class Sweep:
    sent: int = 0
    failed: int = 0
    given_up: int = 0
    # when to run again: a retry, the end of quiet hours, the next rate-limit window; None: idle
    wake_at: datetime | None = None


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: base, 2×, 4×, … seconds."""
    base = int(getattr(settings, "SHEGONG_OUTBOUND_RETRY_SECONDS", 60))
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def _record(delivery: Delivery, result: outbound_channels.Result, now: datetime) -> str:
    delivery.attempts += 1
    delivery.last_attempt_at = now
    if result.ok:
        delivery.status, delivery.sent_at, delivery.next_attempt_at = (
            Delivery.Status.SENT,
            now,
            None,
        )
        delivery.last_error = ""
        return "sent"
    delivery.last_error = (result.reason or _("发送失败"))[:300]
    limit = int(getattr(settings, "SHEGONG_OUTBOUND_MAX_ATTEMPTS", 5))
    if not result.retry or delivery.attempts >= limit:
        delivery.status, delivery.next_attempt_at = Delivery.Status.GIVEN_UP, None
        return "given_up"
    delivery.status = Delivery.Status.FAILED
    delivery.next_attempt_at = now + backoff(delivery.attempts)
    return "failed"


def deliveries_send_due(*, now: datetime | None = None) -> Sweep:
    """Send every delivery due at `now`, channel by channel, within the channel's rate limit;
    during quiet hours only urgent ones. Each failure is logged on the delivery with its reason
    and retried after an exponential backoff, until `SHEGONG_OUTBOUND_MAX_ATTEMPTS`."""
    now = now or timezone.now()
    sweep = Sweep()
    in_service = outbound_channels.configured()
    pending = Delivery.objects.unscoped(reason=SWEEP).filter(
        status__in=[Delivery.Status.QUEUED, Delivery.Status.FAILED]
    )
    # A channel taken out of service: what waits for it cannot go.
    sweep.given_up += pending.exclude(channel__in=list(in_service)).update(
        status=Delivery.Status.GIVEN_UP,
        next_attempt_at=None,
        last_error=_("渠道未启用"),
    )
    quiet = in_quiet_hours(now)
    due = pending.filter(next_attempt_at__lte=now)
    if quiet:
        due = due.filter(urgent=True)
    held = False
    for name, conf in in_service.items():
        recent = (
            Delivery.objects.unscoped(reason=SWEEP)
            .filter(channel=name, last_attempt_at__gt=now - RATE_WINDOW)
            .count()
        )
        budget = max(conf.per_minute - recent, 0)
        with transaction.atomic():
            batch = list(
                due.filter(channel=name)
                .select_related("recipient")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("next_attempt_at", "id")[: min(budget, BATCH)]
            )
            for delivery in batch:
                outcome = _record(delivery, conf.channel.send(delivery), now)
                setattr(sweep, outcome, getattr(sweep, outcome) + 1)
            Delivery.objects.bulk_update(
                batch,
                [
                    "status",
                    "attempts",
                    "last_attempt_at",
                    "sent_at",
                    "next_attempt_at",
                    "last_error",
                ],
            )
        if len(batch) == min(budget, BATCH) and due.filter(channel=name).exists():
            held = True  # more due than this window allows
    sweep.wake_at = _next_wake(pending, now=now, quiet=quiet, held=held)
    return sweep


def _next_wake(pending, *, now: datetime, quiet: bool, held: bool) -> datetime | None:
    earliest = pending.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    if earliest is None:
        return None
    if held:
        return now + RATE_WINDOW
    if earliest <= now:  # due but held back by quiet hours
        return quiet_hours_end(now) if quiet else now + RATE_WINDOW
    if quiet and earliest < quiet_hours_end(now):
        urgent = pending.filter(urgent=True, next_attempt_at__gt=now).order_by("next_attempt_at")
        first_urgent = urgent.values_list("next_attempt_at", flat=True).first()
        return first_urgent or quiet_hours_end(now)
    return earliest


def sender_book(at: datetime) -> bool:
    """Book the sender to run at `at` unless a run is already waiting to start by then."""
    from shegong.core.schedule import book_once
    from shegong.inbox.tasks import deliver_task

    return book_once(deliver_task, at)


# ---- a person's choices -----------------------------------------------------------------------------


@transaction.atomic
def preferences_save(*, acting_user: User, chosen: set[tuple[str, str]]) -> int:
    """Save the user's channels per kind: `chosen` holds the (kind, channel) pairs ticked, every
    other pair of a channel in service is off. Returns how many choices changed."""
    in_service = set(outbound_channels.configured())
    unknown = {
        pair
        for pair in chosen
        if pair[0] not in Notification.Kind.values or pair[1] not in Channel.values
    }
    if unknown:
        raise ValidationError(_("未知的提醒类型或渠道：%(pairs)s") % {"pairs": sorted(unknown)})
    rows = {(r.kind, r.channel): r for r in ChannelPreference.objects.filter(user=acting_user)}
    changed = 0
    for kind in Notification.Kind.values:
        for channel in Channel.values:
            if channel not in in_service:
                continue
            on = (kind, channel) in chosen
            row = rows.get((kind, channel))
            if row is None:
                if on == selectors.DEFAULTS[channel]:
                    continue
                ChannelPreference.objects.create(
                    user=acting_user, kind=kind, channel=channel, enabled=on
                )
            elif row.enabled != on:
                row.enabled = on
                row.save(update_fields=["enabled", "updated_at"])
            else:
                continue
            changed += 1
    return changed

"""Reminders that escalate as an event's target time nears: at 50 % of the time the workers
with residents not yet reached, at 75 % also the heads of their stations, at 90 % also the
county departments. Each (recipient, threshold) is told once (the inbox's unique key)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from shegong.accounts.models import Membership, Role
from shegong.emergency.models import OPEN, EmergencyEvent, SweepTask
from shegong.orgs.models import Kind as OrgKind

THRESHOLDS = (50, 75, 90)
SWEEP = (
    "The reminder sweep runs as the system over every event being swept; each notification "
    "goes to the worker, station head or county department of the tasks it counts."
)


def thresholds_reached(event: EmergencyEvent, now: datetime) -> list[int]:
    span = (event.due_at - event.starts_at).total_seconds()
    if span <= 0:
        return list(THRESHOLDS)
    share = (now - event.starts_at).total_seconds() / span * 100
    return [t for t in THRESHOLDS if share >= t]


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def sweep_reminders(*, now: datetime | None = None) -> int:
    """Send the reminders due at `now` for every event being swept; how many were new."""
    now = now or timezone.now()
    sent = 0
    events = EmergencyEvent.objects.unscoped(reason=SWEEP).filter(
        status=EmergencyEvent.Status.SWEEPING, starts_at__lte=now
    )
    for event in events:
        reached = thresholds_reached(event, now)
        if reached:
            sent += _remind(event=event, threshold=reached[-1], now=now)
    return sent


def _remind(*, event: EmergencyEvent, threshold: int, now: datetime) -> int:
    from shegong.inbox.models import Notification
    from shegong.inbox.services import notify, notify_each

    open_tasks = SweepTask.objects.unscoped(reason=SWEEP).filter(event=event, outcome__in=OPEN)
    params = {"title": event.title, "due": _when(event.due_at), "share": threshold}
    url_mine = f"/emergency/mine/?event={event.pk}"
    url_board = f"/emergency/{event.pk}/"
    workers = dict(
        open_tasks.filter(worker__isnull=False)
        .order_by()
        .values("worker_id")
        .annotate(code=Min("region_code"))
        .values_list("worker_id", "code")
    )
    sent = notify_each(
        recipients=list(workers.items()),
        kind=Notification.Kind.SWEEP_REMINDER,
        params=params,
        url=url_mine,
        key=f"sweep:{event.pk}:{threshold}:worker",
    )
    if threshold < 75:
        return sent
    by_station = dict(
        open_tasks.filter(station__isnull=False)
        .order_by()
        .values("station_id")
        .annotate(n=Count("id"))
        .values_list("station_id", "n")
    )
    heads = (
        Membership.objects.unscoped(reason=SWEEP)
        .filter(organisation_id__in=by_station, is_active=True)
        .filter(Q(role=Role.SUPERVISOR) | Q(title__contains="站长"))
        .values_list("organisation_id", "user_id", "organisation__region_id", "organisation__name")
    )
    for station_id, user_id, code, name in heads:
        sent += notify(
            recipient_ids=[user_id],
            region_code=code,
            kind=Notification.Kind.SWEEP_ESCALATED,
            params={**params, "unit": name, "n": by_station[station_id]},
            url=url_board,
            key=f"sweep:{event.pk}:{threshold}:station:{station_id}",
        )
    if threshold < 90:
        return sent
    by_county = {}
    for code, n in (
        open_tasks.order_by()
        .values("region_code")
        .annotate(n=Count("id"))
        .values_list("region_code", "n")
    ):
        by_county[code[:6]] = by_county.get(code[:6], 0) + n
    departments = (
        Membership.objects.unscoped(reason=SWEEP)
        .filter(
            organisation__region_id__in=[c.ljust(12, "0") for c in by_county],
            organisation__kind=OrgKind.SOCIAL_WORK_DEPARTMENT,
            is_active=True,
            role__in=(Role.DEPT_LEADER, Role.DEPT_STAFF),
        )
        .values_list("user_id", "organisation__region_id", "organisation__name")
    )
    for user_id, code, name in departments:
        sent += notify(
            recipient_ids=[user_id],
            region_code=code,
            kind=Notification.Kind.SWEEP_ESCALATED,
            params={**params, "unit": name, "n": by_county[code[:6]]},
            url=url_board,
            key=f"sweep:{event.pk}:{threshold}:county:{code[:6]}",
        )
    return sent


__all__ = ["sweep_reminders", "thresholds_reached"]

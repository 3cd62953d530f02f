"""Declaring an event and creating its sweep tasks (set-based), starting the sweep (workers
told, volunteers mobilised through the volunteers app) and closing it
(emergency.workflow.EVENT)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import Membership, Role
from shegong.core.permissions import has_perm
from shegong.core.regioncode import PREFIX_LENGTH, code_range
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.emergency.models import EmergencyEvent, EventArea, Outcome, SweepTask
from shegong.orgs.models import Kind as OrgKind
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import unit_of
from shegong.people.models import Category, ResidentCategory, ResidentStatus, VisitPlan
from shegong.regions.models import Level, Region

Status = EmergencyEvent.Status
MAX_HOURS = 168  # a week: a sweep is a matter of hours or days
MAX_AREAS = 200

TARGETS = (
    "The target residents of a sweep the declarer was authorised for: every area region was "
    "checked inside the declarer's jurisdiction, and the read is limited to those ranges."
)
STATIONS = (
    "The township stations and their staff inside the declared area (checked inside the "
    "declarer's jurisdiction): who a task falls to when the resident has no worker."
)


def _history_user(acting_user: Any):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def area_prefix(region: Region) -> str:
    return region.code[: PREFIX_LENGTH[region.level]]


def _check_declarer(acting_user: Any) -> Organisation:
    if not has_perm(acting_user, "emergency.declare"):
        raise PermissionDenied("emergency.declare")
    unit = unit_of(fetched_by=acting_user)
    if unit is None or unit.region.level > Level.COUNTY:
        raise ValidationError({"__all__": _("应急排查由县级及以上社会工作部门发布。")})
    return unit


@transaction.atomic
def event_declare(
    *,
    acting_user: Any,
    kind: str,
    title: str,
    areas: Iterable[Region],
    categories: Iterable[Category],
    starts_at: datetime | None = None,
    target_hours: int = 24,
    note: str = "",
    volunteer_capacity: int = 0,
) -> EmergencyEvent:
    """A county or higher department declares an event over a set of regions inside its
    jurisdiction, for the chosen target groups; one sweep task per target resident is made
    at once (set-based)."""
    unit = _check_declarer(acting_user)
    if kind not in EmergencyEvent.Kind.values:
        raise ValidationError({"kind": _("请选择事件类型。")})
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写事件名称。")})
    regions = list(dict.fromkeys(areas))
    if not regions:
        raise ValidationError({"areas": _("请至少选择一个排查区划。")})
    if len(regions) > MAX_AREAS:
        raise ValidationError({"areas": _("排查区划最多 %(n)s 个。") % {"n": MAX_AREAS}})
    for region in regions:
        ensure_in_jurisdiction(acting_user, region.code, field="areas")
    groups = list(dict.fromkeys(categories))
    if not groups:
        raise ValidationError({"categories": _("请至少选择一个排查对象类别。")})
    if not 1 <= int(target_hours) <= MAX_HOURS:
        raise ValidationError(
            {"target_hours": _("排查时限应在 1 至 %(n)s 小时之间。") % {"n": MAX_HOURS}}
        )
    if volunteer_capacity < 0 or volunteer_capacity > 500:
        raise ValidationError({"volunteer_capacity": _("动员志愿者人数应在 0 至 500 之间。")})
    starts_at = starts_at or timezone.now()
    event = EmergencyEvent(
        kind=kind,
        title=title.strip()[:200],
        declarer=unit,
        region_code=unit.region_id,
        starts_at=starts_at,
        target_hours=int(target_hours),
        due_at=starts_at + timedelta(hours=int(target_hours)),
        note=(note or "").strip(),
        volunteer_capacity=volunteer_capacity,
        declared_by=_history_user(acting_user),
    )
    event._history_user = _history_user(acting_user)
    event.save()
    event.categories.set(groups)
    # Nested areas (a township and one of its villages) would count residents twice: keep the
    # widest.
    prefixes = sorted({area_prefix(r): r for r in regions}.items())
    kept: list[tuple[str, Region]] = []
    for prefix, region in prefixes:
        if not any(prefix.startswith(p) for p, _r in kept):
            kept.append((prefix, region))
    EventArea.objects.bulk_create(
        [
            EventArea(
                event=event,
                region=region,
                region_code=region.code,
                low=code_range(prefix)[0],
                high=code_range(prefix)[1],
            )
            for prefix, region in kept
        ]
    )
    event.task_count = tasks_create(event=event, prefixes=[p for p, _r in kept], groups=groups)
    event.save(update_fields=["task_count"])
    return event


def _targets(*, event: EmergencyEvent, prefixes: list[str], groups: list[Category]):
    """The target residents as rows (resident, village, responsible worker): active members of
    any chosen group living in any area range, each once. The worker is the resident's active
    visit plan's worker, else the resident's assigned worker."""
    in_area = Q()
    for prefix in prefixes:
        low, high = code_range(prefix)
        in_area |= Q(region_code__gte=low, region_code__lte=high)
    plan_worker = VisitPlan.objects.unscoped(reason=TARGETS).filter(
        resident_id=OuterRef("resident_id"), is_active=True
    )
    return (
        ResidentCategory.objects.unscoped(reason=TARGETS)
        .filter(in_area, category__in=groups, resident_status=ResidentStatus.ACTIVE)
        .annotate(
            t_resident=F("resident_id"),
            t_region=F("region_code"),
            t_worker=Coalesce(
                Subquery(plan_worker.values("worker_id")[:1]),
                F("resident__assigned_worker_id"),
                output_field=BigIntegerField(),
            ),
        )
        .values("t_resident", "t_region", "t_worker")
        .distinct()
    )


def tasks_create(*, event: EmergencyEvent, prefixes: list[str], groups: list[Category]) -> int:
    """INSERT … SELECT: one statement makes every task, whatever the number of residents; then
    each township's station is set on its tasks, and a task with no worker falls to the
    station's first worker (one UPDATE per 300 townships, not per resident)."""
    select_sql, params = _targets(
        event=event, prefixes=prefixes, groups=groups
    ).query.sql_with_params()
    table = SweepTask._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            # The table name is the model's; the SELECT is Django's, with its parameters.
            f"INSERT INTO {table} (event_id, resident_id, region_code, worker_id, outcome, rank, "  # noqa: S608
            "need_category, need_text, reason, attempts) "
            f"SELECT %s, t.t_resident, t.t_region, t.t_worker, %s, 0, '', '', '', 0 "
            f"FROM ({select_sql}) t",
            (event.pk, Outcome.PENDING.value, *params),
        )
        created = cursor.rowcount
    _assign_stations(event=event, prefixes=prefixes)
    return created


def _assign_stations(*, event: EmergencyEvent, prefixes: list[str]) -> None:
    in_area = Q()
    for prefix in prefixes:
        # A station sits in a township: the township of a village area, or any township below.
        township = prefix[: PREFIX_LENGTH[Level.TOWNSHIP]]
        low, high = code_range(township if len(prefix) > len(township) else prefix)
        in_area |= Q(region_id__gte=low, region_id__lte=high)
    stations = list(
        Organisation.objects.unscoped(reason=STATIONS)
        .filter(in_area, kind=OrgKind.SOCIAL_WORK_STATION, is_active=True)
        .order_by("region_id", "id")
        .values_list("id", "region_id")
    )
    first_worker: dict[int, int] = {}
    for org_id, user_id in (
        Membership.objects.unscoped(reason=STATIONS)
        .filter(
            organisation_id__in=[s for s, _c in stations],
            is_active=True,
            role=Role.STATION_WORKER,
        )
        .order_by("-id")
        .values_list("organisation_id", "user_id")
    ):
        first_worker[org_id] = user_id  # ordered newest first: the oldest membership stays
    # Each township's station (the first one found) and that station's first worker, then one
    # UPDATE … FROM a VALUES list per 300 townships: set-based, whatever the number of tasks.
    per_township: dict[str, tuple[int, int | None]] = {}
    for station_id, code in stations:
        township = code[: PREFIX_LENGTH[Level.TOWNSHIP]]
        if township in per_township or code[len(township) :].strip("0"):  # a site below
            continue
        per_township[township] = (station_id, first_worker.get(station_id))
    rows = list(per_township.items())
    table = SweepTask._meta.db_table
    width = PREFIX_LENGTH[Level.TOWNSHIP]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 300):
            chunk = rows[start : start + 300]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            params: list[Any] = []
            for township, (station_id, worker_id) in chunk:
                params += [township, station_id, worker_id]
            cursor.execute(
                # The table and column names are the model's; every value is a parameter.
                f"UPDATE {table} SET station_id = CAST(m.column2 AS BIGINT), "  # noqa: S608
                "worker_id = COALESCE(worker_id, CAST(m.column3 AS BIGINT)) "
                f"FROM (VALUES {values}) AS m "
                f"WHERE {table}.event_id = %s AND substr({table}.region_code, 1, {width}) = "
                "CAST(m.column1 AS VARCHAR(12))",
                [*params, event.pk],
            )


SWEEP_NOTICE = (
    "The workers given tasks of an event the caller declared (fetched through scoping): each "
    "is told once, in the region of one of their tasks."
)


@transaction.atomic
def event_start(*, event: EmergencyEvent, acting_user: Any) -> EmergencyEvent:
    """开始排查: the workers are told (inbox), and volunteers of the area are mobilised through
    an activity with shifts (volunteers app), when the event asks for them."""
    from shegong.inbox.models import Notification
    from shegong.inbox.services import notify_each

    _check_declarer(acting_user)
    _check_status(event, Status.DECLARED)
    if event.volunteer_capacity and event.volunteer_activity_id is None:
        event.volunteer_activity = volunteers_mobilise(event=event, acting_user=acting_user)
    event.status = Status.SWEEPING
    event._history_user = _history_user(acting_user)
    event._change_reason = _("开始排查")
    event.save(update_fields=["status", "volunteer_activity"])
    workers = dict(
        SweepTask.objects.unscoped(reason=SWEEP_NOTICE)
        .filter(event=event, worker__isnull=False)
        .order_by()
        .values_list("worker_id", "region_code")
        .distinct()
    )
    due = timezone.localtime(event.due_at).strftime("%Y-%m-%d %H:%M")
    transaction.on_commit(
        lambda: notify_each(
            recipients=list(workers.items()),
            kind=Notification.Kind.SWEEP_ASSIGNED,
            params={"title": event.title, "due": due},
            url=f"/emergency/mine/?event={event.pk}",
            key=f"sweep:{event.pk}:assigned",
        )
    )
    return event


def volunteers_mobilise(*, event: EmergencyEvent, acting_user: Any):
    """One published activity of the declaring unit in the area (its common region), with
    shifts of up to eight hours covering the sweep window, each for `volunteer_capacity`."""
    from shegong.volunteers.models import ServiceType
    from shegong.volunteers.services import activity_create

    codes = list(event.areas.values_list("region_code", flat=True))
    levels = dict(Region.objects.filter(code__in=codes).values_list("code", "level"))
    prefixes = [c[: PREFIX_LENGTH[levels[c]]] for c in codes]
    common = prefixes[0]
    for p in prefixes[1:]:
        while not p.startswith(common):
            common = common[: max(x for x in PREFIX_LENGTH.values() if x < len(common))]
    region = Region.objects.get(code=common.ljust(12, "0"))
    start = max(event.starts_at, timezone.now())
    end = max(event.due_at, start + timedelta(hours=1))
    shifts, at = [], start
    while at < end and len(shifts) < 21:
        until = min(at + timedelta(hours=8), end)
        shifts.append({"starts_at": at, "ends_at": until, "capacity": event.volunteer_capacity})
        at = until
    return activity_create(
        acting_user=acting_user,
        organisation=event.declarer,
        data={
            "title": _("应急排查志愿服务：%(t)s") % {"t": event.title},
            "description": _("协助社工联系、走访受影响的独居老人等重点人员，协助转移安置。"),
            "service_type": ServiceType.EMERGENCY,
            "beneficiaries": ", ".join(c.name for c in event.categories.all()),
            "region": region,
            "starts_at": start,
            "ends_at": end,
        },
        shifts=shifts,
        publish=True,
    )


@transaction.atomic
def event_close(*, event: EmergencyEvent, acting_user: Any, summary: str = "") -> EmergencyEvent:
    _check_declarer(acting_user)
    _check_status(event, Status.DECLARED, Status.SWEEPING)
    event.status = Status.CLOSED
    event.summary = (summary or "").strip()
    event.closed_at = timezone.now()
    event._history_user = _history_user(acting_user)
    event._change_reason = _("结束排查")
    event.save(update_fields=["status", "summary", "closed_at"])
    return event


def _check_status(event: EmergencyEvent, *allowed: str) -> None:
    if event.status not in allowed:
        raise ValidationError(
            {
                "__all__": _("事件当前为“%(s)s”，不能进行此操作。")
                % {"s": event.get_status_display()}
            }
        )

"""Emergency sweeps (应急排查): an event declared by a county-or-higher department over a set of
regions, and one sweep task per target resident in the area, with the outcome of reaching them.

Every task carries the 12-digit code of the resident's village (`region_code`), so the board's
roll-ups by village and township are one GROUP BY on the task table, and scoping is the one
range filter. An event is seen by a user whose jurisdiction overlaps its area (the county that
declared it, the city above, the township stations inside it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.scoping import NOWHERE, ScopedQuerySet, jurisdiction_of, scoped_manager


class EventQuerySet(ScopedQuerySet):
    """Events whose area overlaps a subtree: an area region inside it (a county sees its
    events), or the subtree inside an area region (a township station sees the county's event
    over the whole county)."""

    region_field = "region_code"

    def in_subtree(self, prefix: str):
        if prefix == "":
            return self
        from shegong.core.regioncode import CODE_LENGTH, code_range

        low, high = code_range(prefix)
        inside = prefix.ljust(CODE_LENGTH, "0")
        return self.filter(
            Q(areas__region_code__gte=low, areas__region_code__lte=high)
            | Q(areas__low__lte=inside, areas__high__gte=inside)
        ).distinct()

    def visible_to(self, user):
        jurisdiction = jurisdiction_of(user)
        if jurisdiction is NOWHERE:
            return self.none()
        return self.in_subtree(jurisdiction.prefix)


class EmergencyEvent(models.Model):
    """An emergency event (应急事件) and its sweep."""

    class Kind(models.TextChoices):
        TYPHOON = "typhoon", _("台风")
        FLOOD = "flood", _("洪涝")
        COLD_WAVE = "cold_wave", _("寒潮")
        HEAT = "heat", _("高温")
        EARTHQUAKE = "earthquake", _("地震")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DECLARED = "declared", _("已发布")
        SWEEPING = "sweeping", _("排查中")
        CLOSED = "closed", _("已结束")

    kind = models.CharField(_("事件类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("事件名称"), max_length=200)
    declarer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("发布单位"),
        on_delete=models.PROTECT,
        related_name="emergency_events",
    )
    region_code = models.CharField(_("发布单位区划代码"), max_length=12, db_index=True)
    starts_at = models.DateTimeField(_("开始时间"))
    target_hours = models.PositiveSmallIntegerField(_("排查时限（小时）"), default=24)
    due_at = models.DateTimeField(_("应全部联系到的时间"))
    categories = models.ManyToManyField(
        "people.Category", verbose_name=_("排查对象类别"), related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DECLARED, db_index=True
    )
    note = models.TextField(_("说明"), blank=True)
    summary = models.TextField(_("排查总结"), blank=True)
    volunteer_activity = models.ForeignKey(
        "volunteers.Activity",
        verbose_name=_("志愿者动员活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    volunteer_capacity = models.PositiveSmallIntegerField(
        _("动员志愿者人数（每班）"), default=0, help_text=_("0 表示不动员志愿者")
    )
    task_count = models.PositiveIntegerField(_("排查对象数"), default=0)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["task_count"])

    class Meta:
        verbose_name = _("应急事件")
        verbose_name_plural = pgettext_lazy("plural", "应急事件")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("emergency:board", args=[self.pk])


class EventArea(models.Model):
    """One region of an event's area (村、乡镇或整个县): its code and the range of codes below."""

    event = models.ForeignKey(
        EmergencyEvent, on_delete=models.CASCADE, related_name="areas", verbose_name=_("应急事件")
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    low = models.CharField(_("代码下限"), max_length=12)
    high = models.CharField(_("代码上限"), max_length=12)

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("排查范围")
        verbose_name_plural = pgettext_lazy("plural", "排查范围")
        constraints = [
            models.UniqueConstraint(fields=["event", "region_code"], name="event_area_unique")
        ]

    def __str__(self) -> str:
        return self.region_code


class Outcome(models.TextChoices):
    PENDING = "pending", _("待排查")
    SAFE = "reached_safe", _("已联系·安全")
    NEEDS_HELP = "reached_needs_help", _("已联系·需帮助")
    NOT_REACHED = "not_reached", _("未联系上")


REACHED = (Outcome.SAFE, Outcome.NEEDS_HELP)
OPEN = (Outcome.PENDING, Outcome.NOT_REACHED)  # not yet reached
RANK = {Outcome.PENDING: 0, Outcome.NOT_REACHED: 1, Outcome.NEEDS_HELP: 2, Outcome.SAFE: 3}


class NeedCategory(models.TextChoices):
    NONE = "", _("—")
    RELOCATION = "relocation", _("转移安置")
    SUPPLIES = "supplies", _("生活物资")
    MEDICAL = "medical", _("医疗救助")
    HOUSING = "housing", _("房屋抢修")
    CARE = "care", _("生活照料")
    OTHER = "other", _("其他")


class SweepTask(models.Model):
    """One resident to reach in a sweep (排查任务), assigned to the responsible worker."""

    event = models.ForeignKey(
        EmergencyEvent, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("应急事件")
    )
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.CASCADE,
        related_name="sweep_tasks",
        verbose_name=_("服务对象"),
        db_index=False,  # served by sweep_resident (resident, event)
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sweep_tasks",
        db_index=False,  # served by sweep_worker (worker, event, outcome)
    )
    station = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("社工站"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    outcome = models.CharField(
        _("排查结果"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    # The board's order (not yet reached first): 0 pending, 1 not reached, 2 needs help, 3 safe;
    # with (event, rank, region_code) a page of the list is an index range, not a sort.
    rank = models.PositiveSmallIntegerField(_("排序"), default=0)
    need_category = models.CharField(
        _("需求类别"), max_length=12, choices=NeedCategory.choices, blank=True, default=""
    )
    need_text = models.CharField(_("需求说明"), max_length=500, blank=True)
    reason = models.CharField(_("未联系上原因"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    assistance = models.ForeignKey(
        "people.Assistance",
        verbose_name=_("帮扶记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("排查任务")
        verbose_name_plural = pgettext_lazy("plural", "排查任务")
        indexes = [
            models.Index(fields=["event", "region_code", "outcome"], name="sweep_event_region"),
            models.Index(fields=["event", "rank", "region_code"], name="sweep_event_rank"),
            models.Index(fields=["worker", "event", "outcome"], name="sweep_worker"),
            models.Index(fields=["resident", "event"], name="sweep_resident"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "resident"], name="sweep_task_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.resident_id}"

    def get_absolute_url(self) -> str:
        return reverse("emergency:task", args=[self.pk])


class SweepOutcome(models.Model):
    """Each outcome recorded on a task, in order (append-only): the resident's sweep history,
    and the idempotency key of an offline client (`client_id`: sent twice, stored once)."""

    task = models.ForeignKey(
        SweepTask, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("排查任务")
    )
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.CASCADE,
        related_name="sweep_outcomes",
        verbose_name=_("服务对象"),
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    outcome = models.CharField(_("排查结果"), max_length=20, choices=Outcome.choices)
    need_category = models.CharField(
        _("需求类别"), max_length=12, choices=NeedCategory.choices, blank=True, default=""
    )
    need_text = models.CharField(_("需求说明"), max_length=500, blank=True)
    reason = models.CharField(_("未联系上原因"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    client_id = models.CharField(_("客户端编号"), max_length=64, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"))
    assistance = models.ForeignKey(
        "people.Assistance",
        verbose_name=_("帮扶记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("排查记录")
        verbose_name_plural = pgettext_lazy("plural", "排查记录")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_id"],
                condition=Q(client_id__isnull=False),
                name="sweep_outcome_client_id",
            )
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()

"""The field app's records (外勤): the phones a worker registered, every record a phone sent,
the conflicts a sync found, and the visits that did not reach the resident.

Each row carries the 12-digit code of the region it belongs to (`region_code`): a device and a
submission sit where their worker works, a conflict and a failed visit where the resident lives;
supervisors read them through `visible_to` like every other regional row."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shegong.core.scoping import scoped_manager


class FieldDevice(models.Model):
    """A phone or browser a user registered for offline work (现场设备)."""

    id = models.UUIDField(_("设备编号"), primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("使用人"),
        on_delete=models.CASCADE,
        related_name="field_devices",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)
    name = models.CharField(_("设备名称"), max_length=60)
    user_agent = models.CharField(_("浏览器标识"), max_length=300, blank=True)
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    last_sync_at = models.DateTimeField(_("最近同步时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("停用人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("现场设备")
        verbose_name_plural = pgettext_lazy("plural", "现场设备")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SubmissionKind(models.TextChoices):
    VISIT = "visit", _("探访记录")
    FINDING = "finding", _("现场发现")
    NOT_REACHED = "not_reached", _("探访未遇")
    SWEEP_OUTCOME = "sweep_outcome", _("应急排查结果")  # handled by emergency (field_sync.py)


class SubmissionStatus(models.TextChoices):
    STORED = "stored", _("已保存")
    DUPLICATE = "duplicate", _("重复发送")
    CONFLICT = "conflict", _("已保存，有冲突")
    REJECTED = "rejected", _("未保存")


class FieldSubmission(models.Model):
    """One record a phone sent (外勤提交), kept by the id the phone made: a second send of the
    same id finds this row and stores nothing new."""

    client_id = models.UUIDField(_("客户端编号"), unique=True)
    device = models.ForeignKey(
        FieldDevice,
        verbose_name=_("现场设备"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="field_submissions",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    kind = models.CharField(_("类型"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=SubmissionStatus.choices)
    recorded_at = models.DateTimeField(_("现场记录时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    server_id = models.CharField(_("保存的记录"), max_length=40, blank=True)
    url = models.CharField(_("记录地址"), max_length=200, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    errors = models.JSONField(_("错误"), default=dict, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    accuracy = models.FloatField(_("定位精度（米）"), null=True, blank=True)

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("外勤提交")
        verbose_name_plural = pgettext_lazy("plural", "外勤提交")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["user", "received_at"], name="field_submission_user"),
        ]

    def __str__(self) -> str:
        return str(self.client_id)

    @property
    def kind_label(self) -> str:
        """The kind's name (a kind another app registered shows as sent)."""
        return (
            str(SubmissionKind(self.kind).label)
            if self.kind in SubmissionKind.values
            else self.kind
        )


class ConflictReason(models.TextChoices):
    PLAN_REASSIGNED = "plan_reassigned", _("探访计划已改派他人")
    RESIDENT_CHANGED = "resident_changed", _("服务对象信息在下载路线后已修改")


class FieldConflict(models.Model):
    """A record kept although the server changed while the worker was offline (同步冲突): shown
    to the worker and to their supervisor until someone acknowledges it."""

    submission = models.OneToOneField(
        FieldSubmission,
        verbose_name=_("外勤提交"),
        on_delete=models.CASCADE,
        related_name="conflict",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)
    reason = models.CharField(_("冲突原因"), max_length=20, choices=ConflictReason.choices)
    detail = models.CharField(_("详情"), max_length=300, blank=True)
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("服务对象"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_note = models.CharField(_("处理说明"), max_length=300, blank=True)

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("同步冲突")
        verbose_name_plural = pgettext_lazy("plural", "同步冲突")
        ordering = ["resolved_at", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.submission.client_id}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class NotReachedReason(models.TextChoices):
    NOBODY_HOME = "nobody_home", _("家中无人")
    REFUSED = "refused", _("拒绝探访")
    HOSPITAL = "hospital", _("住院")
    AWAY = "away", _("外出/走亲访友")
    MOVED = "moved", _("已搬离")
    NO_ACCESS = "no_access", _("道路不通/无法到达")
    OTHER = "other", _("其他")


class VisitAttempt(models.Model):
    """A visit that did not reach the resident (探访未遇): kept with its reason; the visit stays
    due, so the plan does not move."""

    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("服务对象"),
        on_delete=models.CASCADE,
        related_name="visit_attempts",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    attempted_on = models.DateField(_("探访日期"))
    reason = models.CharField(_("未遇原因"), max_length=20, choices=NotReachedReason.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    attempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("探访未遇")
        verbose_name_plural = pgettext_lazy("plural", "探访未遇")
        ordering = ["-attempted_on", "-id"]
        indexes = [
            models.Index(fields=["region_code", "attempted_on"], name="attempt_region_date"),
            models.Index(fields=["resident", "attempted_on"], name="attempt_resident_date"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.attempted_on}"

"""Directives and tasks (督查督办) and inspections (调研/督导检查).

A directive is issued by a unit to a set of receiving units; each receiving unit has its own
copy (`DirectiveTarget`), which it acknowledges (签收), may cascade to its own subordinates
(转发/分解: child targets with `parent` set), reports progress on and submits for completion;
the unit that sent the copy accepts (办结) or returns (退回) it. Copies are scoped by
`region_code` (the receiving unit's region): a province sees its own copy and every copy in its
subtree, never a sibling's. An inspection's rectification items (整改) are targets of a
directive of category 整改, so they use the same machinery (docs/decisions/directives-0001).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.attachments import AttachedFile
from shegong.core.scoping import NOWHERE, ScopedQuerySet, code_range, jurisdiction_of
from shegong.workdays.models import DayRule


class DirectiveQuerySet(ScopedQuerySet):
    """A directive is visible where it was issued, and wherever one of its copies is."""

    region_field = "issuer_region_code"

    def in_subtree(self, prefix: str) -> DirectiveQuerySet:
        if prefix == "":
            return self
        low, high = code_range(prefix)
        copies = DirectiveTarget.objects.in_subtree(prefix).filter(directive_id=OuterRef("pk"))
        return self.filter(
            Q(issuer_region_code__gte=low, issuer_region_code__lte=high) | Q(Exists(copies))
        )

    def visible_to(self, user) -> DirectiveQuerySet:
        jurisdiction = jurisdiction_of(user)
        if jurisdiction is NOWHERE:
            return self.none()
        return self.in_subtree(jurisdiction.prefix)


class Directive(models.Model):
    class Category(models.TextChoices):
        NOTICE = "notice", _("通知")
        DEPLOYMENT = "deployment", _("部署")
        TASK = "task", _("任务")
        RECTIFICATION = "rectification", _("整改")

    class Priority(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")

    class Cadence(models.TextChoices):
        NONE = "", _("不要求定期报告")
        WEEKLY = "weekly", _("每周")
        MONTHLY = "monthly", _("每月")

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        CLOSED = "closed", _("已归档")

    issuer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("发文单位"),
        on_delete=models.PROTECT,
        related_name="directives_issued",
    )
    issuer_region_code = models.CharField(_("发文单位区划"), max_length=12, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    category = models.CharField(
        _("类别"), max_length=16, choices=Category.choices, default=Category.TASK
    )
    priority = models.CharField(
        _("紧急程度"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    issued_on = models.DateField(_("下发日期"))
    due_days = models.PositiveIntegerField(_("办理期限（天）"))
    due_rule = models.CharField(
        _("期限计算"), max_length=16, choices=DayRule.choices, default=DayRule.WORKING
    )
    due_date = models.DateField(_("办结期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    ack_days = models.PositiveSmallIntegerField(_("签收时限（工作日）"), default=3)
    cadence = models.CharField(
        _("进展报告周期"), max_length=8, choices=Cadence.choices, blank=True, default=""
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    rollup = models.JSONField(_("归档时汇总"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = DirectiveQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = pgettext_lazy("plural", "督办事项")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("directives:detail", args=[self.pk])


class TargetQuerySet(ScopedQuerySet):
    region_field = "region_code"


class DirectiveTarget(models.Model):
    """One receiving unit's copy of a directive (承办单位)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("待签收")
        ACKNOWLEDGED = "acknowledged", _("已签收")
        IN_PROGRESS = "in_progress", _("办理中")
        SUBMITTED = "submitted", _("待审核办结")
        COMPLETED = "completed", _("已办结")
        RETURNED = "returned", _("已退回")

    directive = models.ForeignKey(
        Directive, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="targets"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级转发件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="directive_targets",
    )
    sender = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("交办单位"),
        on_delete=models.PROTECT,
        related_name="directive_targets_sent",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    level = models.PositiveSmallIntegerField(_("区划层级"))
    depth = models.PositiveSmallIntegerField(_("转发层次"), default=0)
    instructions = models.TextField(_("本级要求"), blank=True)
    title = models.CharField(_("事项名称"), max_length=200, blank=True)
    received_on = models.DateField(_("收到日期"))
    ack_days = models.PositiveSmallIntegerField(_("签收时限（工作日）"), default=3)
    ack_due = models.DateField(_("签收期限"), null=True, blank=True)
    ack_due_provisional = models.BooleanField(_("签收期限暂定"), default=False)
    due_from = models.DateField(_("期限起算日"), null=True, blank=True)
    due_days = models.PositiveIntegerField(_("办理期限（天）"), null=True, blank=True)
    due_rule = models.CharField(
        _("期限计算"), max_length=16, choices=DayRule.choices, default=DayRule.WORKING
    )
    due_date = models.DateField(_("办结期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    overdue = models.BooleanField(_("已逾期"), default=False)
    escalated_on = models.DateField(_("逾期督办日期"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("最近催办"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交办结时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承办件")
        verbose_name_plural = pgettext_lazy("plural", "承办件")
        ordering = ["region_code", "id"]
        indexes = [
            models.Index(fields=["directive", "region_code"], name="dirtarget_dir_region"),
            models.Index(fields=["unit", "status"], name="dirtarget_unit_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="dirtarget_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.directive_id}:{self.unit_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("directives:target", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title or self.directive.title

    OPEN = (
        Status.RECEIVED,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.SUBMITTED,
        Status.RETURNED,
    )


class ProgressReport(models.Model):
    """A progress or completion report on one copy (进展报告 / 办结报告)."""

    target = models.ForeignKey(
        DirectiveTarget,
        verbose_name=_("承办件"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    text = models.TextField(_("内容"))
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    is_completion = models.BooleanField(_("办结报告"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    objects = ScopedQuerySet.for_region_field("region_code").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = pgettext_lazy("plural", "进展报告")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return self.text[:50]


class Attachment(AttachedFile):
    """A file attached to a directive (by its issuer) or to a report (by the reporting unit)."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="attachments"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("进展报告"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    file = models.FileField(_("文件"), upload_to="directives/%Y/%m/")

    objects = ScopedQuerySet.for_region_field("region_code").as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("plural", "附件")


class Event(models.Model):
    """One line of a directive's timeline: an issue, a status change of a copy, a reminder."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("下发")
        ACKNOWLEDGED = "acknowledged", _("签收")
        CASCADED = "cascaded", _("转发")
        PROGRESS = "progress", _("进展报告")
        SUBMITTED = "submitted", _("提交办结")
        ACCEPTED = "accepted", _("办结")
        RETURNED = "returned", _("退回")
        REMINDED = "reminded", _("催办")
        OVERDUE = "overdue", _("逾期督办")
        CLOSED = "closed", _("归档")

    directive = models.ForeignKey(
        Directive, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="events"
    )
    target = models.ForeignKey(
        DirectiveTarget,
        verbose_name=_("承办件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_name = models.CharField(_("单位"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ScopedQuerySet.for_region_field("region_code").as_manager()

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = pgettext_lazy("plural", "督办记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class Inspection(models.Model):
    """An inspection or research visit (调研/督导检查) and what it found."""

    class Kind(models.TextChoices):
        RESEARCH = "research", _("调研")
        INSPECTION = "inspection", _("督导检查")

    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("检查单位"),
        on_delete=models.PROTECT,
        related_name="inspections_made",
    )
    department_region_code = models.CharField(_("检查单位区划"), max_length=12, db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.INSPECTION)
    region_code = models.CharField(_("检查地点区划"), max_length=12, db_index=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("被检查单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections_received",
    )
    inspectors = models.CharField(_("检查人员"), max_length=300)
    visited_on = models.DateField(_("检查日期"))
    findings = models.TextField(_("发现的问题"))
    directive = models.OneToOneField(
        Directive,
        verbose_name=_("整改督办"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.for_region_field("department_region_code").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调研督导检查")
        verbose_name_plural = pgettext_lazy("plural", "调研督导检查")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("directives:inspection", args=[self.pk])

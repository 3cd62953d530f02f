"""Social-work cases (个案): the case, its status changes, service plan, records, reviews and
referrals. A case belongs to one organisation; its `region_code` is that organisation's region, so
it leaves the sender's jurisdiction lists when a referral is accepted elsewhere."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.cases.workflow import (
    OPEN_STATUSES,
    ReferralStatus,
    ReviewDecision,
    ReviewKind,
    Source,
    Status,
)
from shegong.core.fields import EncryptedTextField
from shegong.core.scoping import ScopedQuerySet


def case_number(opened_on, pk) -> str:
    """A case's number (个案编号): GA + year opened + the key, six digits."""
    return f"GA{opened_on:%Y}{pk or 0:06d}"


class CaseQuerySet(ScopedQuerySet):
    region_field = "region_code"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Case(models.Model):
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("服务对象"),
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("承办机构"),
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.INTAKE
    )
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    source_visit = models.ForeignKey(
        "people.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("来源探访"),
    )
    title = models.CharField(_("个案名称"), max_length=100)
    # Case notes are encrypted at rest (core.fields); they are read with the case.
    problem = EncryptedTextField(_("主要问题"), blank=True)
    assessment_note = EncryptedTextField(_("需求评估"), blank=True)
    plan_summary = models.TextField(_("服务计划概述"), blank=True)
    evaluation_note = EncryptedTextField(_("成效评估"), blank=True)
    closure_reason = models.CharField(_("结案原因"), max_length=200, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任社工"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_cases",
    )
    opened_on = models.DateField(_("接案日期"), default=date.today)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("个案")
        verbose_name_plural = pgettext_lazy("plural", "个案")
        indexes = [
            models.Index(fields=["region_code", "status"], name="case_region_status"),
            models.Index(fields=["organisation", "status"], name="case_org_status"),
            models.Index(fields=["worker", "status"], name="case_worker_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def number(self) -> str:
        return case_number(self.opened_on, self.pk)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class CaseTransition(models.Model):
    """One change of status: who, when, from, to, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("个案状态变更")
        verbose_name_plural = pgettext_lazy("plural", "个案状态变更")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Goal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("服务目标"), max_length=200)
    achieved = models.BooleanField(_("已达成"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务目标")
        verbose_name_plural = pgettext_lazy("plural", "服务目标")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True)
    title = models.CharField(_("任务"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="case_tasks",
    )
    due_date = models.DateField(_("截止日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务任务")
        verbose_name_plural = pgettext_lazy("plural", "服务任务")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "done_on", "due_date"], name="task_owner_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_date < date.today()


class ServiceRecord(models.Model):
    class Kind(models.TextChoices):
        COUNSELLING = "counselling", _("心理疏导")
        HOME = "home", _("入户服务")
        RESOURCE = "resource", _("资源链接")
        GOODS = "goods", _("物资发放")
        ADVOCACY = "advocacy", _("政策协助")
        GROUP = "group", _("小组/社区活动")
        OTHER = "other", _("其他")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    served_on = models.DateField(_("服务日期"))
    kind = models.CharField(_("服务类型"), max_length=20, choices=Kind.choices)
    duration_minutes = models.PositiveIntegerField(_("时长（分钟）"), default=60)
    content = models.TextField(_("服务内容"))
    goods = models.CharField(_("提供的服务或物资"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = pgettext_lazy("plural", "服务记录")
        ordering = ["-served_on", "-id"]

    def __str__(self) -> str:
        return f"{self.served_on} {self.get_kind_display()}"


class Review(models.Model):
    """The supervisor's review of a plan or a closure (督导审核)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("审核事项"), max_length=10, choices=ReviewKind.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="case_reviews",
    )
    due_date = models.DateField(_("审核截止日期"))
    decision = models.CharField(
        _("结果"), max_length=10, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    comment = models.CharField(_("意见"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督导审核")
        verbose_name_plural = pgettext_lazy("plural", "督导审核")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["reviewer", "decision", "due_date"], name="review_reviewer_due")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_decision_display()}"

    @property
    def is_overdue(self) -> bool:
        return self.decision == ReviewDecision.PENDING and self.due_date < date.today()


class Referral(models.Model):
    """A referral to another organisation (转介); the case follows an acceptance."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("转出机构"),
    )
    to_organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("接收机构"),
    )
    reason = models.TextField(_("转介原因"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    response_reason = models.CharField(_("答复说明"), max_length=300, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("转介时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("转介")
        verbose_name_plural = pgettext_lazy("plural", "转介")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["to_organisation", "status"], name="referral_to_status")]

    def __str__(self) -> str:
        return (
            f"{self.from_organisation_id} → {self.to_organisation_id} {self.get_status_display()}"
        )

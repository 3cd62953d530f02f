"""Periodic statistical reporting (报表): report forms, their data elements and cross-field
rules, each unit's submission for a period and its values.

A submission sits in the region of the unit that fills it (`region_code`, the 12-digit code of
the station's township): the one scoping layer then shows it to that unit and to every level
above it up to the defining department. Its values carry the submission's form, period, region
and whether a reviewer approved it, so that a roll-up is one GROUP BY over one table
(docs/decisions/reporting-0001-periodic-reports.md).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.regioncode import RegionCode
from shegong.core.scoping import ScopedQuerySet, code_range, jurisdiction_of, scoped_manager


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", _("月报")
    QUARTERLY = "quarterly", _("季报")
    YEARLY = "yearly", _("年报")


class DueRule(models.TextChoices):
    CALENDAR = "calendar", _("报告期结束后第 N 日")
    WORKING = "working", _("报告期结束后 N 个工作日")


class ElementKind(models.TextChoices):
    INTEGER = "integer", _("整数")
    DECIMAL = "decimal", _("小数")
    PERCENT = "percent", _("百分比")
    TEXT = "text", _("文字")
    CHOICE = "choice", _("选项")


NUMERIC_KINDS = (ElementKind.INTEGER, ElementKind.DECIMAL, ElementKind.PERCENT)


class Operator(models.TextChoices):
    LE = "le", "≤"
    LT = "lt", "<"
    GE = "ge", "≥"
    GT = "gt", ">"
    EQ = "eq", "="


class ReportFormQuerySet(ScopedQuerySet):
    """A form is read by the units of its subtree (who fill and review it) and by the levels
    above its defining department: its region is the user's own, an ancestor or a descendant."""

    region_field = "region_code"

    def visible_to(self, user):
        from shegong.core.scoping import NOWHERE

        jurisdiction = jurisdiction_of(user)
        if jurisdiction is NOWHERE:
            return self.none()
        if jurisdiction.is_national:
            return self.all()
        code = RegionCode(jurisdiction.region_code)
        above = [code.ancestor(level) for level in range(0, code.level)]
        low, high = code_range(jurisdiction.prefix)
        return self.filter(
            models.Q(region_code__in=above) | models.Q(region_code__gte=low, region_code__lte=high)
        )


class ReportForm(models.Model):
    name = models.CharField(_("报表名称"), max_length=200)
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("制表部门"),
        on_delete=models.PROTECT,
        related_name="report_forms",
    )
    region_code = models.CharField(_("制表区划"), max_length=12, db_index=True, blank=True)
    period_type = models.CharField(
        _("报告期"), max_length=16, choices=PeriodType.choices, default=PeriodType.MONTHLY
    )
    filling_level = models.PositiveSmallIntegerField(
        _("填报层级"), default=4, help_text=_("4 = 每个乡镇（街道）社工站")
    )
    due_days = models.PositiveSmallIntegerField(_("报送期限（天）"), default=10)
    due_rule = models.CharField(
        _("期限计算"), max_length=16, choices=DueRule.choices, default=DueRule.CALENDAR
    )
    description = models.TextField(_("填报说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ReportFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("报表")
        verbose_name_plural = pgettext_lazy("plural", "报表")
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reporting:form", args=[self.pk])

    @property
    def prefix(self) -> str:
        return RegionCode(self.region_code).prefix if self.region_code else ""


class DataElement(models.Model):
    form = models.ForeignKey(
        ReportForm, verbose_name=_("报表"), on_delete=models.CASCADE, related_name="elements"
    )
    code = models.SlugField(_("指标代码"), max_length=40)
    label = models.CharField(_("指标名称"), max_length=200)
    kind = models.CharField(
        _("类型"), max_length=16, choices=ElementKind.choices, default=ElementKind.INTEGER
    )
    choices = models.TextField(_("选项"), blank=True, help_text=_("每行一个选项"))
    min_value = models.DecimalField(
        _("最小值"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("最大值"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    required = models.BooleanField(_("必填"), default=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    prefill = models.CharField(
        _("预填数据来源"), max_length=64, blank=True, help_text=_("平台数据来源的键")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("数据项")
        verbose_name_plural = pgettext_lazy("plural", "数据项")
        ordering = ["form", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="reporting_element_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


class ValidationRule(models.Model):
    """A cross-field check kept as data: `left  operator  sum(right)`, e.g. "其中女性 ≤ 总数"
    (`right_codes` = "total") or "a = b + c". Read by `reporting.rules`, never evaluated."""

    form = models.ForeignKey(
        ReportForm, verbose_name=_("报表"), on_delete=models.CASCADE, related_name="rules"
    )
    left = models.ForeignKey(
        DataElement, verbose_name=_("左项"), on_delete=models.CASCADE, related_name="+"
    )
    operator = models.CharField(_("关系"), max_length=4, choices=Operator.choices)
    right_codes = models.CharField(
        _("右项（指标代码之和，以 + 连接）"), max_length=400, help_text="total 或 a+b+c"
    )
    name = models.CharField(_("规则名称"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("校验规则")
        verbose_name_plural = pgettext_lazy("plural", "校验规则")
        ordering = ["form", "id"]

    def __str__(self) -> str:
        return self.name


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已上报待审核")
    REVIEWING = "reviewing", _("逐级审核中")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")


class SubmissionQuerySet(ScopedQuerySet):
    region_field = "region_code"


class Submission(models.Model):
    form = models.ForeignKey(
        ReportForm, verbose_name=_("报表"), on_delete=models.PROTECT, related_name="submissions"
    )
    unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("填报单位"),
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    period_start = models.DateField(_("报告期起"))
    period_end = models.DateField(_("报告期止"))
    due_days = models.PositiveSmallIntegerField(_("报送期限（天）"), default=10)
    due_rule = models.CharField(_("期限计算"), max_length=16, default=DueRule.CALENDAR)
    due_date = models.DateField(_("报送截止日"), null=True, blank=True)
    due_provisional = models.BooleanField(_("截止日待定"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    on_time = models.BooleanField(_("按时上报"), default=False)
    reviewer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("当前审核单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_level = models.PositiveSmallIntegerField(_("当前审核层级"), null=True, blank=True)
    approved_level = models.PositiveSmallIntegerField(_("已审核至层级"), null=True, blank=True)
    last_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最近审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked = models.BooleanField(_("已锁定"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("报表填报")
        verbose_name_plural = pgettext_lazy("plural", "报表填报")
        ordering = ["-period_start", "region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "period_start"], name="reporting_one_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["form", "period_start", "region_code"], name="reporting_sub_roll"),
        ]

    def __str__(self) -> str:
        return f"{self.form} {self.period_start:%Y-%m} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:submission", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

    @property
    def late(self) -> bool:
        if self.submitted_at is not None:
            return not self.on_time
        return self.due_date is not None and date.today() > self.due_date


class DataValue(models.Model):
    """One figure of one submission. `form`, `period_start`, `region_code` and `approved` copy
    the submission's (kept by the services) so a roll-up reads this table alone."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("报表填报"), on_delete=models.CASCADE, related_name="values"
    )
    element = models.ForeignKey(
        DataElement, verbose_name=_("数据项"), on_delete=models.CASCADE, related_name="+"
    )
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("报告期起"))
    region_code = models.CharField(_("区划代码"), max_length=12)
    approved = models.BooleanField(_("已审核"), default=False)
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.CharField(_("文字"), max_length=500, blank=True)
    prefilled = models.DecimalField(
        _("平台预填值"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    history = HistoricalRecords()

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("报表数据")
        verbose_name_plural = pgettext_lazy("plural", "报表数据")
        constraints = [
            models.UniqueConstraint(fields=["submission", "element"], name="reporting_one_value")
        ]
        indexes = [
            # The roll-up: one period of one form, approved, a range of regions, by element.
            models.Index(
                fields=["form", "period_start", "approved", "region_code", "element", "value"],
                name="reporting_value_roll",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element_id}={self.value if self.text == '' else self.text}"


class StatusChange(models.Model):
    """Each move of a submission (submit, approve, return, reopen), with its comment."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="status_changes"
    )
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    level = models.PositiveSmallIntegerField(_("层级"), null=True, blank=True)
    unit = models.ForeignKey(
        "orgs.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("意见"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("报表流转记录")
        verbose_name_plural = pgettext_lazy("plural", "报表流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


# The summary's grain: a county, by the 6-digit prefix of its code.
COUNTY_PREFIX = 6


class ApprovedSum(models.Model):
    """The approved figures of one county for one period of one form, by element: the sum of
    the approved (locked) values of its filling units and how many approved reports carry a
    figure for the element. Kept by the approval services (`services.summary`) in the same
    transaction as every change of `DataValue.approved`, so that a roll-up by province or city
    reads ≈ 3,000 counties' rows instead of the month's ≈ 700,000 values. `county_code` is the
    12-digit code of the county (its 6-digit prefix padded with zeros). Derived data, rebuilt at
    will (`shegong reporting_sums`): no history of its own."""

    form = models.ForeignKey(
        ReportForm, verbose_name=_("报表"), on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(_("报告期起"))
    county_code = models.CharField(_("县级区划代码"), max_length=12)
    element = models.ForeignKey(
        DataElement, verbose_name=_("数据项"), on_delete=models.CASCADE, related_name="+"
    )
    total = models.DecimalField(
        _("已审核合计"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    submissions = models.PositiveIntegerField(_("已审核报表数"), default=0)

    objects = scoped_manager("county_code")

    class Meta:
        verbose_name = _("已审核汇总")
        verbose_name_plural = pgettext_lazy("plural", "已审核汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "period_start", "county_code", "element"],
                name="reporting_sum_one",
            )
        ]
        indexes = [
            # The roll-up reads the index alone: one period of one form, a range of counties.
            models.Index(
                fields=["form", "period_start", "county_code", "element", "total"],
                name="reporting_sum_roll",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county_code} {self.period_start:%Y-%m} {self.element_id}={self.total}"

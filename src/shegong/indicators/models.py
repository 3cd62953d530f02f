"""Indicator definitions and their cached values.

An `Indicator` is declared once: names, definition and basis, a numerator and a denominator
written over the modules' named sources (`core.registry.indicator_sources`, checked by
`expressions.parse`), a factor, the periods it applies to, the direction in which it is good and
optional target and thresholds. The shipped ones belong to the nation (`owner_prefix` ""); a
province's own are read in its subtree only.

An `IndicatorValue` is the cached figure of one indicator for one region and one period: its
numerator and denominator (so that a parent is the sum of its children) and the value. The night
job (tasks.py) and a refresh on demand rewrite them; pages read them through the scoping layer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shegong.core.scoping import jurisdiction_of, scoped_manager


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class Factor(models.IntegerChoices):
    ONE = 1, _("1（比值）")
    PERCENT = 100, _("100（百分比）")
    PER_10K = 10000, _("10000（每万）")


class PeriodType(models.TextChoices):
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年")
    ROLLING12 = "rolling12", _("滚动12个月")


class IndicatorQuerySet(models.QuerySet):
    def readable_by(self, user) -> IndicatorQuerySet:
        """The nation's indicators, and those of a province the reader works in (a national
        reader reads every province's)."""
        jurisdiction = jurisdiction_of(user)
        if jurisdiction.prefix == "-":
            return self.none()
        if jurisdiction.is_national:
            return self
        return self.filter(owner_prefix__in=["", jurisdiction.prefix[:2]])


class Indicator(models.Model):
    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name_zh = models.CharField(_("名称（中文）"), max_length=100)
    name_en = models.CharField(_("名称（英文）"), max_length=150, blank=True)
    definition = models.TextField(_("定义"))
    basis = models.TextField(_("数据来源与依据"), blank=True)
    numerator = models.CharField(_("分子"), max_length=500)
    denominator = models.CharField(
        _("分母"), max_length=500, blank=True, help_text=_("留空表示指标即分子本身（计数）")
    )
    factor = models.PositiveIntegerField(_("系数"), choices=Factor.choices, default=Factor.PERCENT)
    period_types = models.CharField(
        _("适用期间"), max_length=60, default="month,quarter,year,rolling12"
    )
    direction = models.CharField(
        _("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    target = models.DecimalField(
        _("目标值"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    red = models.DecimalField(_("红灯阈值"), max_digits=12, decimal_places=2, null=True, blank=True)
    amber = models.DecimalField(
        _("黄灯阈值"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    owner_prefix = models.CharField(
        _("所属区划"), max_length=2, blank=True, db_index=True, help_text=_("空为全国统一指标")
    )
    is_shipped = models.BooleanField(_("平台内置"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = pgettext_lazy("plural", "指标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = get_language() or "zh-hans"
        return self.name_en if language.startswith("en") and self.name_en else self.name_zh

    @property
    def periods(self) -> list[str]:
        return [p for p in self.period_types.split(",") if p]

    def light(self, value) -> str:
        """ "red", "amber", "green" or "" (no thresholds, or no value)."""
        if value is None or (self.red is None and self.amber is None):
            return ""
        higher = self.direction == Direction.HIGHER

        def worse(limit) -> bool:
            return limit is not None and (value < limit if higher else value > limit)

        if worse(self.red):
            return "red"
        if worse(self.amber):
            return "amber"
        return "green"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("指标")
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    period_type = models.CharField(_("期间类型"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("期间起始"))
    numerator = models.DecimalField(_("分子"), max_digits=20, decimal_places=4)
    denominator = models.DecimalField(_("分母"), max_digits=20, decimal_places=4, null=True)
    value = models.DecimalField(_("指标值"), max_digits=20, decimal_places=4, null=True)
    computed_at = models.DateTimeField(_("计算时间"))

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = pgettext_lazy("plural", "指标值")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_type", "period_start", "region_code"],
                name="indicator_value_unique",
            )
        ]
        indexes = [
            # A region's newest value ("上次统计时间" on a dashboard with pending months): the
            # unique constraint leads with the indicator and cannot serve a lookup by region.
            models.Index(fields=["region_code", "computed_at"], name="indicator_value_region_time")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.region_code} {self.period_start}"


class GeneratedReport(models.Model):
    """A report the worker generated for a department: its subtree's indicators for a period,
    with the changes, the units at the bottom and the period's key events, as a PDF and an
    Excel file. Read in the department's region subtree (`region_code`)."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("月报")
        WEEKLY = "weekly", _("周报")

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="indicator_reports",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.MONTHLY)
    subscription = models.ForeignKey(
        "indicators.ReportSubscription",
        verbose_name=_("订阅"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text=_("空为部门月报（全部指标）"),
    )
    period_start = models.DateField(_("期间起始"))
    title = models.CharField(_("标题"), max_length=200)
    pdf = models.FileField(_("PDF 文件"), upload_to="indicators/reports/%Y/%m/")
    xlsx = models.FileField(_("Excel 文件"), upload_to="indicators/reports/%Y/%m/")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标报告")
        verbose_name_plural = pgettext_lazy("plural", "指标报告")
        ordering = ["-period_start", "region_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "period_start"],
                condition=models.Q(subscription__isnull=True),
                name="generated_report_once",
            ),
            models.UniqueConstraint(
                fields=["subscription", "period_start"],
                condition=models.Q(subscription__isnull=False),
                name="subscription_report_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReportSubscription(models.Model):
    """A department's subscription to a weekly or monthly report of a chosen set of indicators
    over its subtree, written by the worker (on the first working day of the week or the month)
    and announced in the inbox of the department's members, whose channel choices carry it on
    (SMS, WeCom, e-mail: a link and a neutral text only). Read in the department's subtree."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("每周")
        MONTHLY = "monthly", _("每月")

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("订阅单位"),
        on_delete=models.PROTECT,
        related_name="indicator_subscriptions",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    frequency = models.CharField(_("频率"), max_length=10, choices=Frequency.choices)
    indicators = models.ManyToManyField(Indicator, verbose_name=_("指标"), related_name="+")
    is_active = models.BooleanField(_("有效"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("订阅人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标报告订阅")
        verbose_name_plural = pgettext_lazy("plural", "指标报告订阅")
        ordering = ["-is_active", "frequency", "name", "id"]

    def __str__(self) -> str:
        return self.name


class DashboardPin(models.Model):
    """An indicator a person pinned to their own dashboard (their cards, in the order pinned;
    without pins the dashboard shows its level's default set). Read by its owner only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="dashboard_pins",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("固定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("看板固定指标")
        verbose_name_plural = pgettext_lazy("plural", "看板固定指标")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "indicator"], name="dashboard_pin_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.indicator_id}"

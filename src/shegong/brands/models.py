"""Service brands (品牌项目): a register of party-building and service brand projects, the
volunteer activities linked to them, yearly targets and evaluations, and recognitions.

Every row carries the 12-digit region code of the brand (`region_code`, its owner
organisation's region), so a brand and everything about it is read through the one scoping
layer. Figures (people served, hours, satisfaction) are counted from volunteer service records
of the linked activities, never entered again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.scoping import scoped_manager


class Level(models.TextChoices):
    """Recognition levels; the value is the region level of the awarding department."""

    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")


# The region level (core.regioncode) of the department that awards each recognition level.
LEVEL_DEPTH = {Level.COUNTY: 3, Level.CITY: 2, Level.PROVINCE: 1}
LEVEL_RANK = {"": 0, Level.COUNTY: 1, Level.CITY: 2, Level.PROVINCE: 3}


class Brand(models.Model):
    class Kind(models.TextChoices):
        PARTY = "party", _("党建品牌")
        SERVICE = "service", _("服务品牌")

    name = models.CharField(_("品牌名称"), max_length=100)
    kind = models.CharField(_("品牌类别"), max_length=12, choices=Kind.choices)
    owner = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="brands",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    target_groups = models.ManyToManyField(
        "people.Category", verbose_name=_("服务对象"), blank=True, related_name="+"
    )
    description = models.TextField(_("品牌简介"))
    started_on = models.DateField(_("创建日期"))
    recognition_level = models.CharField(
        _("认定等级"), max_length=12, choices=Level.choices, blank=True, db_index=True
    )
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords(m2m_fields=[target_groups])

    class Meta:
        verbose_name = _("品牌项目")
        verbose_name_plural = pgettext_lazy("plural", "品牌项目")
        ordering = ["region_code", "name", "id"]
        indexes = [models.Index(fields=["region_code", "name"], name="brand_region_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("brands:detail", args=[self.pk])


class BrandActivity(models.Model):
    """A volunteer activity run under the brand (its hours and people served count for it)."""

    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌项目"), on_delete=models.CASCADE, related_name="links"
    )
    activity = models.ForeignKey(
        "volunteers.Activity",
        verbose_name=_("志愿服务活动"),
        on_delete=models.PROTECT,
        related_name="brand_links",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    linked_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("品牌关联活动")
        verbose_name_plural = pgettext_lazy("plural", "品牌关联活动")
        constraints = [
            models.UniqueConstraint(fields=["brand", "activity"], name="brand_activity_once")
        ]

    def __str__(self) -> str:
        return f"{self.brand_id} → {self.activity_id}"


class BrandTarget(models.Model):
    """The indicators a brand declares for a year (年度目标)."""

    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌项目"), on_delete=models.CASCADE, related_name="targets"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    reach = models.PositiveIntegerField(_("服务人数目标"))
    hours = models.DecimalField(_("服务时长目标（小时）"), max_digits=10, decimal_places=1)
    satisfaction = models.DecimalField(
        _("满意率目标"), max_digits=4, decimal_places=3, help_text=_("0 至 1 之间，如 0.9")
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("品牌年度目标")
        verbose_name_plural = pgettext_lazy("plural", "品牌年度目标")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["brand", "year"], name="brand_target_year")]

    def __str__(self) -> str:
        return f"{self.brand_id} · {self.year}"


class BrandEvaluation(models.Model):
    """A year's evaluation: the actual figures counted from the records against the targets."""

    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌项目"), on_delete=models.CASCADE, related_name="evaluations"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    reach = models.PositiveIntegerField(_("服务人数"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=10, decimal_places=1)
    rated = models.PositiveIntegerField(_("评价记录数"))
    satisfaction = models.DecimalField(
        _("满意率"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    reach_target = models.PositiveIntegerField(_("服务人数目标"))
    hours_target = models.DecimalField(_("服务时长目标（小时）"), max_digits=10, decimal_places=1)
    satisfaction_target = models.DecimalField(_("满意率目标"), max_digits=4, decimal_places=3)
    comment = models.TextField(_("评估意见"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("评估时间"), auto_now=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("品牌年度评估")
        verbose_name_plural = pgettext_lazy("plural", "品牌年度评估")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "year"], name="brand_evaluation_year")
        ]

    def __str__(self) -> str:
        return f"{self.brand_id} · {self.year}"

    @property
    def reach_met(self) -> bool:
        return self.reach >= self.reach_target

    @property
    def hours_met(self) -> bool:
        return self.hours >= self.hours_target

    @property
    def satisfaction_met(self) -> bool:
        return self.satisfaction is not None and self.satisfaction >= self.satisfaction_target

    @property
    def all_met(self) -> bool:
        return self.reach_met and self.hours_met and self.satisfaction_met


class Recognition(models.Model):
    """An application for a recognition level (品牌认定): the owner applies, the department
    below the awarding level recommends (above county level), the department of that level
    awards or declines."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("已申报")
        RECOMMENDED = "recommended", _("已推荐")
        AWARDED = "awarded", _("已认定")
        DECLINED = "declined", _("未认定")

    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌项目"), on_delete=models.CASCADE, related_name="recognitions"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    level = models.CharField(_("认定等级"), max_length=12, choices=Level.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    statement = models.TextField(_("申报说明"))
    note = models.TextField(_("审核意见"), blank=True)
    applied_on = models.DateField(_("申报日期"))
    decided_on = models.DateField(_("认定日期"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("品牌认定申报")
        verbose_name_plural = pgettext_lazy("plural", "品牌认定申报")
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return f"{self.brand} · {self.get_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("brands:detail", args=[self.brand_id]) + f"#recognition-{self.pk}"

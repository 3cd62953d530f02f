from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class DayRule(models.TextChoices):
    """How a period is counted (Civil Code Arts. 201–203: the start day is never counted)."""

    CALENDAR = "calendar", _("自然日（末日为休息日顺延至下一工作日）")
    WORKING = "working", _("工作日")


class HolidaySchedule(models.Model):
    """One year's official holiday schedule (国务院办公厅关于部分节假日安排的通知) is loaded.

    A year without a row is unknown: deadlines that touch it count weekends only and are marked
    provisional until the schedule is loaded.
    """

    class Source(models.TextChoices):
        SEEDED = "chinese_calendar", _("内置日历（chinese-calendar）")
        ADMIN = "admin", _("管理员录入")

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    notice = models.CharField(_("依据文件"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = pgettext_lazy("plural", "节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday or a make-up working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班日")

    date = models.DateField(_("日期"), primary_key=True)
    year = models.PositiveSmallIntegerField(_("年份"), db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日或调休日")
        verbose_name_plural = pgettext_lazy("plural", "节假日或调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"

"""Cases' figures for indicators (`core.registry.IndicatorSource`): cases opened and closed in the
period, case tasks due in it and those done by their date. Each is one GROUP BY on the first
characters of the case's region code."""

from __future__ import annotations

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from shegong.core.counting import sum_by_child
from shegong.core.registry import IndicatorSource

INDICATOR_FIGURES = (
    "Per child region figures for indicators, inside a subtree the caller checked against the "
    "reader; only counts leave."
)


def _cases():
    from shegong.cases.models import Case

    return Case.objects.unscoped(reason=INDICATOR_FIGURES)


def cases_opened(low, high, child_len, start, end):
    rows = _cases().filter(opened_on__range=(start, end))
    return sum_by_child(rows, "region_code", low, high, child_len, Count("pk"))


def cases_closed(low, high, child_len, start, end):
    rows = _cases().filter(closed_on__range=(start, end))
    return sum_by_child(rows, "region_code", low, high, child_len, Count("pk"))


def _tasks(start, end):
    from shegong.cases.models import Task

    return Task.objects.filter(due_date__range=(start, end))


def case_tasks_due(low, high, child_len, start, end):
    rows = _tasks(start, end)
    return sum_by_child(rows, "case__region_code", low, high, child_len, Count("pk"))


def case_tasks_on_time(low, high, child_len, start, end):
    rows = _tasks(start, end).filter(done_on__lte=F("due_date"))
    return sum_by_child(rows, "case__region_code", low, high, child_len, Count("pk"))


SOURCES = [
    IndicatorSource("cases_opened", _("本期接案"), cases_opened),
    IndicatorSource("cases_closed", _("本期结案"), cases_closed),
    IndicatorSource("case_tasks_due", _("本期到期的个案任务"), case_tasks_due),
    IndicatorSource("case_tasks_on_time", _("本期按期完成的个案任务"), case_tasks_on_time),
]

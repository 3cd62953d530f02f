"""Volunteers' figures for indicators (`core.registry.IndicatorSource`): confirmed service hours
and records in the period, volunteers who served, and registered volunteers at its end. Each is
one GROUP BY on the first characters of the region code."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.counting import sum_by_child
from shegong.core.registry import IndicatorSource

INDICATOR_FIGURES = (
    "Per child region figures for indicators, inside a subtree the caller checked against the "
    "reader; only counts leave."
)


def _records(start, end):
    from shegong.volunteers.models import ServiceRecord

    return (
        ServiceRecord.objects.unscoped(reason=INDICATOR_FIGURES)
        .confirmed()
        .filter(service_date__range=(start, end))
    )


def volunteer_hours(low, high, child_len, start, end):
    return sum_by_child(_records(start, end), "region_code", low, high, child_len, Sum("hours"))


def volunteer_records(low, high, child_len, start, end):
    return sum_by_child(_records(start, end), "region_code", low, high, child_len, Count("pk"))


def volunteers_serving(low, high, child_len, start, end):
    return sum_by_child(
        _records(start, end),
        "region_code",
        low,
        high,
        child_len,
        Count("volunteer_id", distinct=True),
    )


def volunteers_registered(low, high, child_len, start, end):
    """Volunteers on the register (active) who registered by the period's end."""
    from shegong.volunteers.models import Volunteer

    until = timezone.make_aware(datetime.combine(end, time.max))
    rows = Volunteer.objects.unscoped(reason=INDICATOR_FIGURES).filter(
        is_active=True, created_at__lte=until
    )
    return sum_by_child(rows, "region_id", low, high, child_len, Count("pk"))


SOURCES = [
    IndicatorSource("volunteer_hours", _("本期志愿服务时长（小时）"), volunteer_hours, "hours"),
    IndicatorSource("volunteer_records", _("本期志愿服务记录"), volunteer_records),
    IndicatorSource("volunteers_serving", _("本期参与服务的志愿者"), volunteers_serving),
    IndicatorSource("volunteers_registered", _("注册志愿者"), volunteers_registered, stock=True),
]

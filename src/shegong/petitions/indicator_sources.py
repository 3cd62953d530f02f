"""Petitions' figures for indicators (`core.registry.IndicatorSource`): matters received, closed,
closed on time, replied within the statutory period, rated, rated satisfied, repeat and overdue
in the period. Each is one GROUP BY on the first characters of the matter's region code."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from shegong.core.counting import sum_by_child
from shegong.core.registry import IndicatorSource

INDICATOR_FIGURES = (
    "Per child region figures for indicators, inside a subtree the caller checked against the "
    "reader; only counts leave."
)


def _counted(*conditions):
    def figures(low, high, child_len, start, end):
        from shegong.petitions.models import Matter

        rows = Matter.objects.unscoped(reason=INDICATOR_FIGURES)
        for condition in conditions:
            rows = rows.filter(condition(start, end))
        return sum_by_child(rows, "region_id", low, high, child_len, Count("pk"))

    return figures


def _received(start, end):
    return Q(received_on__range=(start, end))


def _closed(start, end):
    return Q(closed_on__range=(start, end))


def _on_time(start, end):
    return Q(due_date__isnull=True) | Q(closed_on__lte=F("due_date"))


def _replied(start, end):
    return Q(replied_on__range=(start, end))


def _replied_on_time(start, end):
    return Q(replied_on_time=True)


def _rated(start, end):
    return Q(rated_on__range=(start, end)) & ~Q(rating="")


def _satisfied(start, end):
    return Q(rating="satisfied")


def _basic(start, end):
    return Q(rating="basic")


def _repeat(start, end):
    return Q(is_repeat=True)


def _overdue(start, end):
    return Q(overdue_since__range=(start, end))


SOURCES = [
    IndicatorSource("matters_received", _("本期受理信访事项"), _counted(_received)),
    IndicatorSource("matters_closed", _("本期办结信访事项"), _counted(_closed)),
    IndicatorSource(
        "matters_closed_on_time", _("本期按期办结信访事项"), _counted(_closed, _on_time)
    ),
    IndicatorSource("matters_replied", _("本期答复信访事项"), _counted(_replied)),
    IndicatorSource(
        "matters_replied_on_time",
        _("本期在法定期限内答复的信访事项"),
        _counted(_replied, _replied_on_time),
    ),
    IndicatorSource("matters_rated", _("本期参与评价的信访事项"), _counted(_rated)),
    IndicatorSource(
        "matters_rated_satisfied", _("本期评价满意的信访事项"), _counted(_rated, _satisfied)
    ),
    IndicatorSource(
        "matters_rated_basic", _("本期评价基本满意的信访事项"), _counted(_rated, _basic)
    ),
    IndicatorSource("matters_repeat", _("本期受理的重复信访事项"), _counted(_received, _repeat)),
    IndicatorSource("matters_overdue", _("本期超期的信访事项"), _counted(_overdue)),
]

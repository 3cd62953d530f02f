"""The dated obligation of the careers app: the public notice of a title result (公示), at
least 5 working days (职称评审管理暂行规定, 2019), on the one working-day calendar
(workdays.obligations): provisional while the year's holidays are not loaded, recomputed when
they are."""

from __future__ import annotations

from django.db.models import Q

from shegong.workdays import obligations
from shegong.workdays.models import DayRule

NOTICE_WORKING_DAYS = 5

REASON = (
    "Recomputes the provisional public-notice end dates of title applications on every "
    "jurisdiction when a holiday schedule is loaded (the system, no user)"
)


def register_obligations() -> None:
    obligations.register(
        obligations.DatedObligation(
            key="title_notice",
            model="careers.TitleApplication",
            start="notice_from",
            due="notice_until",
            provisional="notice_provisional",
            period=lambda: (NOTICE_WORKING_DAYS, DayRule.WORKING),
            open=Q(status="notice"),
            reason=REASON,
            label="职称评审结果公示",
        )
    )

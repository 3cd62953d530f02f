"""The due date of a report (报送截止日) is a dated obligation on the one working-day calendar:
N calendar days (the last moved off a rest day) or N working days after the period ends."""

from __future__ import annotations

from django.db.models import Q

from shegong.workdays.obligations import DatedObligation, register


def _period(days, rule):
    return int(days or 10), rule or "calendar"


def register_obligations() -> None:
    register(
        DatedObligation(
            key="reporting_due",
            model="reporting.Submission",
            start="period_end",
            due="due_date",
            provisional="due_provisional",
            period=_period,
            terms=("due_days", "due_rule"),
            open=Q(submitted_at__isnull=True),
            reason="Recomputing provisional report due dates when a holiday schedule is loaded.",
            label="报表报送截止日",
        )
    )

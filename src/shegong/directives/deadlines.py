"""The dated obligations of directives (workdays.obligations): the directive's completion
deadline, each copy's acknowledgement limit and completion deadline. Each is provisional while
its year's holiday schedule is not loaded and recomputed when it is."""

from __future__ import annotations

from django.db.models import Q

from shegong.workdays import obligations
from shegong.workdays.models import DayRule

SWEEP = (
    "Recomputing provisional deadlines and marking overdue copies runs over every directive and "
    "copy, as the system; nothing read is shown to anyone."
)
OPEN_TARGET = ("received", "acknowledged", "in_progress", "submitted", "returned")


def register_obligations() -> None:
    for obligation in (
        obligations.DatedObligation(
            key="directive_due",
            model="directives.Directive",
            start="issued_on",
            due="due_date",
            provisional="due_provisional",
            terms=("due_days", "due_rule"),
            period=lambda days, rule: (days, rule),
            open=Q(status="open"),
            reason=SWEEP,
        ),
        obligations.DatedObligation(
            key="directive_target_due",
            model="directives.DirectiveTarget",
            start="due_from",
            due="due_date",
            provisional="due_provisional",
            terms=("due_days", "due_rule"),
            period=lambda days, rule: (days or 0, rule),
            open=Q(status__in=OPEN_TARGET, due_days__isnull=False),
            reason=SWEEP,
        ),
        obligations.DatedObligation(
            key="directive_target_ack",
            model="directives.DirectiveTarget",
            start="received_on",
            due="ack_due",
            provisional="ack_due_provisional",
            terms=("ack_days",),
            period=lambda days: (days, DayRule.WORKING),
            open=Q(status="received"),
            reason=SWEEP,
        ),
    ):
        obligations.register(obligation)

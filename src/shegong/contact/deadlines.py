"""The dated obligation of contact (workdays.obligations): an assigned item's answer deadline,
counted in working days from its assignment; provisional while the year's holiday schedule is
not loaded, recomputed when it is."""

from __future__ import annotations

from django.db.models import Q

from shegong.workdays import obligations
from shegong.workdays.models import DayRule

SWEEP = (
    "Recomputing provisional deadlines runs over every assigned item, as the system; nothing "
    "read is shown to anyone."
)


def register_obligations() -> None:
    obligations.register(
        obligations.DatedObligation(
            key="contact_item_due",
            model="contact.RaisedItem",
            start="assigned_on",
            due="due_date",
            provisional="due_provisional",
            terms=("due_days",),
            period=lambda days: (days or 0, DayRule.WORKING),
            open=Q(status="assigned", due_days__isnull=False),
            reason=SWEEP,
        )
    )

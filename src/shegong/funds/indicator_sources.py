"""Funds' figures for indicators (`core.registry.IndicatorSource`), in fen: money allocated to
units by approved plans of the period's years, the part disbursed and the part confirmed
received; donations received and donations used in the period. Each is one GROUP BY on the
first characters of the recipient's (or the donation's) region code."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from shegong.core.counting import sum_by_child
from shegong.core.registry import IndicatorSource

INDICATOR_FIGURES = (
    "Per child region figures for indicators, inside a subtree the caller checked against the "
    "reader; only sums leave."
)


def _recipients(start, end, statuses):
    from shegong.funds.models import PlanRecipient

    return PlanRecipient.objects.unscoped(reason=INDICATOR_FIGURES).filter(
        plan__resource="money",
        plan__status__in=statuses,
        plan__period__gte=start.year,
        plan__period__lte=end.year,
    )


def funds_allocated(low, high, child_len, start, end):
    from shegong.funds import workflow

    rows = _recipients(start, end, [workflow.APPROVED, workflow.DISBURSED, workflow.CONFIRMED])
    return sum_by_child(rows, "region_code", low, high, child_len, Sum("amount"))


def funds_disbursed(low, high, child_len, start, end):
    from shegong.funds import workflow

    rows = _recipients(start, end, [workflow.DISBURSED, workflow.CONFIRMED])
    return sum_by_child(rows, "region_code", low, high, child_len, Sum("amount"))


def funds_confirmed(low, high, child_len, start, end):
    from shegong.funds import workflow

    rows = _recipients(start, end, [workflow.DISBURSED, workflow.CONFIRMED]).filter(
        confirmed_at__isnull=False
    )
    return sum_by_child(rows, "region_code", low, high, child_len, Sum("amount"))


def donations_received(low, high, child_len, start, end):
    from shegong.funds.models import Donation

    rows = Donation.objects.unscoped(reason=INDICATOR_FIGURES).filter(
        received_on__range=(start, end)
    )
    return sum_by_child(rows, "region_code", low, high, child_len, Sum("amount"))


def donations_used(low, high, child_len, start, end):
    from shegong.funds.models import DonationUse

    rows = DonationUse.objects.unscoped(reason=INDICATOR_FIGURES).filter(
        used_on__range=(start, end)
    )
    return sum_by_child(rows, "region_code", low, high, child_len, Sum("amount"))


SOURCES = [
    IndicatorSource("funds_allocated", _("分配方案已批准资金（分）"), funds_allocated, "fen"),
    IndicatorSource("funds_disbursed", _("分配方案已拨付资金（分）"), funds_disbursed, "fen"),
    IndicatorSource("funds_confirmed", _("已确认到账资金（分）"), funds_confirmed, "fen"),
    IndicatorSource("donations_received", _("本期接收捐赠（分）"), donations_received, "fen"),
    IndicatorSource("donations_used", _("本期使用捐赠（分）"), donations_used, "fen"),
]

"""A department's subscriptions to weekly or monthly reports of a chosen set of indicators.

A member of a department (leader or staff) subscribes the department; the worker writes each
active subscription's report on the first working day of the week (the last complete ISO week,
computed when written) or of the month (the last complete month, from the cached values), as a
PDF and an Excel file beside the monthly reports, and announces it in the inbox of the
department's members. A subscription is cancelled, never deleted: its reports stay listed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.indicators.models import GeneratedReport, Indicator, ReportSubscription
from shegong.indicators.periods import MONTH, WEEK, Period
from shegong.indicators.services.reports import first_working_day, report_content, report_store

MOST_INDICATORS = 30
MOST_PER_DEPARTMENT = 20
ACTIVE = (
    "The worker writes the report of every active subscription; it runs as the system and "
    "shows nothing to anybody."
)


def _organisation_of(user: Any):
    membership = getattr(user, "active_membership", None)
    if membership is None or not has_perm(user, "indicators.subscribe"):
        raise PermissionDenied(_("只有部门工作人员可以订阅指标报告。"))
    return membership.organisation


@transaction.atomic
def subscription_create(
    *, acting_user: Any, name: str, frequency: str, indicator_codes: list[str]
) -> ReportSubscription:
    """Subscribe the acting user's department to `frequency` reports of the indicators named
    by `indicator_codes` (those the user may read). Each problem is named by its field."""
    organisation = _organisation_of(acting_user)
    errors: dict[str, list[ValidationError]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [ValidationError(_("此项为必填项"), code="required")]
    elif len(name) > 100:
        errors["name"] = [ValidationError(_("名称最多 100 个字"), code="max_length")]
    if frequency not in ReportSubscription.Frequency.values:
        errors["frequency"] = [
            ValidationError(_("频率只能是 weekly（每周）或 monthly（每月）"), code="invalid_choice")
        ]
    codes = list(dict.fromkeys(c.strip() for c in indicator_codes or [] if c and c.strip()))
    readable = {
        i.code: i
        for i in Indicator.objects.readable_by(acting_user).filter(code__in=codes, is_active=True)
    }
    unknown = [c for c in codes if c not in readable]
    if not codes:
        errors["indicators"] = [ValidationError(_("请至少选择一个指标"), code="required")]
    elif unknown:
        errors["indicators"] = [
            ValidationError(
                _("没有这些指标，或无权订阅：%(codes)s") % {"codes": "、".join(unknown[:10])},
                code="invalid_choice",
            )
        ]
    elif len(codes) > MOST_INDICATORS:
        errors["indicators"] = [
            ValidationError(
                _("一份订阅最多 %(n)d 个指标") % {"n": MOST_INDICATORS}, code="max_length"
            )
        ]
    elif frequency == ReportSubscription.Frequency.MONTHLY:
        yearly = [c for c in codes if MONTH not in readable[c].periods]
        if yearly:
            errors["indicators"] = [
                ValidationError(
                    _("这些指标没有月度数值，不能按月订阅：%(codes)s")
                    % {"codes": "、".join(yearly[:10])},
                    code="invalid_choice",
                )
            ]
    active = ReportSubscription.objects.in_subtree(organisation.region_id).filter(
        organisation=organisation, is_active=True
    )
    if active.count() >= MOST_PER_DEPARTMENT:
        errors.setdefault("name", []).append(
            ValidationError(
                _("本单位的有效订阅已达 %(n)d 份，请先取消不用的订阅") % {"n": MOST_PER_DEPARTMENT},
                code="limit",
            )
        )
    if errors:
        raise ValidationError(errors)
    subscription = ReportSubscription.objects.create(
        organisation=organisation,
        region_code=organisation.region_id,
        name=name,
        frequency=frequency,
        created_by=acting_user,
    )
    subscription.indicators.set([readable[c] for c in codes])
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=subscription,
        region_code=organisation.region_id,
        detail={"subscription": name, "frequency": frequency, "indicators": codes},
    )
    return subscription


@transaction.atomic
def subscription_cancel(*, acting_user: Any, subscription: ReportSubscription) -> None:
    """Cancel a subscription of the acting user's own department (the same refusal for any
    other: it is not theirs to cancel)."""
    organisation = _organisation_of(acting_user)
    if subscription.organisation_id != organisation.pk:
        raise PermissionDenied(_("只能取消本单位的订阅。"))
    if not subscription.is_active:
        return
    subscription.is_active = False
    subscription.cancelled_at = timezone.now()
    subscription.save(update_fields=["is_active", "cancelled_at"])
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=subscription,
        region_code=subscription.region_code,
        detail={"subscription_cancelled": subscription.name},
    )


def first_working_day_of_week(today: date) -> bool:
    """Whether `today` is the first working day of its ISO week (the working-day calendar)."""
    from shegong.workdays.calendar import current

    monday = today - timedelta(days=today.weekday())
    found = current().next_working_day(monday)
    return found == today and found.isocalendar()[1] == today.isocalendar()[1]


def subscription_report_create(
    *, subscription: ReportSubscription, period: Period, today: date
) -> GeneratedReport | None:
    """Write one subscription's report for `period` and announce it; None when it exists."""
    if (
        GeneratedReport.objects.in_subtree(subscription.region_code)
        .filter(subscription=subscription, period_start=period.start)
        .exists()
    ):
        return None
    organisation = subscription.organisation
    indicators = [i for i in subscription.indicators.all() if i.is_active]
    with override("zh-hans"):
        content = report_content(
            organisation=organisation,
            period=period,
            today=today,
            indicators=indicators,
            title=_("%(name)s（%(period)s）") % {"name": subscription.name, "period": period.text},
        )
    kind = GeneratedReport.Kind.WEEKLY if period.type == WEEK else GeneratedReport.Kind.MONTHLY
    return report_store(
        organisation=organisation,
        kind=kind,
        period=period,
        content=content,
        subscription=subscription,
    )


def subscription_reports_generate(*, today: date | None = None) -> int:
    """Every day: the weekly subscriptions' reports on the first working day of a week, the
    monthly ones' on the first working day of a month; how many were written."""
    today = today or timezone.localdate()
    due = []
    if first_working_day_of_week(today):
        due.append((ReportSubscription.Frequency.WEEKLY, Period.current(WEEK, today)))
    if first_working_day(today):
        due.append((ReportSubscription.Frequency.MONTHLY, Period.current(MONTH, today)))
    written = 0
    for frequency, period in due:
        subscriptions = (
            ReportSubscription.objects.unscoped(reason=ACTIVE)
            .filter(is_active=True, frequency=frequency)
            .exclude(reports__period_start=period.start)
            .select_related("organisation")
            .order_by("region_code", "pk")
        )
        for subscription in subscriptions:
            if subscription_report_create(subscription=subscription, period=period, today=today):
                written += 1
    return written

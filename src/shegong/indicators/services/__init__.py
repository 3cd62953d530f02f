"""Writes of the indicators app, by subdomain: definitions (a department's own indicators),
refresh (the cached values), reports (the departments' monthly reports), subscriptions
(weekly or monthly reports of a chosen set) and dashboards (a person's pinned indicators)."""

from shegong.indicators.services.dashboards import dashboard_pin, dashboard_unpin
from shegong.indicators.services.definitions import indicator_create, indicator_validate
from shegong.indicators.services.refresh import values_refresh, values_refresh_request
from shegong.indicators.services.reports import monthly_report_create, monthly_reports_generate
from shegong.indicators.services.subscriptions import (
    subscription_cancel,
    subscription_create,
    subscription_report_create,
    subscription_reports_generate,
)

__all__ = [
    "dashboard_pin",
    "dashboard_unpin",
    "indicator_create",
    "indicator_validate",
    "monthly_report_create",
    "monthly_reports_generate",
    "subscription_cancel",
    "subscription_create",
    "subscription_report_create",
    "subscription_reports_generate",
    "values_refresh",
    "values_refresh_request",
]

"""A person's own dashboard: the indicators they pin (their cards) and unpin.

A pin is a preference of its owner, not a record of the department: it is written for the
acting user only and is not audited (nothing in the subtree's data changes)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shegong.core.errors import ApplicationError
from shegong.indicators.models import DashboardPin, Indicator

PINS_MAX = 12  # cards on one dashboard


def dashboard_pin(*, acting_user: Any, indicator: Indicator) -> DashboardPin:
    """Pin `indicator` (one the user may read: the caller fetched it with
    `selectors.get_indicator_for`) to the user's dashboard; pinning twice changes nothing.
    Checked before any write: a refusal leaves the caller's transaction usable."""
    from shegong.indicators.periods import MONTH

    if MONTH not in indicator.periods:
        raise ApplicationError(_("看板按月显示，该指标不按月计算：%(n)s") % {"n": indicator.name})
    found = DashboardPin.objects.filter(user=acting_user, indicator=indicator).first()
    if found is not None:
        return found
    if DashboardPin.objects.filter(user=acting_user).count() >= PINS_MAX:
        raise ApplicationError(_("看板最多固定 %(n)s 个指标。") % {"n": PINS_MAX})
    try:
        with transaction.atomic():
            return DashboardPin.objects.create(user=acting_user, indicator=indicator)
    except IntegrityError:  # pinned by a second request in between
        return DashboardPin.objects.get(user=acting_user, indicator=indicator)


@transaction.atomic(savepoint=False)
def dashboard_unpin(*, acting_user: Any, indicator: Indicator) -> int:
    """Take `indicator` off the user's dashboard; the number of pins removed (0 or 1)."""
    removed, _detail = DashboardPin.objects.filter(user=acting_user, indicator=indicator).delete()
    return removed

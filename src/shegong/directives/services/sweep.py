"""The daily sweep of directives (`directives.tasks.directive_sweep_task`): overdue copies are
marked and escalated once to their unit, sender and superior; copies that owe a periodic
progress report are reminded once per week or month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.directives.models import Directive, DirectiveTarget
from shegong.directives.services._common import event, notify_units
from shegong.directives.services.handling import WORKING
from shegong.inbox.models import Notification

S = DirectiveTarget.Status
SWEEP = "The daily sweep marks and escalates overdue copies of every open directive, as the system."
SUPERIORS = (
    "The unit a late copy is escalated to is the leading unit of the region above; an "
    "organisational fact every subordinate unit works with."
)


def _superiors(codes: set[str]) -> dict[str, int]:
    """`{region code: id of the nearest active leading unit above it}` (the unit's superior,
    as `orgs.selectors.superior_unit` finds it by region), read in one query per 5,000
    ancestor regions instead of one per unit."""
    from shegong.core.regioncode import RegionCode
    from shegong.orgs.models import Organisation
    from shegong.orgs.selectors import LEADING_KIND_AT_LEVEL

    chains = {}
    for code in codes:
        region = RegionCode(code)
        chains[code] = [region.ancestor(up) for up in range(region.level - 1, -1, -1)]
    wanted = sorted({a for chain in chains.values() for a in chain})
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 5000):
        rows = (
            Organisation.objects.unscoped(reason=SUPERIORS)
            .filter(
                region_id__in=wanted[start : start + 5000],
                kind__in=set(LEADING_KIND_AT_LEVEL.values()),
                is_active=True,
            )
            .order_by("-id")
            .values_list("region_id", "kind", "id")
        )
        for region_id, kind, pk in rows:
            if kind == LEADING_KIND_AT_LEVEL.get(RegionCode(region_id).level):
                found[region_id] = pk  # the lowest id wins (ordered by -id)
    return {
        code: next((found[a] for a in chain if a in found), None)
        for code, chain in chains.items()
        if any(a in found for a in chain)
    }


@dataclass
class SweepResult:
    overdue: int
    escalated: int
    cadence_reminded: int = 0


# A copy under a directive with a progress-report cadence owes a report this often (days since
# its last report, or since it was acknowledged when it has none).
CADENCE_DAYS = {Directive.Cadence.WEEKLY: 7, Directive.Cadence.MONTHLY: 30}


def _cadence_period(cadence: str, today: date) -> str:
    """The reporting period `today` falls in (one reminder per copy and period)."""
    if cadence == Directive.Cadence.WEEKLY:
        year, week, _day = today.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{today:%Y-%m}"


def _remind_cadence(today: date) -> int:
    """定期报告提醒: every working copy of an open directive with a cadence whose last progress
    report (or acknowledgement) is older than the cadence is reminded once per period. One read
    of the late copies (grouped in the database), one notification batch per directive."""
    from datetime import datetime, time, timedelta

    from django.db.models import F, Max
    from django.db.models.functions import Coalesce

    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    owed: dict[tuple[int, str], dict[int, str]] = {}
    titles: dict[int, Directive] = {}
    for cadence, days in CADENCE_DAYS.items():
        rows = (
            DirectiveTarget.objects.unscoped(reason=SWEEP)
            .filter(
                directive__status=Directive.Status.OPEN,
                directive__cadence=cadence,
                status__in=(S.ACKNOWLEDGED, S.IN_PROGRESS),
            )
            .annotate(last=Coalesce(Max("reports__reported_at"), F("acknowledged_at")))
            .filter(last__lt=start_of_today - timedelta(days=days - 1))
            .values_list("directive_id", "unit_id", "region_code")
        )
        for directive_id, unit_id, region_code in rows:
            owed.setdefault((directive_id, cadence), {})[unit_id] = region_code
    if owed:
        titles = Directive.objects.unscoped(reason=SWEEP).in_bulk({d for d, _c in owed})
    for (directive_id, cadence), units in owed.items():
        directive = titles[directive_id]
        notify_units(
            units,
            directive=directive,
            kind=Notification.Kind.DIRECTIVE_REMINDED,
            key=f"directive:{directive_id}:cadence:{_cadence_period(cadence, today)}",
            params={
                "unit": _("请按%(cadence)s报送进展") % {"cadence": directive.get_cadence_display()}
            },
        )
    return sum(len(units) for units in owed.values())


@transaction.atomic
def directive_sweep(*, today: date | None = None) -> SweepResult:
    """The daily sweep: mark the copies not acknowledged or not completed in time as overdue
    (one UPDATE), and escalate those newly overdue: a reminder to the copy's unit, and a notice
    to the unit that sent it and to the unit's superior (the nearest leading unit above it).
    Copies that owe a periodic progress report (the directive's cadence) are reminded once per
    week or month."""
    today = today or timezone.localdate()
    base = DirectiveTarget.objects.unscoped(reason=SWEEP).filter(
        directive__status=Directive.Status.OPEN
    )
    late = Q(status=S.RECEIVED, ack_due__lt=today) | Q(
        status__in=(S.RECEIVED, *WORKING), due_date__lt=today
    )
    overdue = base.filter(late).filter(overdue=False).update(overdue=True)
    fresh = list(
        base.filter(late, escalated_on__isnull=True)
        .select_related("directive", "unit")
        .order_by("directive_id", "region_code")
    )
    cadence_reminded = _remind_cadence(today)
    if not fresh:
        return SweepResult(overdue=overdue, escalated=0, cadence_reminded=cadence_reminded)
    base.filter(late, escalated_on__isnull=True).update(escalated_on=today)
    superiors = _superiors({t.region_code for t in fresh})
    # One notification batch per directive: the late units, their senders and superiors.
    by_directive: dict[int, list[DirectiveTarget]] = {}
    for target in fresh:
        by_directive.setdefault(target.directive_id, []).append(target)
    for targets in by_directive.values():
        directive = targets[0].directive
        late_units = {t.unit_id: t.region_code for t in targets}
        told: dict[int, str] = {}
        for t in targets:
            told.setdefault(t.sender_id, t.region_code)
            sup = superiors.get(t.region_code)
            if sup is not None and sup != t.unit_id:
                told.setdefault(sup, t.region_code)
        notify_units(
            late_units,
            directive=directive,
            kind=Notification.Kind.DIRECTIVE_OVERDUE,
            key=f"directive:{directive.pk}:overdue:{today}",
            params={"unit": _("本单位")},
        )
        names = "、".join(t.unit.name for t in targets[:5]) + ("等" if len(targets) > 5 else "")
        notify_units(
            told,
            directive=directive,
            kind=Notification.Kind.DIRECTIVE_OVERDUE,
            key=f"directive:{directive.pk}:overdue-escalated:{today}",
            params={"unit": names},
        )
        event(
            directive,
            "overdue",
            note=_("逾期未签收或未办结：%(names)s") % {"names": names},
            region_code=directive.issuer_region_code,
        )
    return SweepResult(overdue=overdue, escalated=len(fresh), cadence_reminded=cadence_reminded)

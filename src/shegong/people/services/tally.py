"""The residents' summary rows (people.ResidentTally), refreshed by the scheduler.

The home page and the statistics page of a province or of the country read a handful of these
rows instead of grouping every resident; they show the time of the refresh ("统计截至…"). One
refresh is three GROUP BYs at township level (residents, category memberships, overdue plans);
every higher level is summed from those in Python, and the new rows replace the old ones in one
transaction, so a reader sees either the old set or the new one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from shegong.people.models import (
    TALLY_DEPTHS,
    Resident,
    ResidentCategory,
    ResidentStatus,
    ResidentTally,
    TallyKind,
    VisitPlan,
    child_cutoff,
    padded,
)

WHOLE_COUNTRY = (
    "The nightly summary counts every resident, category membership and visit plan of the "
    "country; only counts per region leave, and each reader reads its own through visible_to."
)

TOWNSHIP = max(TALLY_DEPTHS)


def tally_refresh(*, now: datetime | None = None) -> int:
    """Count residents per region afresh and replace the summary rows; returns the rows written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cutoff = child_cutoff(today)
    township = Substr("region_id", 1, TOWNSHIP)
    counts: dict[tuple[str, str, str, bool], int] = defaultdict(int)
    residents = (
        Resident.objects.unscoped(reason=WHOLE_COUNTRY)
        .filter(status=ResidentStatus.ACTIVE)
        .annotate(
            t=township,
            adult=ExpressionWrapper(Q(birth_date__lte=cutoff), output_field=BooleanField()),
        )
        .values_list("t", "sex", "risk_level", "adult")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for prefix, sex, risk, adult, n in residents:
        counts[(prefix, TallyKind.SEX, sex, bool(adult))] += n
        counts[(prefix, TallyKind.RISK, risk, bool(adult))] += n
    links = (
        ResidentCategory.objects.unscoped(reason=WHOLE_COUNTRY)
        .annotate(t=Substr("region_code", 1, TOWNSHIP), code=F("category__code"))
        .values_list("t", "code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for prefix, code, n in links:
        counts[(prefix, TallyKind.CATEGORY, code, True)] += n
    overdue = (
        VisitPlan.objects.unscoped(reason=WHOLE_COUNTRY)
        .filter(is_active=True, next_due_date__lt=today)
        .annotate(t=Substr("region_code", 1, TOWNSHIP))
        .values_list("t")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for prefix, n in overdue:
        counts[(prefix, TallyKind.OVERDUE, "", True)] += n
    # The country always has its rows, so "never refreshed" and "nobody registered" differ.
    counts[("", TallyKind.OVERDUE, "", True)] += 0
    rolled: dict[tuple[int, str, str, str, bool], int] = defaultdict(int)
    for (prefix, kind, key, adult), n in counts.items():
        for depth in TALLY_DEPTHS:
            if depth <= len(prefix):
                rolled[(depth, prefix[:depth], kind, key, adult)] += n
    rows = [
        ResidentTally(
            region_code=padded(prefix),
            depth=depth,
            kind=kind,
            key=key or "",
            adult=adult,
            n=n,
            as_of=now,
        )
        for (depth, prefix, kind, key, adult), n in rolled.items()
    ]
    with transaction.atomic():
        ResidentTally.objects.unscoped(reason=WHOLE_COUNTRY).delete()
        ResidentTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)

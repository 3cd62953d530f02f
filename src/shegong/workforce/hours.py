"""Continuing-education hours of a registration period, read from the ledger (HoursCredit).

One registration's progress (`progress_of`) and a whole list's (`with_progress`, one SQL
statement: two correlated sums on the ledger's (worker, credited_on) index) apply the same rule
(rules.credited_total): courses and approved external hours count in full, mentoring up to its
cap (a share of the requirement, a setting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from shegong.workforce import rules
from shegong.workforce.models import HoursCredit, Registration

LEDGER = "A registration's own worker's ledger rows (the registration was read in scope)."
HOURS = DecimalField(max_digits=9, decimal_places=1)
ZERO = Value(Decimal(0), output_field=HOURS)


@dataclass(frozen=True)
class Progress:
    level: str
    required: Decimal
    courses: Decimal  # courses and approved external hours
    mentoring: Decimal  # mentoring hours in the period (before the cap)
    credited: Decimal  # what counts
    needed: Decimal  # still needed
    due: date  # by when (the registration's last day)

    @property
    def mentoring_counted(self) -> Decimal:
        return self.credited - self.courses


def period_sums(worker_id: int, start: date, end: date) -> tuple[Decimal, Decimal]:
    rows = (
        HoursCredit.objects.unscoped(reason=LEDGER)
        .filter(worker_id=worker_id, credited_on__gte=start, credited_on__lte=end)
        .values("source")
        .annotate(total=Sum("hours"))
    )
    courses, mentoring = Decimal(0), Decimal(0)
    for row in rows:
        if row["source"] == HoursCredit.Source.MENTORING:
            mentoring += row["total"]
        else:
            courses += row["total"]
    return courses, mentoring


def progress(level: str, *, courses: Decimal, mentoring: Decimal, due: date) -> Progress:
    credited = rules.credited_total(level, courses_and_external=courses, mentoring=mentoring)
    return Progress(
        level=level,
        required=rules.ce_required(level),
        courses=courses,
        mentoring=mentoring,
        credited=credited,
        needed=rules.hours_needed(level, credited),
        due=due,
    )


def progress_of(registration: Registration) -> Progress:
    courses, mentoring = period_sums(
        registration.worker_id, registration.valid_from, registration.valid_until
    )
    return progress(
        registration.level, courses=courses, mentoring=mentoring, due=registration.valid_until
    )


def _ledger_sum(mentoring: bool) -> Subquery:
    rows = HoursCredit.objects.unscoped(reason=LEDGER).filter(
        worker_id=OuterRef("worker_id"),
        credited_on__gte=OuterRef("valid_from"),
        credited_on__lte=OuterRef("valid_until"),
    )
    rows = (
        rows.filter(source=HoursCredit.Source.MENTORING)
        if mentoring
        else rows.exclude(source=HoursCredit.Source.MENTORING)
    )
    return Subquery(
        rows.order_by().values("worker_id").annotate(s=Sum("hours")).values("s")[:1],
        output_field=HOURS,
    )


def _by_level(values: dict[str, Decimal]) -> Case:
    return Case(
        *[When(level=lv, then=Value(v, output_field=HOURS)) for lv, v in values.items()],
        output_field=HOURS,
    )


def with_progress(registrations: QuerySet) -> QuerySet:
    """Annotate `ce_courses`, `ce_mentoring`, `ce_credited`, `ce_required`, `ce_needed`."""
    caps = {lv: rules.mentoring_cap(lv) for lv in rules.LEVEL_ORDER}
    return (
        registrations.annotate(
            ce_courses=Coalesce(_ledger_sum(False), ZERO, output_field=HOURS),
            ce_mentoring=Coalesce(_ledger_sum(True), ZERO, output_field=HOURS),
            ce_required=_by_level(dict(rules.CE_HOURS)),
        )
        .annotate(
            ce_credited=F("ce_courses") + Least(F("ce_mentoring"), _by_level(caps)),
        )
        .annotate(ce_needed=Greatest(F("ce_required") - F("ce_credited"), ZERO))
    )

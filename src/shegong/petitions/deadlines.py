"""Statutory periods (信访工作条例 2022) on the working-day calendar, and the set-based sweep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from shegong.petitions.models import DeadlineSetting, Matter, MatterEvent, SweepRun
from shegong.petitions.workflow import OPEN_STATUSES, STAGE_OF_STATUS, Status
from shegong.workdays import obligations
from shegong.workdays.calendar import WorkCalendar, current
from shegong.workdays.models import DayRule

SWEEP = (
    "A background sweep over every open matter in the country (deadline recomputation, "
    "the nightly overdue sweep), run as the system."
)

# key: (label, days, rule, order) — the defaults seeded by the migration.
DEFAULTS = {
    "register": ("登记转送（收到之日起）", 15, DayRule.CALENDAR, 10),
    "accept": ("告知受理（收到交办之日起）", 15, DayRule.CALENDAR, 20),
    "objection": ("异议（收到交办之日起）", 5, DayRule.WORKING, 30),
    "reply": ("办理并出具处理意见书（受理之日起）", 60, DayRule.CALENDAR, 40),
    "extension": ("延期上限（只可延长一次）", 30, DayRule.CALENDAR, 50),
    "review_request": ("申请复查（收到处理意见书之日起）", 30, DayRule.CALENDAR, 60),
    "review_answer": ("复查答复（收到申请之日起）", 30, DayRule.CALENDAR, 70),
    "rereview_request": ("申请复核（收到复查意见之日起）", 30, DayRule.CALENDAR, 80),
    "rereview_answer": ("复核答复（收到申请之日起，不含听证时间）", 30, DayRule.CALENDAR, 90),
    "mediation": ("调解期限", 30, DayRule.CALENDAR, 100),
    "followup": ("办结后回访", 7, DayRule.CALENDAR, 110),
    "reminder": ("期限届满前提醒（天）", 3, DayRule.CALENDAR, 120),
    # Local time limits of 12345 hotline work orders by urgency (as many 12345 centres set
    # them: same day for the most urgent, 3 and 13 working days for the others).
    "hotline_critical": ("12345 热线工单时限：特急（当日办结）", 0, DayRule.WORKING, 130),
    "hotline_urgent": ("12345 热线工单时限：紧急", 3, DayRule.WORKING, 140),
    "hotline_normal": ("12345 热线工单时限：一般", 13, DayRule.WORKING, 150),
    "rating_review": ("不满意评价督导复核", 5, DayRule.WORKING, 160),
}
# The 30 days of 人民调解法 Art. 33 are fixed by law, not a setting.
CONFIRMATION_DAYS = 30
STAGED_STATUSES = tuple(STAGE_OF_STATUS)


def setting(key: str) -> tuple[int, str]:
    row = DeadlineSetting.objects.filter(key=key).values_list("days", "day_rule").first()
    if row is None:
        _label, days, rule, _order = DEFAULTS[key]
        return days, str(rule)
    return row


def period(key: str, start: date, *, calendar: WorkCalendar | None = None, extra: int = 0):
    days, rule = setting(key)
    return (calendar or current()).add(start, days + extra, rule)


def set_stage(
    matter: Matter, stage: str | None, start: date | None, *, calendar: WorkCalendar | None = None
) -> None:
    """Start the clock of `stage` on `start` (or stop it). The caller saves the matter."""
    if not stage:
        matter.due_stage, matter.due_from, matter.due_days, matter.due_rule = "", None, None, ""
        matter.due_date, matter.due_provisional, matter.is_overdue = None, False, False
        matter.overdue_since = None
        return
    days, rule = setting(stage)
    days += matter.extended_days if stage == "reply" else 0
    matter.due_stage, matter.due_days, matter.due_rule = stage, days, rule
    obligations.obligation_set(matter, "matter_due", start, calendar=calendar)
    # A new or moved deadline is not overdue until the sweep says so (and writes the event).
    matter.is_overdue, matter.overdue_since = False, None


DUE_FIELDS = [
    "due_stage",
    "due_from",
    "due_days",
    "due_rule",
    "due_date",
    "due_provisional",
    "is_overdue",
    "overdue_since",
]


def recompute_provisional(*, calendar: WorkCalendar | None = None) -> int:
    """Recompute every open provisional handling deadline (the `matter_due` obligation)."""
    return obligations.recompute(obligations.get("matter_due"), calendar or WorkCalendar.load())


def clear_moved_overdue() -> int:
    """A deadline that moved later may no longer be overdue."""
    today = timezone.localdate()
    return (
        Matter.objects.unscoped(reason=SWEEP)
        .filter(status__in=OPEN_STATUSES, is_overdue=True, due_date__gte=today)
        .update(is_overdue=False, overdue_since=None)
    )


def hotline_period(urgency: str) -> tuple[int, str]:
    key = f"hotline_{urgency}"
    return setting(key if key in DEFAULTS else "hotline_normal")


def register_obligations() -> None:
    """Declare the petitions app's dated obligations (workdays.obligations)."""
    from shegong.petitions.models import Assignment

    open_matter = Q(status__in=OPEN_STATUSES)
    for obligation in (
        obligations.DatedObligation(
            key="matter_due",
            model="petitions.Matter",
            start="due_from",
            due="due_date",
            provisional="due_provisional",
            terms=("due_days", "due_rule"),
            period=lambda days, rule: (days, rule),
            open=open_matter,
            reason=SWEEP,
            after=clear_moved_overdue,
        ),
        obligations.DatedObligation(
            key="matter_objection",
            model="petitions.Matter",
            start="assigned_on",
            due="objection_due",
            provisional="objection_due_provisional",
            period=lambda: setting("objection"),
            open=Q(status=Status.ASSIGNED, objection_due__isnull=False),
            reason=SWEEP,
        ),
        obligations.DatedObligation(
            key="assignment_objection",
            model="petitions.Assignment",
            start="assigned_on",
            due="objection_due",
            provisional="objection_due_provisional",
            period=lambda: setting("objection"),
            open=Q(outcome=Assignment.Outcome.PENDING),
        ),
        obligations.DatedObligation(
            key="matter_followup",
            model="petitions.Matter",
            start="closed_on",
            due="followup_due",
            provisional="followup_due_provisional",
            period=lambda: setting("followup"),
            open=Q(followed_up_on__isnull=True, followup_due__isnull=False),
            reason=SWEEP,
        ),
        obligations.DatedObligation(
            key="matter_hotline",
            model="petitions.Matter",
            start="received_on",
            due="hotline_due",
            provisional="hotline_due_provisional",
            terms=("urgency",),
            period=hotline_period,
            open=open_matter & Q(hotline_due__isnull=False),
            reason=SWEEP,
        ),
        obligations.DatedObligation(
            key="mediation",
            model="petitions.Mediation",
            start="started_on",
            due="due_date",
            provisional="due_provisional",
            period=lambda: setting("mediation"),
            # Every mediation, ended ones too: their page shows the period they had.
        ),
        obligations.DatedObligation(
            key="court_confirmation",
            model="petitions.MediationAgreement",
            start="signed_on",
            due="confirmation_deadline",
            provisional="confirmation_deadline_provisional",
            period=lambda: (CONFIRMATION_DAYS, DayRule.CALENDAR),
        ),
        obligations.DatedObligation(
            key="rating_review",
            model="petitions.RatingReview",
            start="opened_on",
            due="due_date",
            provisional="due_provisional",
            period=lambda: setting("rating_review"),
            open=Q(closed_on__isnull=True),
            reason=SWEEP,
        ),
    ):
        obligations.register(obligation)


@dataclass
class SweepResult:
    overdue: int
    reminded: int


def _insert_events(
    where_sql: str,
    params: list,
    *,
    action: str,
    label: str,
    note_prefix: str,
    due_column: str = "due_date",
):
    """INSERT INTO timeline SELECT … FROM matters WHERE … (one statement for all matters)."""
    m = Matter._meta.db_table
    e = MatterEvent._meta.db_table
    sql = (
        f"INSERT INTO {e} (matter_id, at, action, label, actor_name, org_name, from_status, "  # noqa: S608
        f"to_status, note, is_public) "
        f"SELECT id, %s, %s, %s, %s, '', status, status, %s || CAST({due_column} AS TEXT), %s "
        f"FROM {m} WHERE {where_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), action, label, "系统", note_prefix, False, *params])
        return cursor.rowcount


def _open_sql() -> str:
    """`status IN ('registered', …)` written exactly as the partial index `matter_open_due`
    declares it (constants, not parameters), so SQLite and PostgreSQL both match the index."""
    return "status IN (" + ", ".join(f"'{s}'" for s in STAGED_STATUSES) + ")"


@transaction.atomic
def deadline_sweep(*, today: date | None = None) -> SweepResult:
    """Mark overdue matters (they escalate to the next level's list) and remind the handling
    unit 3 days before a deadline. A constant number of statements, whatever the volume:

    - overdue: INSERT the timeline events … SELECT the newly overdue matters, then UPDATE the
      same rows' flag (in place: no index names the flag);
    - reminders: INSERT the events … SELECT the matters whose deadline entered the 3-day horizon
      since the previous run (`SweepRun`), so nothing per matter needs to be written.
    """
    today = today or timezone.localdate()
    lead, _rule = setting("reminder")
    previous = (
        SweepRun.objects.filter(day__lte=today)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    # Deadlines that entered [today, today + lead] since the previous run's horizon.
    window_low = previous + timedelta(days=lead + 1) if previous else today
    window_high = today + timedelta(days=lead)
    table = Matter._meta.db_table
    open_sql = _open_sql()

    overdue_where = f"{open_sql} AND due_date < %s AND is_overdue = %s"
    _insert_events(
        overdue_where, [today, False], action="overdue", label="超期", note_prefix="已超过期限 "
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET is_overdue = %s, overdue_since = %s WHERE {overdue_where}",  # noqa: S608
            [True, today, today, False],
        )
        overdue = cursor.rowcount
    reminded = 0
    if window_low <= window_high:
        reminded = _insert_events(
            f"{open_sql} AND due_date >= %s AND due_date <= %s",
            [max(window_low, today), window_high],
            action="reminder",
            label="到期提醒",
            note_prefix="期限将至 ",
        )
        # Follow-ups (回访) due within the same window get the same reminder.
        reminded += _insert_events(
            "status = %s AND followed_up_on IS NULL AND followup_due >= %s AND followup_due <= %s",
            [Status.CLOSED, max(window_low, today), window_high],
            action="reminder",
            label="回访提醒",
            note_prefix="回访期限将至 ",
            due_column="followup_due",
        )
    SweepRun.objects.create(day=today, overdue=overdue, reminded=reminded)
    return SweepResult(overdue=overdue, reminded=reminded)

"""Shifts and their sign-ups: seats taken, the waiting list, and the inputs of matching."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from shegong.accounts.models import User
from shegong.volunteers import matching
from shegong.volunteers.models import (
    Activity,
    ServiceRecord,
    Shift,
    SignUp,
    Volunteer,
)

HOLDS_SEAT = (SignUp.Status.ACCEPTED,)

OWN_ROWS = (
    "Rows of a team, activity or volunteer the caller already read through its scope (or "
    "the signed-in volunteer's own record, sign-ups, records and certifying "
    "organisations)."
)


def seats_taken(shift: Shift) -> int:
    return (
        SignUp.objects.unscoped(reason=OWN_ROWS).filter(shift=shift, status__in=HOLDS_SEAT).count()
    )


def waitlist_position(signup: SignUp) -> int:
    return (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(shift_id=signup.shift_id, status=SignUp.Status.WAITLISTED)
        .filter(
            Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, id__lte=signup.id)
        )
        .count()
    )


def shifts_with_signups(activity: Activity) -> list[dict]:
    shifts = list(activity.shifts.all().order_by("starts_at", "id"))
    signups = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(shift__activity=activity)
        .select_related("volunteer")
        .order_by("created_at", "id")
    )
    by_shift: dict[int, list[SignUp]] = {s.pk: [] for s in shifts}
    for s in signups:
        by_shift[s.shift_id].append(s)
    records = {
        r.signup_id: r
        for r in ServiceRecord.objects.unscoped(reason=OWN_ROWS).filter(
            activity=activity, signup__isnull=False
        )
    }
    out = []
    for shift in shifts:
        rows = by_shift[shift.pk]
        for row in rows:
            row.service_record = records.get(row.pk)
        accepted = [r for r in rows if r.status == SignUp.Status.ACCEPTED]
        waiting = [r for r in rows if r.status == SignUp.Status.WAITLISTED]
        out.append(
            {
                "shift": shift,
                "signups": rows,
                "accepted": len(accepted),
                "free": max(shift.capacity - len(accepted), 0),
                "waiting": waiting,
                "served": [r for r in rows if r.checked_out_at],
            }
        )
    return out


def candidates_for(
    activity: Activity, *, fetched_by: User, limit: int = 400
) -> list[matching.Candidate]:
    """Active consenting volunteers of the activity's county not yet signed up to it, among
    those the organiser may see (a township's organiser is not shown the rest of the county)."""
    county = activity.region_id[:6]
    taken = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(
            shift__activity=activity,
            status__in=(
                SignUp.Status.ACCEPTED,
                SignUp.Status.PENDING,
                SignUp.Status.WAITLISTED,
                SignUp.Status.INVITED,
            ),
        )
        .values("volunteer_id")
    )
    rows = list(
        Volunteer.objects.visible_to(fetched_by)
        .in_subtree(county)
        .filter(is_active=True)
        .exclude(pk__in=taken)
        .values("id", "skills", "region_id", "availability")
        .order_by("id")[:limit]
    )
    since = timezone.localdate() - timedelta(days=30)
    recent = dict(
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .filter(
            volunteer_id__in=[r["id"] for r in rows],
            service_date__gte=since,
            status=ServiceRecord.Status.CONFIRMED,
        )
        .values_list("volunteer_id")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    return [
        matching.Candidate(
            id=r["id"],
            skills=frozenset(r["skills"] or []),
            region_code=r["region_id"],
            availability=frozenset(r["availability"] or []),
            recent_hours=float(recent.get(r["id"]) or 0),
        )
        for r in rows
    ]


def slot_of(shift: Shift, *, free: int | None = None) -> matching.Slot:
    if free is None:
        taken = shift.signups.filter(status=SignUp.Status.ACCEPTED).count()
        free = max(shift.capacity - taken, 0)
    return matching.Slot(
        id=shift.pk,
        required=frozenset(shift.required_skills or []),
        capacity=free,
        region_code=shift.region_code,
        weekday=timezone.localtime(shift.starts_at).weekday(),
    )

"""Check-in, check-out and service records (服务记录): the hours served, confirmed, corrected and
rated (volunteers.workflow.RECORD); certified hours kept equal to the confirmed records."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.errors import ApplicationError
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.volunteers import rules
from shegong.volunteers.models import (
    ServiceRecord,
    Shift,
    SignUp,
    Volunteer,
)
from shegong.volunteers.services.common import decimal_hours

OWN_ROWS = (
    "Rows of a team, shift, activity, volunteer or record the caller already read through "
    "its scope (or the signed-in volunteer's own), read or locked before they change."
)


@transaction.atomic
def signup_check_in(
    *, signup: SignUp, acting_user: User | None, at: datetime | None = None
) -> SignUp:
    if signup.status != SignUp.Status.ACCEPTED:
        raise ApplicationError(_("只有已录用的志愿者可以签到。"), field="status")
    if signup.checked_in_at is not None:
        raise ApplicationError(_("已签到。"), field="status")
    signup.checked_in_at = at or timezone.now()
    signup._history_user = acting_user
    signup.save(update_fields=["checked_in_at"])
    return signup


@transaction.atomic
def signup_check_out(
    *, signup: SignUp, acting_user: User | None, at: datetime | None = None
) -> ServiceRecord:
    """Check out and write the pending service record with the hours actually served."""
    if signup.checked_in_at is None:
        raise ApplicationError(_("尚未签到，不能签退。"), field="status")
    if signup.checked_out_at is not None:
        raise ApplicationError(_("已签退。"), field="status")
    at = at or timezone.now()
    if at <= signup.checked_in_at:
        raise ApplicationError(_("签退时间应晚于签到时间。"), field="checked_out_at")
    signup.checked_out_at = at
    signup._history_user = acting_user
    signup.save(update_fields=["checked_out_at"])
    shift = signup.shift
    activity = shift.activity
    record = ServiceRecord(
        volunteer_id=signup.volunteer_id,
        activity=activity,
        signup=signup,
        organisation_id=activity.organisation_id,
        region_code=activity.region_id,
        activity_name=activity.title,
        service_date=timezone.localtime(signup.checked_in_at).date(),
        place=activity.address,
        beneficiaries=activity.beneficiaries,
        content=activity.get_service_type_display() + (f"：{shift.title}" if shift.title else ""),
        hours=rules.hours_between(signup.checked_in_at, at),
        source=ServiceRecord.Source.CHECKIN,
        person_in_charge=activity.person_in_charge,
        recorder=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        recorder_name=(
            str(acting_user) if acting_user is not None and acting_user.is_authenticated else ""
        ),
    )
    record._history_user = acting_user
    record.save()
    return record


def code_window(shift: Shift) -> tuple[datetime, datetime]:
    """A shift's code works only while the shift runs."""
    return shift.starts_at, shift.ends_at


@transaction.atomic
def check_in_out_by_code(*, volunteer: Volunteer, code: str, now: datetime | None = None):
    """The volunteer enters the shift code on site: first time checks in, second checks out."""
    now = now or timezone.now()
    code = (code or "").strip()
    signups = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .select_related("shift__activity")
        .filter(volunteer=volunteer, status=SignUp.Status.ACCEPTED, shift__checkin_code=code)
        .order_by("shift__starts_at")
    )
    for signup in signups:
        start, end = code_window(signup.shift)
        if not start <= now <= end:
            continue
        if signup.checked_in_at is None:
            return signup_check_in(signup=signup, acting_user=volunteer.user, at=now)
        if signup.checked_out_at is None:
            return signup_check_out(signup=signup, acting_user=volunteer.user, at=now)
        raise ApplicationError(_("您已完成本班次的签到和签退。"), field="code")
    raise ApplicationError(_("签到码无效，或不在班次时间内。"), field="code")


def recompute_certified_hours(volunteer_ids) -> None:
    """Cumulative certified hours = the sum of confirmed records (set-based)."""
    ids = list(set(volunteer_ids))
    totals = dict(
        ServiceRecord.objects.unscoped(reason=OWN_ROWS)
        .confirmed()
        .filter(volunteer_id__in=ids)
        .values_list("volunteer_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    for vid in ids:
        Volunteer.objects.unscoped(reason=OWN_ROWS).filter(pk=vid).update(
            certified_hours=totals.get(vid) or Decimal("0")
        )


@transaction.atomic
def record_confirm(*, record: ServiceRecord, acting_user: User) -> ServiceRecord:
    if record.status != ServiceRecord.Status.PENDING:
        raise ApplicationError(_("只有待确认的记录可以确认。"), field="status")
    ensure_in_jurisdiction(acting_user, record.region_code)
    record.status = ServiceRecord.Status.CONFIRMED
    record.confirmed_at = timezone.now()
    if not record.recorder_id:
        record.recorder = acting_user
        record.recorder_name = str(acting_user)
    record._history_user = acting_user
    record.save(update_fields=["status", "confirmed_at", "recorder", "recorder_name", "updated_at"])
    recompute_certified_hours([record.volunteer_id])
    return record


@transaction.atomic
def record_correct(
    *, record: ServiceRecord, acting_user: User, hours, reason: str
) -> ServiceRecord:
    """Correct the hours; the original stays in the history with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("更正时长请填写原因。")})
    if record.status == ServiceRecord.Status.VOID:
        raise ApplicationError(_("已作废的记录不能更正。"), field="status")
    ensure_in_jurisdiction(acting_user, record.region_code)
    new_hours = decimal_hours(hours)
    if new_hours == record.hours:
        raise ValidationError({"hours": _("新时长与原时长相同。")})
    record.hours = new_hours
    record._history_user = acting_user
    record._change_reason = reason
    record.save(update_fields=["hours", "updated_at"])
    recompute_certified_hours([record.volunteer_id])
    return record


@transaction.atomic
def record_set_rating(*, record: ServiceRecord, acting_user: User, rating: int) -> ServiceRecord:
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"quality_rating": _("评价为 1 到 5 星。")})
    record.quality_rating = int(rating)
    record._history_user = acting_user
    record.save(update_fields=["quality_rating", "updated_at"])
    return record

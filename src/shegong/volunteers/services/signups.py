"""Sign-ups (报名) and the waiting list: accepted up to capacity, then waitlisted; a freed seat
goes to the first waiting (volunteers.workflow.SIGNUP); invitations and reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.errors import ApplicationError
from shegong.volunteers.models import (
    Activity,
    Notice,
    Shift,
    SignUp,
    Volunteer,
)
from shegong.volunteers.selectors import (
    seats_taken,
    waitlist_position,
)

DAILY_SWEEP = (
    "The evening reminder sweep over tomorrow's accepted sign-ups in the country (a "
    "scheduled task, run as the system); each volunteer is told only of their own."
)

OWN_ROWS = (
    "Rows of a team, shift, activity, volunteer or record the caller already read through "
    "its scope (or the signed-in volunteer's own), read or locked before they change."
)


def _lock_shift(shift: Shift) -> Shift:
    return (
        Shift.objects.unscoped(reason=OWN_ROWS)
        .select_for_update()
        .select_related("activity")
        .get(pk=shift.pk)
    )


@transaction.atomic
def signup_create(*, shift: Shift, volunteer: Volunteer, acting_user: User | None = None) -> SignUp:
    """Accept up to capacity (or hold for approval), then put the next ones on the waiting list."""
    shift = _lock_shift(shift)
    activity = shift.activity
    if activity.status != Activity.Status.PUBLISHED:
        raise ApplicationError(_("该活动未在报名中。"), field="shift")
    if shift.ends_at <= timezone.now():
        raise ApplicationError(_("该班次已结束，不能报名。"), field="shift")
    if not volunteer.is_active:
        raise ApplicationError(_("该志愿者已不在册。"), field="volunteer")
    existing = (
        SignUp.objects.unscoped(reason=OWN_ROWS).filter(shift=shift, volunteer=volunteer).first()
    )
    if existing is not None and existing.status not in (
        SignUp.Status.WITHDRAWN,
        SignUp.Status.INVITED,
    ):
        raise ApplicationError(_("您已报名该班次。"), field="shift")
    if not activity.auto_accept:
        status = SignUp.Status.PENDING
    elif seats_taken(shift) < shift.capacity:
        status = SignUp.Status.ACCEPTED
    else:
        status = SignUp.Status.WAITLISTED
    signup = existing or SignUp(shift=shift, volunteer=volunteer, region_code=shift.region_code)
    signup.status = status
    signup.created_at = timezone.now()
    signup.decided_at = timezone.now() if status != SignUp.Status.PENDING else None
    signup._history_user = acting_user
    signup.save()
    if status == SignUp.Status.WAITLISTED:
        Notice.objects.create(
            volunteer=volunteer,
            text=_("「%(t)s」名额已满，您已进入候补名单，第 %(n)d 位。")
            % {"t": activity.title, "n": waitlist_position(signup)},
        )
    return signup


def _promote_waiting(shift: Shift, acting_user: User | None) -> SignUp | None:
    if seats_taken(shift) >= shift.capacity:
        return None
    nxt = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .select_for_update()
        .filter(shift=shift, status=SignUp.Status.WAITLISTED)
        .order_by("created_at", "id")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = SignUp.Status.ACCEPTED
    nxt.decided_at = timezone.now()
    nxt._history_user = acting_user
    nxt._change_reason = _("候补递补")
    nxt.save(update_fields=["status", "decided_at"])
    Notice.objects.create(
        volunteer_id=nxt.volunteer_id,
        text=_("候补递补成功：您已被录用参加「%(t)s」。") % {"t": shift.activity.title},
    )
    return nxt


@transaction.atomic
def signup_withdraw(*, signup: SignUp, acting_user: User | None = None) -> SignUp | None:
    """Withdraw; a freed seat goes to the first on the waiting list. Returns who moved up."""
    shift = _lock_shift(signup.shift)
    signup.refresh_from_db()
    if signup.status in (SignUp.Status.WITHDRAWN, SignUp.Status.REJECTED):
        raise ApplicationError(_("该报名已退出或未录用。"), field="status")
    if signup.checked_in_at is not None:
        raise ApplicationError(_("已签到的报名不能退出。"), field="status")
    signup.status = SignUp.Status.WITHDRAWN
    signup.decided_at = timezone.now()
    signup._history_user = acting_user
    signup.save(update_fields=["status", "decided_at"])
    return _promote_waiting(shift, acting_user)


@transaction.atomic
def signup_decide(*, signup: SignUp, acting_user: User, accept: bool) -> SignUp:
    """Approve (up to capacity, else waiting list) or reject a pending sign-up."""
    shift = _lock_shift(signup.shift)
    signup.refresh_from_db()
    if signup.status != SignUp.Status.PENDING:
        raise ApplicationError(_("只有待审核的报名可以审核。"), field="status")
    if not accept:
        signup.status = SignUp.Status.REJECTED
    elif seats_taken(shift) < shift.capacity:
        signup.status = SignUp.Status.ACCEPTED
    else:
        signup.status = SignUp.Status.WAITLISTED
    signup.decided_at = timezone.now()
    signup._history_user = acting_user
    signup.save(update_fields=["status", "decided_at"])
    return signup


def signup_accept(*, signup: SignUp, acting_user: User) -> SignUp:
    """Approve a pending sign-up: a seat if one is free, else the waiting list."""
    return signup_decide(signup=signup, acting_user=acting_user, accept=True)


def signup_reject(*, signup: SignUp, acting_user: User) -> SignUp:
    return signup_decide(signup=signup, acting_user=acting_user, accept=False)


@transaction.atomic
def signup_invite(*, shift: Shift, volunteer: Volunteer, acting_user: User) -> SignUp:
    """An organiser invites a suggested volunteer; the volunteer accepts by signing up."""
    signup, created = SignUp.objects.unscoped(reason=OWN_ROWS).get_or_create(
        shift=shift,
        volunteer=volunteer,
        defaults={"region_code": shift.region_code, "status": SignUp.Status.INVITED},
    )
    if not created:
        raise ApplicationError(_("该志愿者已报名或已被邀请。"), field="volunteer")
    Notice.objects.create(
        volunteer=volunteer,
        text=_("您被邀请参加「%(t)s」（%(d)s），请在门户报名。")
        % {
            "t": shift.activity.title,
            "d": timezone.localtime(shift.starts_at).strftime("%m-%d %H:%M"),
        },
    )
    return signup


def proposal_invite(*, pairs: list[tuple[Volunteer, Shift]], acting_user: User) -> int:
    """Invite the chosen pairs of an assignment proposal; a volunteer already signed up or
    invited is passed over. Returns how many were invited."""
    made = 0
    for volunteer, shift in pairs:
        try:
            with transaction.atomic():
                signup_invite(shift=shift, volunteer=volunteer, acting_user=acting_user)
        except ApplicationError:
            continue
        made += 1
    return made


def reminders_send(*, day: date | None = None) -> int:
    """Remind accepted volunteers of tomorrow's shifts (once each). Returns how many."""
    day = day or timezone.localdate() + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    end = start + timedelta(days=1)
    due = list(
        SignUp.objects.unscoped(reason=DAILY_SWEEP)
        .select_related("shift__activity")
        .filter(
            status=SignUp.Status.ACCEPTED,
            reminded_at__isnull=True,
            shift__starts_at__gte=start,
            shift__starts_at__lt=end,
        )
        .order_by("id")[:5000]
    )
    if not due:
        return 0
    with transaction.atomic():
        Notice.objects.bulk_create(
            Notice(
                volunteer_id=s.volunteer_id,
                text=_("提醒：您明天 %(t)s 参加「%(a)s」，地点：%(p)s。")
                % {
                    "t": timezone.localtime(s.shift.starts_at).strftime("%H:%M"),
                    "a": s.shift.activity.title,
                    "p": s.shift.activity.address,
                },
            )
            for s in due
        )
        SignUp.objects.unscoped(reason=DAILY_SWEEP).filter(pk__in=[s.pk for s in due]).update(
            reminded_at=timezone.now()
        )
    return len(due)

"""Sign-ups: automatic acceptance up to capacity, the waiting list, approval, reminders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shegong.core.errors import ApplicationError
from shegong.volunteers import selectors, services
from shegong.volunteers.models import Notice, SignUp
from tests.volunteers.helpers import make_activity, make_volunteer

pytestmark = pytest.mark.django_db


def test_full_shift_puts_next_on_waiting_list_and_withdrawal_moves_first_in(county_user):
    activity = make_activity(county_user, capacity=2)
    shift = activity.shifts.get()
    a, b, c, d = (make_volunteer() for _ in range(4))
    s_a = services.signup_create(shift=shift, volunteer=a)
    s_b = services.signup_create(shift=shift, volunteer=b)
    s_c = services.signup_create(shift=shift, volunteer=c)
    s_d = services.signup_create(shift=shift, volunteer=d)
    assert [s.status for s in (s_a, s_b, s_c, s_d)] == [
        "accepted",
        "accepted",
        "waitlisted",
        "waitlisted",
    ]
    assert selectors.waitlist_position(s_d) == 2
    assert Notice.objects.filter(volunteer=c, text__contains="候补").exists()

    moved = services.signup_withdraw(signup=s_a)

    assert moved.pk == s_c.pk
    s_c.refresh_from_db()
    s_d.refresh_from_db()
    assert s_c.status == SignUp.Status.ACCEPTED
    assert s_d.status == SignUp.Status.WAITLISTED
    assert selectors.waitlist_position(s_d) == 1
    assert Notice.objects.filter(volunteer=c, text__contains="递补成功").exists()
    assert selectors.seats_taken(shift) == 2


def test_withdrawing_a_waiting_signup_moves_nobody_in(county_user):
    shift = make_activity(county_user, capacity=1).shifts.get()
    a, b = make_volunteer(), make_volunteer()
    services.signup_create(shift=shift, volunteer=a)
    s_b = services.signup_create(shift=shift, volunteer=b)
    assert services.signup_withdraw(signup=s_b) is None
    assert selectors.seats_taken(shift) == 1


def test_withdrawn_volunteer_can_sign_up_again_at_the_end_of_the_queue(county_user):
    shift = make_activity(county_user, capacity=1).shifts.get()
    a, b = make_volunteer(), make_volunteer()
    s_a = services.signup_create(shift=shift, volunteer=a)
    services.signup_create(shift=shift, volunteer=b)
    services.signup_withdraw(signup=s_a)
    again = services.signup_create(shift=shift, volunteer=a)
    assert again.pk == s_a.pk
    assert again.status == SignUp.Status.WAITLISTED


def test_double_signup_is_refused(county_user):
    shift = make_activity(county_user).shifts.get()
    v = make_volunteer()
    services.signup_create(shift=shift, volunteer=v)
    with pytest.raises(ApplicationError, match="已报名"):
        services.signup_create(shift=shift, volunteer=v)


def test_unpublished_activity_takes_no_signups(county_user):
    shift = make_activity(county_user, publish=False).shifts.get()
    with pytest.raises(ApplicationError, match="未在报名中"):
        services.signup_create(shift=shift, volunteer=make_volunteer())


def test_approval_mode_holds_signups_until_decided_then_fills_up(county_user):
    shift = make_activity(county_user, capacity=1, auto_accept=False).shifts.get()
    a, b = make_volunteer(), make_volunteer()
    s_a = services.signup_create(shift=shift, volunteer=a)
    s_b = services.signup_create(shift=shift, volunteer=b)
    assert s_a.status == s_b.status == SignUp.Status.PENDING
    assert (
        services.signup_decide(signup=s_a, acting_user=county_user, accept=True).status
        == "accepted"
    )
    assert (
        services.signup_decide(signup=s_b, acting_user=county_user, accept=True).status
        == "waitlisted"
    )


def test_reminders_go_out_once_the_day_before(county_user):
    tomorrow = timezone.localtime() + timedelta(days=1)
    start = tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)
    shift = make_activity(county_user, start=start).shifts.get()
    v = make_volunteer()
    services.signup_create(shift=shift, volunteer=v)
    from shegong.volunteers.tasks import send_shift_reminders

    result = send_shift_reminders.enqueue(tomorrow.date().isoformat())
    assert result.return_value == 1
    assert Notice.objects.filter(volunteer=v, text__startswith="提醒").count() == 1
    assert services.reminders_send(day=tomorrow.date()) == 0

"""Another county cannot see or change this county's volunteers, activities or records."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shegong.volunteers import selectors, services
from shegong.volunteers.models import ServiceRecord, SignUp
from tests.volunteers.helpers import make_activity, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def tianhe_data(county_user):
    v = make_volunteer(name="天河志愿者", by=county_user)
    activity = make_activity(county_user, start=timezone.now() - timedelta(hours=1))
    shift = activity.shifts.get()
    signup = services.signup_create(shift=shift, volunteer=v)
    services.signup_check_in(signup=signup, acting_user=county_user, at=shift.starts_at)
    record = services.signup_check_out(
        signup=signup, acting_user=county_user, at=shift.starts_at + timedelta(hours=2)
    )
    return {
        "volunteer": v,
        "activity": activity,
        "shift": shift,
        "signup": signup,
        "record": record,
    }


def test_lists_of_another_county_leave_out_this_countys_rows(
    tianhe_data, county_user, other_county_user
):
    assert selectors.volunteer_list(fetched_by=county_user).count() == 1
    assert selectors.volunteer_list(fetched_by=other_county_user).count() == 0
    assert selectors.activity_list(fetched_by=other_county_user).count() == 0
    assert selectors.record_list(fetched_by=other_county_user).count() == 0


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("volunteers:detail", "volunteer"),
        ("volunteers:activity", "activity"),
        ("volunteers:record", "record"),
        ("volunteers:suggest", "shift"),
        ("volunteers:assign", "activity"),
    ],
)
def test_pages_of_this_countys_rows_are_404_for_another_county(
    tianhe_data, other_county_user, county_user, login, name, key
):
    url = reverse(name, args=[tianhe_data[key].pk])
    assert login(other_county_user).get(url).status_code == 404
    assert login(county_user).get(url).status_code == 200


def test_another_county_cannot_change_records_signups_or_reveal(
    tianhe_data, other_county_user, login
):
    client = login(other_county_user)
    record = tianhe_data["record"]
    assert client.post(reverse("volunteers:record_confirm", args=[record.pk])).status_code == 404
    assert (
        client.post(
            reverse("volunteers:record", args=[record.pk]), {"hours": "9", "reason": "篡改"}
        ).status_code
        == 404
    )
    signup = tianhe_data["signup"]
    assert (
        client.post(reverse("volunteers:signup_action", args=[signup.pk, "withdraw"])).status_code
        == 404
    )
    assert (
        client.post(reverse("volunteers:reveal", args=[tianhe_data["volunteer"].pk])).status_code
        == 404
    )
    record.refresh_from_db()
    signup.refresh_from_db()
    assert record.status == ServiceRecord.Status.PENDING and record.hours == 2
    assert signup.status == SignUp.Status.ACCEPTED


def test_api_is_scoped_too(tianhe_data, other_county_user, county_user, login):
    client = login(other_county_user)
    assert client.get("/api/v1/volunteers/volunteers").json()["count"] == 0
    assert (
        client.get(f"/api/v1/volunteers/activities/{tianhe_data['activity'].pk}").status_code == 404
    )
    resp = client.post(f"/api/v1/volunteers/records/{tianhe_data['record'].pk}/confirm")
    assert resp.status_code == 404
    own = login(county_user)
    assert own.get("/api/v1/volunteers/volunteers").json()["count"] == 1


def test_service_refuses_registering_a_volunteer_outside_the_jurisdiction(other_county_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        make_volunteer(region="440106001001", by=other_county_user)
    assert "region" in exc.value.message_dict


def test_a_volunteer_login_sees_only_their_own_page(tianhe_data, make_member, login):
    user = make_member("volunteer", "440106001000", kind="sw_station")
    client = login(user)
    assert client.get(reverse("volunteers:list")).status_code == 403
    # not linked to a volunteer record: nothing to show
    assert client.get(reverse("volunteers:me")).status_code == 404
    v = tianhe_data["volunteer"]
    v.user = user
    v.save(update_fields=["user"])
    page = client.get(reverse("volunteers:me"))
    assert page.status_code == 200
    assert "天河志愿者" in page.content.decode()

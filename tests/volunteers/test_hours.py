"""Hours from check-in/out, confirmation, corrections kept in history, star levels."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from shegong.core.errors import ApplicationError
from shegong.core.history import history_of
from shegong.volunteers import rules, services
from shegong.volunteers.models import ServiceRecord
from tests.volunteers.helpers import make_activity, make_volunteer


@pytest.mark.parametrize(
    ("hours", "stars"),
    [
        ("0", 0),
        ("99.99", 0),
        ("100", 1),
        ("299.99", 1),
        ("300", 2),
        ("599.99", 2),
        ("600", 3),
        ("999.99", 3),
        ("1000", 4),
        ("1499.99", 4),
        ("1500", 5),
        ("20000", 5),
    ],
)
def test_star_level_changes_exactly_at_the_thresholds(hours, stars):
    assert rules.star_level(Decimal(hours)) == stars


@override_settings(SHEGONG_VOLUNTEER_STAR_THRESHOLDS=(10, 20, 30, 40, 50))
def test_star_thresholds_are_configurable():
    assert rules.star_level(Decimal("9.99")) == 0
    assert rules.star_level(Decimal("10")) == 1
    assert rules.star_level(Decimal("50")) == 5


def _served(user, volunteer, minutes: int):
    start = timezone.now() - timedelta(hours=2)
    activity = make_activity(user, capacity=3, start=start)
    shift = activity.shifts.get()
    s = services.signup_create(shift=shift, volunteer=volunteer)
    services.signup_check_in(signup=s, acting_user=user, at=shift.starts_at)
    return services.signup_check_out(
        signup=s, acting_user=user, at=shift.starts_at + timedelta(minutes=minutes)
    )


@pytest.mark.django_db
def test_checkout_writes_pending_record_and_confirmation_certifies_hours(county_user):
    v = make_volunteer()
    record = _served(county_user, v, 150)
    assert record.hours == Decimal("2.50")
    assert record.status == ServiceRecord.Status.PENDING
    v.refresh_from_db()
    assert v.certified_hours == 0  # not certified until the organiser confirms
    services.record_confirm(record=record, acting_user=county_user)
    v.refresh_from_db()
    assert v.certified_hours == Decimal("2.50")


@pytest.mark.django_db
def test_star_level_of_a_volunteer_follows_confirmed_hours(county_user):
    v = make_volunteer()
    record = _served(county_user, v, 60)
    services.record_confirm(record=record, acting_user=county_user)
    services.record_correct(record=record, acting_user=county_user, hours="24", reason="补录")
    ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(
                volunteer=v,
                organisation=record.organisation,
                region_code=record.region_code,
                activity_name="历史服务",
                service_date=record.service_date,
                hours=Decimal("19"),
                status=ServiceRecord.Status.CONFIRMED,
                source=ServiceRecord.Source.IMPORT,
            )
            for _ in range(4)
        ]
    )
    services.recompute_certified_hours([v.pk])
    v.refresh_from_db()
    assert v.certified_hours == Decimal("100")
    assert v.star_level == 1
    services.record_correct(record=record, acting_user=county_user, hours="23.99", reason="核减")
    v.refresh_from_db()
    assert v.certified_hours == Decimal("99.99")
    assert v.star_level == 0


@pytest.mark.django_db
def test_corrected_hours_keep_the_original_in_history_with_the_reason(county_user):
    v = make_volunteer()
    record = _served(county_user, v, 180)
    services.record_confirm(record=record, acting_user=county_user)
    services.record_correct(
        record=record, acting_user=county_user, hours="2.5", reason="扣除往返路程 30 分钟"
    )
    record.refresh_from_db()
    assert record.hours == Decimal("2.50")
    entry = history_of(record)[0]
    assert entry.reason == "扣除往返路程 30 分钟"
    change = next(c for c in entry.changes if c.field == "hours")
    assert change.old == Decimal("3.00")
    assert change.new == Decimal("2.50")
    assert entry.user == county_user
    v.refresh_from_db()
    assert v.certified_hours == Decimal("2.50")


@pytest.mark.django_db
def test_correction_needs_a_reason(county_user):
    record = _served(county_user, make_volunteer(), 60)
    with pytest.raises(ValidationError) as exc:
        services.record_correct(record=record, acting_user=county_user, hours="2", reason=" ")
    assert "reason" in exc.value.message_dict


@pytest.mark.django_db
def test_code_checks_in_and_out_only_during_the_shift(county_user):
    v = make_volunteer()
    start = timezone.now() - timedelta(hours=1)
    shift = make_activity(county_user, start=start).shifts.get()
    services.signup_create(shift=shift, volunteer=v)
    with pytest.raises(ApplicationError):
        services.check_in_out_by_code(
            volunteer=v, code=shift.checkin_code, now=start - timedelta(minutes=1)
        )
    with pytest.raises(ApplicationError):
        services.check_in_out_by_code(
            volunteer=v, code="000000" if shift.checkin_code != "000000" else "111111", now=start
        )
    signup = services.check_in_out_by_code(
        volunteer=v, code=shift.checkin_code, now=start + timedelta(minutes=5)
    )
    assert signup.checked_in_at is not None
    record = services.check_in_out_by_code(
        volunteer=v, code=shift.checkin_code, now=start + timedelta(minutes=125)
    )
    assert record.hours == Decimal("2.00")
    with pytest.raises(ApplicationError):
        services.check_in_out_by_code(
            volunteer=v, code=shift.checkin_code, now=shift.ends_at + timedelta(minutes=1)
        )


@pytest.mark.django_db
def test_organiser_rates_the_service_quality(county_user, login):
    from django.urls import reverse

    record = _served(county_user, make_volunteer(), 60)
    client = login(county_user)
    client.post(reverse("volunteers:record", args=[record.pk]), {"quality_rating": "4"})
    record.refresh_from_db()
    assert record.quality_rating == 4
    page = client.post(
        reverse("volunteers:record", args=[record.pk]), {"quality_rating": "9"}, follow=True
    )
    assert "1 到 5" in page.content.decode()
    record.refresh_from_db()
    assert record.quality_rating == 4

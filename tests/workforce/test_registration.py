"""Registration and continuing education (Done-when 1): valid 3 years, first registration within
a year of the certificate, renewal on 72 / 90 hours, mentoring counted up to its cap, a lapse."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shegong.inbox.models import Notification
from shegong.workforce import hours, rules, selectors, services
from shegong.workforce.models import HoursCredit, Registration
from tests.workforce.helpers import make_worker

pytestmark = pytest.mark.django_db


def _credit(worker, on, h, source=HoursCredit.Source.COURSE):
    HoursCredit.objects.create(
        worker=worker,
        region_code=worker.region_code,
        credited_on=on,
        hours=Decimal(h),
        source=source,
        kind="theory",
    )


def test_rules_valid_three_years_and_requirements():
    assert rules.valid_until(date(2024, 3, 1)) == date(2027, 2, 28)
    assert rules.valid_until(date(2024, 2, 29)) == date(2027, 2, 27)
    assert rules.ce_required("assistant") == 72
    assert rules.ce_required("social_worker") == 90
    assert rules.ce_required("senior") == 90
    assert rules.first_registration_deadline(date(2025, 6, 1)) == date(2026, 6, 1)


def test_first_registration_within_a_year_needs_no_hours(county_user):
    w = make_worker(county_user, level="assistant", issued=date.today() - timedelta(days=365))
    cert = w.certificates.get()
    reg = services.registration_record(
        certificate=cert, acting_user=county_user, registered_on=date.today()
    )
    assert reg.valid_until == rules.valid_until(date.today())
    assert reg.kind == Registration.Kind.FIRST


def test_first_registration_a_day_late_needs_three_years_of_hours(county_user):
    issued = date.today() - timedelta(days=366)
    w = make_worker(county_user, level="assistant", issued=issued)
    cert = w.certificates.get()
    with pytest.raises(ValidationError) as exc:
        services.registration_record(
            certificate=cert, acting_user=county_user, registered_on=date.today()
        )
    assert "尚缺 72" in str(exc.value)
    _credit(w, date.today() - timedelta(days=30), "72")
    reg = services.registration_record(
        certificate=cert, acting_user=county_user, registered_on=date.today()
    )
    assert reg.status == Registration.Status.ACTIVE


def _registered(by, level, start):
    w = make_worker(by, level=level, issued=start)
    reg = services.registration_record(
        certificate=w.certificates.get(), acting_user=by, registered_on=start
    )
    return w, reg


@pytest.mark.parametrize(
    "level,required", [("assistant", 72), ("social_worker", 90), ("senior", 90)]
)
def test_renewal_at_and_below_the_required_hours(county_user, level, required):
    start = date.today() - timedelta(days=3 * 365 - 30)
    w, reg = _registered(county_user, level, start)
    _credit(w, start + timedelta(days=10), str(required - 1))
    with pytest.raises(ValidationError) as exc:
        services.registration_renew(registration=reg, acting_user=county_user)
    assert "尚缺 1" in str(exc.value)
    _credit(w, start + timedelta(days=20), "0.5")
    with pytest.raises(ValidationError):
        services.registration_renew(registration=reg, acting_user=county_user)
    _credit(w, start + timedelta(days=30), "0.5")
    renewed = services.registration_renew(registration=reg, acting_user=county_user)
    assert renewed.valid_from == reg.valid_until + timedelta(days=1)
    assert renewed.valid_until == rules.valid_until(renewed.valid_from)
    assert renewed.hours_at_renewal == required
    reg.refresh_from_db()
    assert reg.status == Registration.Status.RENEWED


def test_hours_outside_the_period_do_not_count(county_user):
    start = date.today() - timedelta(days=400)
    w, reg = _registered(county_user, "assistant", start)
    _credit(w, start - timedelta(days=1), "72")  # the day before the period
    assert hours.progress_of(reg).needed == 72


def test_mentoring_counts_up_to_its_cap(county_user):
    start = date.today() - timedelta(days=100)
    w, reg = _registered(county_user, "social_worker", start)
    _credit(w, start + timedelta(days=1), "40", HoursCredit.Source.MENTORING)
    _credit(w, start + timedelta(days=2), "50")
    found = hours.progress_of(reg)
    assert rules.mentoring_cap("social_worker") == 30
    assert found.credited == 80 and found.needed == 10
    # the list's SQL applies the same rule
    row = selectors.worker_registrations(fetched_by=county_user, worker=w).get()
    assert row.ce_credited == 80 and row.ce_needed == 10


def test_a_lapse_the_sweep_marks_and_lists_and_renewal_is_refused(county_user):
    start = date.today() - timedelta(days=3 * 365 + 10)
    w, reg = _registered(county_user, "assistant", start)
    assert reg.valid_until < date.today()
    assert services.registrations_sweep()["lapsed"] == 1
    reg.refresh_from_db()
    assert reg.status == Registration.Status.LAPSED
    assert list(selectors.registrations_lapsed(fetched_by=county_user)) == [reg]
    with pytest.raises(ValidationError):
        services.registration_renew(registration=reg, acting_user=county_user)
    # registering again needs the last three years' hours
    with pytest.raises(ValidationError):
        services.registration_record(
            certificate=reg.certificate, acting_user=county_user, registered_on=date.today()
        )


def test_the_sweep_notifies_those_at_risk(county_user, other_county_user):
    start = date.today() - timedelta(days=3 * 365 - 60)  # ends in about two months
    w, reg = _registered(county_user, "assistant", start)
    _credit(w, start + timedelta(days=5), "50")
    at_risk = list(selectors.registrations_at_risk(fetched_by=county_user))
    assert at_risk == [reg] and at_risk[0].ce_needed == 22
    assert list(selectors.registrations_at_risk(fetched_by=other_county_user)) == []
    # the county department's staff are told (county_user is 天河区委社会工作部 staff)
    assert services.registrations_sweep()["notified"] == 1
    note = Notification.objects.get(recipient=county_user)
    assert "尚缺继续教育 22 学时" in note.title
    assert services.registrations_sweep()["notified"] == 0  # once
    _credit(w, start + timedelta(days=6), "22")
    assert list(selectors.registrations_at_risk(fetched_by=county_user)) == []

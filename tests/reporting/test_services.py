"""The reporting services: validation rules name the field and the rule, the approval chain
goes township → county → city → province, approved figures are locked, reopening is the last
approver's, completeness and timeliness count set-based."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shegong.reporting import selectors, services
from shegong.reporting.rules import check, parse_right
from tests.reporting.conftest import PERIOD, fill

pytestmark = pytest.mark.django_db


def test_rule_of_which_not_above_total_names_the_field_and_the_rule(chain):
    worker = chain.stations[0]
    s = fill(chain, worker, {"served": "10", "women": "12"}, submit=False)
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(submission=s, acting_user=worker)
    message = exc.value.message_dict["women"][0]
    assert "其中女性服务人次" in message and "其中数不大于总数" in message
    s.refresh_from_db()
    assert s.status == "draft"


def test_required_and_bounds_are_reported_per_element(chain):
    worker = chain.stations[0]
    s = fill(chain, worker, {"women": "1", "rate": "120"}, submit=False)
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(submission=s, acting_user=worker)
    errors = exc.value.message_dict
    assert "必填" in errors["served"][0]
    assert "最大值" in errors["rate"][0]


def test_a_value_of_the_wrong_kind_is_refused_on_save(chain):
    worker = chain.stations[0]
    s = services.submission_open(acting_user=worker, form=chain.form, period_start=PERIOD)
    with pytest.raises(ValidationError) as exc:
        services.submission_values_save(acting_user=worker, submission=s, values={"served": "1.5"})
    assert "整数" in exc.value.message_dict["served"][0]


def test_rules_are_parsed_not_evaluated():
    assert parse_right("a + b+c") == ["a", "b", "c"]
    for bad in ("__import__('os')", "a*b", "a + ", "a;b"):
        with pytest.raises(ValueError):
            parse_right(bad)
    assert check([], [], {}) == {}


def test_prefill_from_the_platform_own_data(chain):
    s = services.submission_open(
        acting_user=chain.stations[0], form=chain.form, period_start=PERIOD
    )
    grid = {
        r.element.code: r for r in selectors.fill_grid(fetched_by=chain.stations[0], submission=s)
    }
    assert grid["visits"].prefilled == Decimal(0)
    assert grid["visits"].value == Decimal(0)
    assert grid["served"].prefilled is None


def test_the_chain_up_to_the_province_and_the_lock(chain):
    worker = chain.stations[0]
    s = fill(chain, worker, {"served": "10", "women": "4"})
    assert s.status == "submitted"
    assert s.reviewer_id == chain.county.active_membership.organisation_id
    # The station cannot change figures under review.
    with pytest.raises(ValidationError, match="正在审核"):
        services.submission_values_save(acting_user=worker, submission=s, values={"served": "11"})
    # Only the current reviewer approves.
    with pytest.raises(ValidationError):
        services.submission_forward(submission=s, acting_user=chain.city)
    services.submission_forward(submission=s, acting_user=chain.county, note="")
    s.refresh_from_db()
    assert (s.status, s.locked, s.approved_level) == ("reviewing", True, 3)
    assert s.reviewer_id == chain.city.active_membership.organisation_id
    with pytest.raises(ValidationError, match="已锁定"):
        services.submission_values_save(acting_user=worker, submission=s, values={"served": "11"})
    services.submission_forward(submission=s, acting_user=chain.city)
    s.refresh_from_db()
    assert s.reviewer_id == chain.province.active_membership.organisation_id
    # The province's is the last approval: forwarding is refused, approving taken.
    with pytest.raises(ValidationError):
        services.submission_forward(submission=s, acting_user=chain.province)
    services.submission_approve(submission=s, acting_user=chain.province)
    s.refresh_from_db()
    assert (s.status, s.locked, s.approved_level, s.reviewer_id) == ("approved", True, 1, None)
    assert [c.action for c in s.status_changes.all()] == ["submit", "forward", "forward", "approve"]


def test_return_needs_a_comment_and_opens_the_figures(chain):
    worker = chain.stations[0]
    s = fill(chain, worker, {"served": "10", "women": "4"})
    with pytest.raises(ValidationError):
        services.submission_return(submission=s, acting_user=chain.county, note=" ")
    services.submission_return(submission=s, acting_user=chain.county, note="女性人次偏低，请核对")
    s.refresh_from_db()
    assert s.status == "returned" and not s.locked
    assert s.status_changes.last().note == "女性人次偏低，请核对"
    services.submission_values_save(acting_user=worker, submission=s, values={"women": "5"})
    services.submission_submit(submission=s, acting_user=worker)
    s.refresh_from_db()
    assert s.status == "submitted"


def test_reopen_only_by_the_approver_with_the_reason_in_the_history(chain):
    worker = chain.stations[0]
    s = fill(chain, worker, {"served": "10", "women": "4"})
    services.submission_forward(submission=s, acting_user=chain.county)
    s.refresh_from_db()
    # Another leader of the same county department is not the approver.
    with pytest.raises(ValidationError, match="审核通过该报表的人"):
        services.submission_reopen(submission=s, acting_user=chain.city, note="想改")
    services.submission_reopen(submission=s, acting_user=chain.county, note="服务人次漏报")
    s.refresh_from_db()
    assert s.status == "returned" and not s.locked
    assert s.history.first().history_change_reason.endswith("服务人次漏报")
    services.submission_values_save(acting_user=worker, submission=s, values={"served": "12"})


def test_completeness_timeliness_and_aggregate_by_level(chain):
    a, b = chain.stations
    s1 = fill(chain, a, {"served": "10", "women": "4"}, today=date(2026, 11, 5))
    fill(chain, b, {"served": "7", "women": "3"}, today=date(2026, 11, 20))  # late
    province = chain.province
    r = selectors.completeness(fetched_by=province, form=chain.form, period_start=PERIOD)
    assert r.prefix == "44"  # the province's own subtree, by city
    assert r.total.expected == 3  # two 天河 stations and one 英德 station
    assert (r.total.received, r.total.timely) == (2, 1)
    by = {row.prefix: row for row in r.rows}
    assert (by["4401"].expected, by["4401"].received, by["4418"].received) == (2, 2, 0)
    assert by["4401"].completeness == 1.0 and by["4401"].timeliness == 0.5
    # Aggregates sum approved figures only; the received ones are pending.
    agg = selectors.aggregate(
        fetched_by=province, form=chain.form, period_start=PERIOD, prefix="44"
    )
    served = next(e for e in agg.elements if e.code == "served").pk
    assert agg.total.sums.get(served) is None and agg.total.pending == 2
    services.submission_forward(submission=s1, acting_user=chain.county)
    agg = selectors.aggregate(
        fetched_by=province, form=chain.form, period_start=PERIOD, prefix="44"
    )
    assert agg.total.sums[served] == Decimal(10) and agg.total.approved == 1


def test_a_county_sees_its_stations_only(chain):
    fill(chain, chain.stations[0], {"served": "10", "women": "4"})
    fill(chain, chain.other_station, {"served": "3", "women": "1"})
    seen = lambda u: set(  # noqa: E731
        selectors.submission_list(fetched_by=u).values_list("region_code", flat=True)
    )
    assert all(c.startswith("440106") for c in seen(chain.county))
    assert all(c.startswith("441881") for c in seen(chain.other_county))
    assert len(seen(chain.province)) == 2
    # The county's roll-up cannot be widened past its jurisdiction.
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.aggregate(
            fetched_by=chain.county, form=chain.form, period_start=PERIOD, prefix="441881"
        )


def test_a_unit_outside_the_subtree_does_not_fill(chain):
    city_form = services.form_create(
        acting_user=chain.city,
        department=chain.city.active_membership.organisation,
        name="广州月报",
    )
    with pytest.raises(ValidationError):
        services.submission_open(
            acting_user=chain.other_station, form=city_form, period_start=PERIOD
        )


def test_an_unfinished_period_cannot_be_filled(chain):
    with pytest.raises(ValidationError, match="尚未结束"):
        services.submission_open(
            acting_user=chain.stations[0],
            form=chain.form,
            period_start=date(2026, 12, 1),
            today=date(2026, 12, 6),
        )


def test_due_date_is_a_dated_obligation(chain):
    s = services.submission_open(
        acting_user=chain.stations[0], form=chain.form, period_start=PERIOD
    )
    # October ends on the 31st; ten calendar days later, moved off a rest day if need be.
    assert s.period_end == date(2026, 10, 31)
    assert s.due_date >= date(2026, 11, 10)
    from shegong.workdays.obligations import get

    assert get("reporting_due").model == "reporting.Submission"


def test_late_submission_is_not_timely(chain):
    s = fill(chain, chain.stations[0], {"served": "3", "women": "1"}, today=date(2026, 12, 1))
    assert s.status == "submitted" and s.on_time is False


def test_the_reviewer_is_told_of_a_report_to_review_and_the_station_of_a_return(
    chain, django_capture_on_commit_callbacks
):
    from shegong.inbox.models import Notification

    def told(user) -> list[tuple[str, str]]:
        return list(
            Notification.objects.unscoped(reason="test")
            .filter(recipient=user)
            .order_by("pk")
            .values_list("kind", "region_code")
        )

    worker = chain.stations[0]
    with django_capture_on_commit_callbacks(execute=True):
        s = fill(chain, worker, {"served": "10", "women": "4"})
    county_unit = chain.county.active_membership.organisation
    assert told(chain.county) == [("report_to_review", county_unit.region_id)]
    assert told(worker) == [] and told(chain.city) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(submission=s, acting_user=chain.county, note="请核对女性人次")
    station = worker.active_membership.organisation
    assert told(worker) == [("report_returned", station.region_id)]
    note = Notification.objects.unscoped(reason="test").get(recipient=worker)
    assert "请核对女性人次" in note.title and "社工站服务月报" in note.title
    # the other county's people hear nothing of it
    assert told(chain.other_county) == [] and told(chain.other_station) == []

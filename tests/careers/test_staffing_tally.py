"""The workforce summary rows (careers.StaffingTally): the staffing roll-up of the country, a
province and a city read them and give exactly what counting live gives; counties and townships
are always counted live; a year the summary does not hold, or no summary at all, is counted
live; the page says when the figures were counted."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from shegong.careers import selectors
from shegong.careers.models import StaffingTally
from shegong.careers.services import staffing_tally_refresh
from tests.careers.factories import make_worker
from tests.factories import OrganisationFactory

NIGHT = datetime(2026, 12, 7, 0, 40, tzinfo=ZoneInfo("Asia/Shanghai"))
FIGURES = (
    "key", "name", "drill", "stations", "standard_posts", "station_filled", "in_post", "certified",
    "joiners", "leavers", "at_start", "retained", "paid", "below_guidance",
)  # fmt: skip


def _snapshot(rollup):
    rows = sorted(
        (tuple(getattr(r, f) for f in FIGURES), r.pay_average and round(r.pay_average, 2))
        for r in rollup.rows
    )
    total = tuple(getattr(rollup.total, f) for f in FIGURES[3:])
    return rows, total, sorted(rollup.leave_reasons)


@pytest.fixture
def nation(make_member):
    return make_member("dept_leader", "000000000000", name="中央社会工作部")


@pytest.mark.django_db
def test_the_summary_gives_what_counting_live_gives_at_every_level_above_the_county(
    guangdong, nation
):
    province, _tianhe, yingde, _w = guangdong
    views = [
        (nation, ""),
        (province, ""),
        (province, "440100000000"),
        (province, "441800000000"),
        (yingde, ""),
    ]
    live = [selectors.staffing_rollup(fetched_by=u, region_code=r, year=2026) for u, r in views]
    assert all(rollup.as_of is None for rollup in live)
    assert staffing_tally_refresh(now=NIGHT) > 0
    for (user, region), before in zip(views, live, strict=True):
        after = selectors.staffing_rollup(fetched_by=user, region_code=region, year=2026)
        expect_summary = after.level <= 2
        assert (after.as_of is not None) == expect_summary, (region, after.level)
        assert _snapshot(after) == _snapshot(before), region
    top = selectors.staffing_rollup(fetched_by=province, year=2026)
    # The hand count of test_staffing, now read from the summary rows.
    assert top.total.in_post == 6 and top.total.certified == 3
    assert (top.total.paid, top.total.pay_average, top.total.below_guidance) == (2, 5250, 1)
    assert dict(top.leave_reasons) == {"薪酬偏低": 1, "家庭原因": 1}


@pytest.mark.django_db
def test_the_summary_is_as_of_its_count_and_counties_stay_live(guangdong):
    province, _tianhe, _yingde, _w = guangdong
    staffing_tally_refresh(now=NIGHT)
    station = OrganisationFactory(
        name="石牌街道社工站二", kind="sw_station", region_id="440106002000"
    )
    make_worker(station, name="壬", certified="senior")
    top = selectors.staffing_rollup(fetched_by=province, year=2026)
    assert top.total.in_post == 6  # as counted last night, and says so
    assert "2026-12-07 00:40" in top.as_of_hint
    county = selectors.staffing_rollup(fetched_by=province, region_code="440106000000", year=2026)
    assert county.as_of is None and county.total.in_post == 5
    staffing_tally_refresh(now=NIGHT)
    assert selectors.staffing_rollup(fetched_by=province, year=2026).total.in_post == 7


@pytest.mark.django_db
def test_a_year_the_summary_does_not_hold_is_counted_live(guangdong):
    province, _tianhe, _yingde, _w = guangdong
    staffing_tally_refresh(now=NIGHT)
    years = set(StaffingTally.objects.values_list("year", flat=True))
    assert years == {2022, 2023, 2024, 2025, 2026}
    old = selectors.staffing_rollup(fetched_by=province, year=2019)
    assert old.as_of is None and old.total.in_post == 6


@pytest.mark.django_db
def test_a_provincial_roll_up_from_the_summary_takes_a_constant_number_of_queries(
    guangdong, django_assert_max_num_queries
):
    province, _tianhe, _yingde, w = guangdong
    staffing_tally_refresh(now=NIGHT)
    with django_assert_max_num_queries(8) as small:
        selectors.staffing_rollup(fetched_by=province, year=2026)
    for n in range(30):
        make_worker(w["a"].employer, name=f"癸{n}", post_start_date=date(2024, 1, 1))
    staffing_tally_refresh(now=NIGHT)
    with django_assert_max_num_queries(len(small.captured_queries)):
        rollup = selectors.staffing_rollup(fetched_by=province, year=2026)
    assert rollup.total.in_post == 36


@pytest.mark.django_db
def test_the_page_shows_when_the_figures_were_counted(guangdong, client, login):
    province, tianhe, _yingde, _w = guangdong
    staffing_tally_refresh(now=NIGHT)
    login(province)
    page = client.get("/careers/staffing/?year=2026").content.decode()
    assert 'data-testid="staffing-as-of"' in page and "2026-12-07 00:40" in page
    login(tianhe)
    county = client.get("/careers/staffing/?year=2026").content.decode()
    assert 'data-testid="staffing-as-of"' not in county

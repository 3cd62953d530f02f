"""Each shipped indicator computed on the small world of world.py, against values counted by
hand there (天河, 英德 and Guangdong as their sum; None where the denominator is 0)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shegong.indicators import selectors
from shegong.indicators.models import Indicator
from shegong.indicators.periods import Period
from shegong.indicators.shipped import SHIPPED
from tests.indicators import world

NOV = Period.parse("2026-11")
Q4 = Period.parse("2026-Q4")

# code: (period, 天河, 英德, Guangdong) — from the counts in world.py's docstrings.
EXPECTED = {
    "visit_on_time_rate": (NOV, "33.33", "50.00", "40.00"),  # 1/3, 1/2, 2/5
    "elderly_visit_rate": (NOV, "66.67", "50.00", "60.00"),  # 2/3, 1/2, 3/5
    "visits_per_plan": (NOV, "1.00", "0.50", "0.80"),  # 3/3, 1/2, 4/5
    "visit_plan_coverage": (NOV, "100.00", "100.00", "100.00"),  # 3/3, 2/2, 5/5
    "low_income_share": (NOV, "40.00", "0.00", "28.57"),  # 2/5, 0/2, 2/7
    "elderly_alone": (NOV, "2.00", "1.00", "3.00"),  # 1+1+0, 1, 3
    "children_in_care": (NOV, None, "1.00", "1.00"),  # nothing in 天河, 1, 1
    "disabled_per_10k": (NOV, "2000.00", "0.00", "1428.57"),  # 1/5, 0/2, 1/7 per 10,000
    "matters_closed_on_time_rate": (NOV, "66.67", "100.00", "75.00"),  # 2/3, 1/1, 3/4
    "matters_replied_in_time_rate": (NOV, "50.00", "100.00", "66.67"),  # 1/2, 1/1, 2/3
    "satisfaction_rate": (NOV, "33.33", "100.00", "50.00"),  # 1/3, 1/1, 2/4
    "satisfaction_basic_rate": (NOV, "66.67", "100.00", "75.00"),  # 2/3, 1/1, 3/4
    "repeat_petition_rate": (NOV, "50.00", "0.00", "40.00"),  # 2/4, 0/1, 2/5
    "matters_closure_rate": (NOV, "75.00", "100.00", "80.00"),  # 3/4, 1/1, 4/5
    "matters_overdue_rate": (NOV, "25.00", "0.00", "20.00"),  # 1/4, 0/1, 1/5
    "volunteer_hours_per_volunteer": (NOV, "2.75", "4.00", "3.17"),  # 5.5/2, 4/1, 9.5/3
    "active_volunteer_rate": (NOV, "50.00", "100.00", "66.67"),  # 1/2, 1/1, 2/3
    "stations_staffed_rate": (NOV, "50.00", "100.00", "66.67"),  # 1/2, 1/1, 2/3
    "workers_per_station": (NOV, "2.50", "2.00", "2.33"),  # 5/2, 2/1, 7/3
    "funds_disbursed_rate": (Q4, "25.00", "100.00", "33.33"),  # 1000/4000, 500/500, 1500/4500
    "funds_confirmed_rate": (Q4, "0.00", "100.00", "33.33"),  # 0/1000, 500/500, 500/1500
    "donations_used_rate": (Q4, "26.67", None, "26.67"),  # 800/3000, nothing, 800/3000
    "case_task_on_time_rate": (NOV, "33.33", "100.00", "50.00"),  # 1/3, 1/1, 2/4
    "case_closure_rate": (Q4, "66.67", "0.00", "50.00"),  # 2/3, 0/1, 2/4
}


def _two(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def test_every_shipped_indicator_has_a_hand_count():
    assert {row[0] for row in SHIPPED} == set(EXPECTED)
    assert len(EXPECTED) >= 20


@pytest.fixture
def built(db):
    world.build()


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_shipped_indicator_by_hand(built, code):
    period, tianhe, yingde, guangdong = EXPECTED[code]
    indicator = Indicator.objects.get(code=code)
    assert period.type in indicator.periods
    counties = selectors.compute(indicator, "44", 6, period)
    empty = selectors.Figure(Decimal(0), Decimal(0) if indicator.denominator else None)
    total = selectors.Figure(Decimal(0), Decimal(0) if indicator.denominator else None)
    for figure in counties.values():
        total.add(figure)

    def shown(prefix):
        figure = counties.get(prefix, empty)
        if not indicator.denominator and prefix not in counties:
            return None
        return _two(selectors.value_of(indicator, figure))

    assert shown("440106") == tianhe
    assert shown("441881") == yingde
    assert _two(selectors.value_of(indicator, total)) == guangdong


@pytest.mark.django_db
def test_a_table_costs_one_query_per_source(built, django_assert_max_num_queries):
    """Guangdong's children and their total, this period and the previous one: one GROUP BY per
    source and period, plus the region and cache look-ups — not a query per child."""
    from shegong.core.regioncode import RegionCode

    indicator = Indicator.objects.get(code="satisfaction_basic_rate")  # three sources
    with django_assert_max_num_queries(3 * 2 + 6):
        selectors._figures(indicator, RegionCode("440000000000"), NOV, 4)
        selectors._figures(indicator, RegionCode("440000000000"), NOV.previous(), 4)

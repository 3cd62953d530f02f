"""The exam pipeline of a subtree: one query, the rules table as conditions, the same answer as
each profile's own eligibility."""

from __future__ import annotations

from datetime import date

import pytest

from shegong.workforce import rules, selectors
from tests.workforce.helpers import make_worker

pytestmark = pytest.mark.django_db
YEAR = date.today().year


def test_pipeline_counts_agree_with_each_profile(
    county_user, other_county_user, django_assert_num_queries
):
    end = rules.year_end(YEAR)
    workers = [
        # social work bachelor: 2 years (assistant only) and 3 years (social worker)
        make_worker(county_user, start=date(YEAR - 2, 12, 31)),
        make_worker(county_user, start=date(YEAR - 3, 12, 31)),
        make_worker(county_user, start=date(YEAR - 3, 12, 31), level="assistant"),
        # other major bachelor with 1 year: nothing yet
        make_worker(county_user, social_work_major=False, start=date(YEAR - 1, 12, 31)),
        # high school with the assistant certificate and 6 years
        make_worker(
            county_user, education="high_school", start=date(YEAR - 6, 12, 31), level="assistant"
        ),
        # a social worker certified 5 and 4 years before the year's end: senior and not yet
        make_worker(county_user, level="social_worker", issued=date(YEAR - 5, 12, 31)),
        make_worker(county_user, level="social_worker", issued=date(YEAR - 4, 12, 31)),
    ]
    make_worker(other_county_user)  # another county: not counted
    expected = {level: 0 for level in rules.LEVEL_ORDER}
    for w in workers:
        result = rules.exam_eligibility(w, year=YEAR)
        for a in result.answers:
            if a.eligible:
                expected[a.level] += 1
    assert end.year == YEAR
    with django_assert_num_queries(1):
        counts = selectors.exam_pipeline(fetched_by=county_user, year=YEAR)
    assert counts == expected
    assert counts == {"assistant": 2, "social_worker": 3, "senior": 1}

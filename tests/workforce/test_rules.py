"""The qualification rules at and around their boundaries (Done-when 1): exam eligibility by
education, major, years and certificate held; the same table as a database count."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shegong.workforce import rules
from shegong.workforce.models import Education
from shegong.workforce.rules import EXAM_RULES, A, H, S, exam_eligibility

YEAR = 2026


def _facts_for(rule, years: int, *, held: bool = True):
    kw = {
        "year": YEAR,
        "education": rule.education[0],
        "social_work_major": bool(rule.social_work_major),
        "years": years,
    }
    if rule.requires == A and held:
        kw["holds_assistant"] = True
    if rule.requires == S and held:
        kw.update(holds_assistant=True, holds_social_worker=True, years_as_social_worker=years)
        kw["years"] = 20
    return kw


def _answer(result, level):
    return next(a for a in result.answers if a.level == level)


@pytest.mark.parametrize(
    "rule", EXAM_RULES, ids=lambda r: f"{r.level}-{r.education[0]}-{r.social_work_major}-{r.years}"
)
def test_each_rule_at_its_boundary(rule):
    at = exam_eligibility(**_facts_for(rule, rule.years))
    assert _answer(at, rule.level).eligible, at
    assert rule.source
    if rule.years:
        below = exam_eligibility(**_facts_for(rule, rule.years - 1))
        answer = _answer(below, rule.level)
        if rule.level != A or rule.social_work_major is not None or rule.years:
            # one year short of this rule: no other rule of the level lets them in either
            assert not answer.eligible
            assert "1 年" in answer.lacking
    above = exam_eligibility(**_facts_for(rule, rule.years + 1))
    assert _answer(above, rule.level).eligible


def test_social_work_bachelor_two_years_short_three_years_sits_social_worker():
    two = exam_eligibility(year=YEAR, education="bachelor", social_work_major=True, years=2)
    three = exam_eligibility(year=YEAR, education="bachelor", social_work_major=True, years=3)
    assert two.level == A  # the assistant exam needs no years for a social work bachelor
    assert not _answer(two, S).eligible
    assert _answer(two, S).lacking == "还需从事社会工作 1 年"
    assert three.level == S


def test_other_bachelor_with_one_year_may_sit_nothing_and_is_told_why():
    result = exam_eligibility(year=YEAR, education="bachelor", social_work_major=False, years=1)
    assert result.level == ""
    assert result.lacking == "还需从事社会工作 1 年"


def test_high_school_needs_the_assistant_certificate_for_social_worker():
    no_cert = exam_eligibility(year=YEAR, education="high_school", years=10)
    assert no_cert.level == A
    assert "需先取得助理社会工作师证书" in _answer(no_cert, S).lacking
    with_cert = exam_eligibility(year=YEAR, education="high_school", years=6, holds_assistant=True)
    assert with_cert.level == S
    short = exam_eligibility(year=YEAR, education="high_school", years=5, holds_assistant=True)
    assert short.level == ""
    assert short.lacking == "还需从事社会工作 1 年"


def test_senior_needs_bachelor_and_five_years_after_the_social_worker_certificate():
    ok = exam_eligibility(
        year=YEAR, education="master", holds_social_worker=True, years_as_social_worker=5, years=9
    )
    assert ok.level == H
    four = exam_eligibility(
        year=YEAR, education="master", holds_social_worker=True, years_as_social_worker=4, years=9
    )
    assert four.level == ""
    assert "取得社会工作师证书后还需从事社会工作 1 年" in four.lacking
    college = exam_eligibility(
        year=YEAR, education="college", holds_social_worker=True, years_as_social_worker=9, years=20
    )
    assert college.level == ""
    assert "学历需为" in college.lacking


def test_years_count_to_the_end_of_the_exam_year():
    assert rules.full_years(date(2023, 12, 31), rules.year_end(2026)) == 3
    assert rules.full_years(date(2024, 1, 1), rules.year_end(2026)) == 2
    assert rules.cutoff(2026, 3) == date(2023, 12, 31)


@given(
    education=st.sampled_from(Education.values),
    major=st.booleans(),
    years=st.integers(0, 40),
    holds_assistant=st.booleans(),
)
def test_more_years_never_take_eligibility_away(education, major, years, holds_assistant):
    kw = {"year": YEAR, "education": education, "social_work_major": major}
    now = exam_eligibility(years=years, holds_assistant=holds_assistant, **kw)
    later = exam_eligibility(years=years + 1, holds_assistant=holds_assistant, **kw)
    for a in now.answers:
        if a.eligible:
            assert _answer(later, a.level).eligible
    # an answer is eligible exactly when nothing is said to be lacking
    for a in now.answers:
        assert a.eligible == (a.lacking == "")


@given(start=st.dates(date(1990, 1, 1), date(2026, 12, 31)), n=st.integers(0, 10))
def test_full_years_agree_with_the_cutoff(start, n):
    assert (rules.full_years(start, rules.year_end(YEAR)) >= n) == (start <= rules.cutoff(YEAR, n))

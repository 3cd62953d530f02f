"""Figures of the suggestions box: counts by topic and month, by child region, and rising topics
(the petitions hot-spot rule: at least three this week and more than the week before)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shegong.suggestions import selectors

pytestmark = pytest.mark.django_db
PARKING = "小区车位太少，晚上停车难，很多车乱停占用消防通道"
LIBRARY = "社区图书室周末不开放，上班族没时间去看书"


def test_a_topic_rising_this_week_is_alerted(submit, staff):
    today = timezone.localdate()
    for days in (0, 1, 2):
        submit(PARKING, submitted_on=today - timedelta(days=days))
    for days in (8, 9, 10):  # as many last week: not rising
        submit(LIBRARY, submitted_on=today - timedelta(days=days))
    submit(LIBRARY, submitted_on=today)
    rising = selectors.rising_topics(fetched_by=staff["tianhe"], today=today)
    assert [(r.region_name, r.topic, r.this_week, r.last_week) for r in rising] == [
        ("五山街道", "停车", 3, 0)
    ]
    assert selectors.rising_topics(fetched_by=staff["yingde"], today=today) == []


def test_counts_by_topic_month_and_region(submit, staff):
    today = timezone.localdate()
    submit(PARKING, submitted_on=today)
    submit(PARKING, submitted_on=today)
    submit(LIBRARY, submitted_on=today, region="440106002000")
    by_topic = selectors.topic_counts(fetched_by=staff["tianhe"], today=today)
    totals = {row["label"]: row["total"] for row in by_topic["rows"]}
    assert totals == {"停车": 2, "文体活动": 1}
    assert by_topic["rows"][0]["cells"][-1] == 2  # this month
    by_region = {r["name"]: (r["total"], r["top_topic"]) for r in selectors.region_counts(
        fetched_by=staff["tianhe"]
    )}  # fmt: skip
    assert by_region == {"五山街道": (2, "停车"), "员村街道": (1, "文体活动")}
    assert selectors.region_counts(fetched_by=staff["yingde"]) == []

"""Reads of the public's suggestions. Staff reads start from `visible_to` (the one scoping layer);
the portal reads only what is published. Grouping is a GROUP BY over the cluster and topic
stored on write; a jurisdiction of a county or above is read by `county_code`
(`SuggestionQuerySet.in_subtree`), so a county's month is one range of the index
`suggestion_county_month`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, Q
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from shegong.core.regioncode import RegionCode
from shegong.core.scoping import get_visible_or_404, jurisdiction_of
from shegong.regions.selectors import region_names
from shegong.suggestions.models import Suggestion
from shegong.suggestions.topics import TOPICS, label_of

Status = Suggestion.Status
PUBLISHED = "Published answers are public: the portal shows them (anonymised text) to anyone."
CHILD_LEN = {0: 2, 1: 4, 2: 6, 3: 9, 4: 12, 5: 12}


def month_range(month: str) -> tuple[date, date] | None:
    """ "2026-11" → (first day, last day); None for anything else."""
    try:
        year, mon = (int(p) for p in (month or "").split("-"))
        first = date(year, mon, 1)
    except (TypeError, ValueError):
        return None
    following = date(year + (mon == 12), mon % 12 + 1, 1)
    return first, following - timedelta(days=1)


def scoped(*, fetched_by: Any):
    """The suggestions the user may see (from a county up, read by `county_code`: see
    `SuggestionQuerySet`)."""
    return Suggestion.objects.visible_to(fetched_by)


def get_suggestion_for(*, fetched_by: Any, pk: int) -> Suggestion:
    return get_visible_or_404(
        Suggestion.objects.select_related("answering_unit", "matter", "cluster"), fetched_by, pk=pk
    )


def _filtered(qs, *, status: str = "", topic: str = "", month: str = "", region: str = ""):
    if status in Status.values:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topic="" if topic == "none" else topic)
    span = month_range(month)
    if span:
        qs = qs.filter(submitted_on__gte=span[0], submitted_on__lte=span[1])
    if region and region.isdigit() and len(region) <= 12:
        qs = qs.in_subtree(region)
    return qs


def suggestion_list(*, fetched_by: Any, **filters: str):
    return _filtered(scoped(fetched_by=fetched_by), **filters).select_related("answering_unit")


@dataclass
class Group:
    cluster_id: int
    topic: str
    count: int
    waiting: int
    latest: date
    head: Suggestion | None = None

    @property
    def topic_label(self) -> str:
        return label_of(self.topic)


def group_rows(*, fetched_by: Any, **filters: str):
    """Groups of near-duplicates with their topic: one GROUP BY (largest groups first)."""
    return (
        _filtered(scoped(fetched_by=fetched_by), **filters)
        .values("cluster_id", "topic")
        .annotate(
            count=Count("id"),
            waiting=Count("id", filter=Q(status=Status.RECEIVED)),
            latest=Max("submitted_on"),
        )
        .order_by("-count", "-latest", "cluster_id")
    )


def groups_with_heads(*, fetched_by: Any, rows) -> list[Group]:
    """The page's groups with the text of each group's first suggestion (one more query)."""
    groups = [
        Group(r["cluster_id"], r["topic"], r["count"], r["waiting"], r["latest"]) for r in rows
    ]
    heads = scoped(fetched_by=fetched_by).in_bulk([g.cluster_id for g in groups if g.cluster_id])
    for g in groups:
        g.head = heads.get(g.cluster_id)
    return groups


def cluster_members(*, fetched_by: Any, suggestion: Suggestion):
    if not suggestion.cluster_id:
        return Suggestion.objects.none()
    return (
        scoped(fetched_by=fetched_by)
        .filter(cluster_id=suggestion.cluster_id)
        .order_by("submitted_at", "id")
    )


def topic_counts(*, fetched_by: Any, months: int = 6, today: date | None = None) -> dict:
    """Counts by topic and month (the last `months` months): {"months": [...], "rows": [...]}."""
    today = today or timezone.localdate()
    first = date(today.year, today.month, 1)
    for _i in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    rows = (
        scoped(fetched_by=fetched_by)
        .filter(submitted_on__gte=first, submitted_on__lte=today)
        .annotate(month=TruncMonth("submitted_on"))
        .values("month", "topic")
        .annotate(n=Count("id"))
        .order_by()
    )
    table: dict[str, dict[str, int]] = {}
    month_keys: list[str] = []
    d = first
    while d <= today:
        month_keys.append(d.strftime("%Y-%m"))
        d = (d + timedelta(days=32)).replace(day=1)
    for r in rows:
        key = r["month"].strftime("%Y-%m") if r["month"] else ""
        table.setdefault(r["topic"], {})[key] = r["n"]
    ordered = [t.code for t in TOPICS] + [""]
    return {
        "months": month_keys,
        "rows": [
            {
                "topic": code,
                "label": label_of(code) or "—",
                "cells": [table[code].get(m, 0) for m in month_keys],
                "total": sum(table[code].values()),
            }
            for code in ordered
            if code in table
        ],
    }


def region_counts(*, fetched_by: Any, month: str = "") -> list[dict]:
    """Counts by child region and topic (the month given, else all)."""
    jurisdiction = jurisdiction_of(fetched_by)
    child_len = CHILD_LEN[max(jurisdiction.level, 0)]
    rows = (
        _filtered(scoped(fetched_by=fetched_by), month=month)
        .annotate(child=Substr("region_code", 1, child_len))
        .values("child", "topic")
        .annotate(n=Count("id"))
        .order_by()
    )
    merged: dict[str, dict[str, int]] = {}
    for r in rows:
        merged.setdefault(r["child"], {})[r["topic"]] = r["n"]
    names = region_names(RegionCode.from_prefix(c) for c in merged)
    out = []
    for child, by_topic in sorted(merged.items()):
        code = RegionCode.from_prefix(child)
        top = max(by_topic.items(), key=lambda kv: kv[1])
        out.append(
            {
                "code": code,
                "prefix": child,
                "name": names.get(code, child),
                "total": sum(by_topic.values()),
                "top_topic": label_of(top[0]) or "—",
                "top_count": top[1],
            }
        )
    return out


@dataclass
class RisingTopic:
    region_code: str
    region_name: str
    topic: str
    this_week: int
    last_week: int


def rising_topics(
    *, fetched_by: Any, today: date | None = None, minimum: int = 3
) -> list[RisingTopic]:
    """A topic rising in a child region week on week (this 7 days against the previous 7, at
    least `minimum` this week): the rule of petitions' hot spots (`petitions.selectors.hot_spots`)."""
    today = today or timezone.localdate()
    jurisdiction = jurisdiction_of(fetched_by)
    child_len = CHILD_LEN[max(jurisdiction.level, 0)]
    week_start = today - timedelta(days=6)
    prev_start = week_start - timedelta(days=7)
    rows = (
        scoped(fetched_by=fetched_by)
        .filter(submitted_on__gte=prev_start, submitted_on__lte=today)
        .exclude(topic="")
        .annotate(child=Substr("region_code", 1, child_len))
        .values("child", "topic")
        .annotate(
            this_week=Count("id", filter=Q(submitted_on__gte=week_start)),
            last_week=Count("id", filter=Q(submitted_on__lt=week_start)),
        )
        .order_by()
    )
    spots = [r for r in rows if r["this_week"] >= minimum and r["this_week"] > r["last_week"]]
    names = region_names(RegionCode.from_prefix(r["child"]) for r in spots)
    return sorted(
        (
            RisingTopic(
                region_code=RegionCode.from_prefix(r["child"]),
                region_name=names.get(RegionCode.from_prefix(r["child"]), r["child"]),
                topic=label_of(r["topic"]),
                this_week=r["this_week"],
                last_week=r["last_week"],
            )
            for r in spots
        ),
        key=lambda s: (-(s.this_week - s.last_week), s.region_code),
    )


def export_rows(*, fetched_by: Any, **filters: str):
    """Rows of the Excel export: no name or contact (personal information stays in the
    platform)."""
    qs = suggestion_list(fetched_by=fetched_by, **filters).select_related("matter")
    for s in qs.order_by("-submitted_at", "-id").iterator(chunk_size=2000):
        yield [
            s.pk,
            s.submitted_on,
            s.region_code,
            s.topic_label,
            s.suggested_label,
            s.cluster_id or "",
            s.text,
            s.get_status_display(),
            s.answer,
            s.answered_on,
            s.matter.number if s.matter_id else "",
        ]


def published(*, prefix: str = "", topic: str = ""):
    """Published answers for the portal (anonymised text; no name or contact is ever read)."""
    qs = (
        Suggestion.objects.unscoped(reason=PUBLISHED)
        .filter(status=Status.PUBLISHED)
        .only("id", "region_code", "topic", "public_text", "answer", "answered_on", "published_at")
    )
    if prefix:
        qs = qs.in_subtree(prefix)
    if topic:
        qs = qs.filter(topic=topic)
    return qs.order_by("-published_at", "-id")


def region_name_of(code: str) -> str:
    return region_names([code]).get(code, code)

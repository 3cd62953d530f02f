"""Set-based per-child-region counts: one GROUP BY over the code prefix, never a Python loop."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr


def count_by_child(
    queryset: QuerySet, code_field: str, low: str, high: str, child_len: int
) -> dict[str, int]:
    """`{child prefix: rows}` for rows whose `code_field` lies in [low, high]."""
    rows = (
        queryset.filter(**{f"{code_field}__gte": low, f"{code_field}__lte": high})
        .annotate(child=Substr(code_field, 1, child_len))
        .values("child")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["child"]: row["n"] for row in rows}


# Below this many rows (by the planner's estimate) a list is counted exactly even when an
# estimate would do: the count is cheap there, and a small total is where a reader notices.
ESTIMATE_FLOOR = 10_000


def total_rows(queryset: QuerySet, *, estimate: bool = False) -> tuple[int, bool]:
    """`(rows, estimated)`: the rows of `queryset` by one COUNT, or, when `estimate` is asked
    for and the database is PostgreSQL, the planner's estimate (EXPLAIN, no row read) where it
    says there are at least ESTIMATE_FLOOR rows. SQLite has no estimate: always exact."""
    unordered = queryset.order_by()
    if estimate and queryset.db and _vendor(queryset) == "postgresql":
        import json

        plan = json.loads(unordered.values("pk").explain(format="json"))
        rows = int(plan[0]["Plan"]["Plan Rows"])
        if rows >= ESTIMATE_FLOOR:
            return rows, True
    return unordered.count(), False


def _vendor(queryset: QuerySet) -> str:
    from django.db import connections

    return connections[queryset.db].vendor

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


def sum_by_child(
    queryset: QuerySet, code_field: str, low: str, high: str, child_len: int, measure
) -> dict[str, object]:
    """`{child prefix: measure}` over the rows whose `code_field` lies in [low, high], in one
    GROUP BY on the code's first `child_len` characters (`measure`: an aggregate such as
    `Sum("hours")` or `Count("resident_id", distinct=True)`). Empty groups are left out."""
    rows = (
        queryset.filter(**{f"{code_field}__gte": low, f"{code_field}__lte": high})
        .annotate(child=Substr(code_field, 1, child_len))
        .values("child")
        .annotate(n=measure)
        .order_by()
    )
    return {row["child"]: row["n"] or 0 for row in rows}


# Below this many rows (by the planner's estimate) a list is counted exactly even when an
# estimate would do: the count is cheap there, and a small total is where a reader notices.
ESTIMATE_FLOOR = 10_000


class CountFromQuerySet(QuerySet):
    """A queryset that may name a cheaper queryset with the same number of rows, to be counted
    instead (e.g. a category filter counted from the category links' index alone). The selector
    that builds both vouches for their equality; the count source survives ordering, related
    loading and column choice, and is dropped by anything else (a further filter changes the
    rows, so it is counted as it is)."""

    _count_from: QuerySet | int | None = None

    def count_from(self, source: QuerySet | int) -> CountFromQuerySet:
        """Count `source` instead (a queryset with as many rows), or take `source` as the total
        already counted (an int) by the selector that built this queryset."""
        clone = self._chain()
        clone._count_from = source
        return clone

    def _kept(self, clone: CountFromQuerySet) -> CountFromQuerySet:
        clone._count_from = self._count_from
        return clone

    def order_by(self, *fields):
        return self._kept(super().order_by(*fields))

    def select_related(self, *fields):
        return self._kept(super().select_related(*fields))

    def prefetch_related(self, *lookups):
        return self._kept(super().prefetch_related(*lookups))

    def only(self, *fields):
        return self._kept(super().only(*fields))

    def defer(self, *fields):
        return self._kept(super().defer(*fields))


def total_rows(queryset: QuerySet, *, estimate: bool = False) -> tuple[int, bool]:
    """`(rows, estimated)`: the rows of `queryset` by one COUNT, or, when `estimate` is asked
    for and the database is PostgreSQL, the planner's estimate (EXPLAIN, no row read) where it
    says there are at least ESTIMATE_FLOOR rows. SQLite has no estimate: always exact. A
    queryset that names its count source (`CountFromQuerySet.count_from`) is counted there."""
    source = getattr(queryset, "_count_from", None)
    if isinstance(source, int):
        return source, False
    if source is not None:
        queryset = source
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

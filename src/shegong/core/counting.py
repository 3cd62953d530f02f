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

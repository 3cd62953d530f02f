"""The per-county summary of approved figures (`ApprovedSum`), kept set-based.

Every change of `DataValue.approved` (approval that locks, return of a locked report, reopen —
all through `fill.mark_values`) recomputes its county's group for the form and period in the
same transaction: one DELETE and one INSERT … SELECT … GROUP BY, whatever the number of values.
`approved_sums_rebuild` recomputes every group (the operators' `shegong reporting_sums`, and the
benchmark data after it is written with COPY).
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from shegong.core.regioncode import code_range
from shegong.reporting.models import COUNTY_PREFIX, ApprovedSum, DataValue

WHOLE_SUMMARY = (
    "The summary of approved figures is derived data: the services recompute a group of it "
    "(or all of it) from the values, whoever's they are; it is read through the scoped selectors."
)

_SELECT = """
    SELECT v.form_id, v.period_start, SUBSTR(v.region_code, 1, 6) || '000000', v.element_id,
           SUM(v.value), COUNT(*)
    FROM {values} v
    WHERE v.approved = %s {where}
    GROUP BY v.form_id, v.period_start, SUBSTR(v.region_code, 1, 6), v.element_id
"""


def _insert_sql(where: str) -> str:
    """`INSERT … SELECT` of the summary rows of the values matching `where` (this module's own
    constant fragments, never input)."""
    summary, values = ApprovedSum._meta.db_table, DataValue._meta.db_table
    return (
        f"INSERT INTO {summary} "  # noqa: S608
        "(form_id, period_start, county_code, element_id, total, submissions)"
        + _SELECT.format(values=values, where=where)
    )


def _lock_group(form_id: int, county: str) -> None:
    """Serialise the recomputations of one county's group until the end of the transaction
    (PostgreSQL: a two-key advisory lock, a key space of its own; SQLite: the connection
    already holds the database's only write lock)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [form_id, int(county)])


def approved_sums_refresh(*, form_id: int, period_start: date, region_code: str) -> int:
    """Recompute the summary of the county of `region_code` for one form and period from its
    approved values; returns the rows written. Runs inside the caller's transaction."""
    county = region_code[:COUNTY_PREFIX]
    low, high = code_range(county)
    with transaction.atomic():
        _lock_group(form_id, county)
        ApprovedSum.objects.unscoped(reason=WHOLE_SUMMARY).filter(
            form_id=form_id, period_start=period_start, county_code=low
        ).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                _insert_sql(
                    "AND v.form_id = %s AND v.period_start = %s "
                    "AND v.region_code >= %s AND v.region_code <= %s"
                ),
                [True, form_id, period_start, low, high],
            )
            return cursor.rowcount


@transaction.atomic
def approved_sums_rebuild(*, form_id: int | None = None) -> int:
    """Recompute the whole summary (of one form, or of every form) from the approved values, in
    one DELETE and one INSERT … SELECT; returns the rows written."""
    rows = ApprovedSum.objects.unscoped(reason=WHOLE_SUMMARY)
    if form_id is not None:
        rows = rows.filter(form_id=form_id)
    rows.delete()
    with connection.cursor() as cursor:
        if form_id is None:
            cursor.execute(_insert_sql(""), [True])
        else:
            cursor.execute(_insert_sql("AND v.form_id = %s"), [True, form_id])
        return cursor.rowcount

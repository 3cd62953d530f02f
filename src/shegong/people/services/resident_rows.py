"""Writing new residents set-based — one, or a batch — with their history rows, category links
and visit plans. Registering one resident (the form, the API), a bulk request and a spreadsheet
import all end here, so the three write the same rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, connection
from django.utils import timezone

from shegong.accounts.models import User
from shegong.core.history import history_insert
from shegong.core.imports import copy_rows, insert_returning_id
from shegong.people.models import Category, Resident, ResidentCategory, RiskLevel, VisitPlan
from shegong.people.selectors import cadence_for


@dataclass
class _Prepared:
    line: int
    resident: Any  # a Resident, or a plain row with the same attributes (model instances cost)
    categories: list[Category] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)  # the ID's blind index under every scheme


RESIDENT_IMPORT_FIELDS = [
    "name",
    "id_number_hash",
    "id_number_masked",
    "sex",
    "birth_date",
    "phone",
    "address",
    "county_code",
    "latitude",
    "longitude",
    "health_notes",
    "disability_level",
    "risk_level",
    "status",
    "region_id",
    "assigned_worker_id",
    "merged_into_id",
]

PLAN_COLUMNS = [
    "resident_id",
    "region_code",
    "county_code",
    "worker_id",
    "risk_level",
    "interval_days",
    "next_due_date",
    "last_visit_date",
    "event_note",
    "is_active",
]
LINK_COLUMNS = [
    "resident_id",
    "category_id",
    "region_code",
    "resident_status",
    "resident_birth_date",
    "start_date",
    "end_date",
    "level",
]


class NumberTaken(IntegrityError):
    """The unique index on the ID's blind index refused a single new resident: nothing was
    written (`ON CONFLICT DO NOTHING`), so the transaction goes on without a savepoint."""


def _values(resident) -> tuple:
    values = [getattr(resident, f) for f in RESIDENT_IMPORT_FIELDS]
    notes = values[10]
    if notes:  # encrypted at rest, as a save would store it
        values[10] = Resident._meta.get_field("health_notes").get_db_prep_save(notes, connection)
    return tuple(values)


def residents_write(prepared: list[_Prepared], *, acting_user: User, reason: str | None) -> None:
    """Write `prepared` in the surrounding transaction: residents and their history rows, then
    category links and visit plans (with theirs), each by COPY (PostgreSQL) or executemany
    (SQLite). A single resident is one INSERT … ON CONFLICT DO NOTHING RETURNING: the unique
    index on the ID's blind index refuses a number registered meanwhile (`NumberTaken`, an
    IntegrityError, for the caller to answer; a batch raises the database's IntegrityError)."""
    if not prepared:
        return
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    by = acting_user.pk if acting_user is not None else None
    residents = [p.resident for p in prepared]
    table = Resident._meta.db_table
    columns = ["created_at", "updated_at", "id_number_encrypted", *RESIDENT_IMPORT_FIELDS]
    values = [_values(r) for r in residents]
    with connection.cursor() as cursor:
        if len(prepared) == 1:
            pk = insert_returning_id(
                cursor,
                table,
                columns,
                (at, at, residents[0].id_number_encrypted, *values[0]),
                unless_conflict=True,
            )
            if pk is None:
                raise NumberTaken(residents[0].id_number_hash)
            residents[0].pk = pk
        else:
            copy_rows(
                cursor,
                table,
                columns,
                [
                    (at, at, r.id_number_encrypted, *v)
                    for r, v in zip(residents, values, strict=True)
                ],
            )
            quote = connection.ops.quote_name
            ids: dict[str, int] = {}
            hashes = [r.id_number_hash for r in residents]
            for start in range(0, len(hashes), 5000):
                chunk = hashes[start : start + 5000]
                cursor.execute(
                    f"SELECT id_number_hash, id FROM {quote(table)} WHERE merged_into_id IS NULL"  # noqa: S608
                    f" AND id_number_hash IN ({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
                ids.update(cursor.fetchall())
            for r in residents:
                r.pk = ids[r.id_number_hash]
        for r in residents:
            r.created_at = r.updated_at = now
        history_insert(
            cursor,
            Resident,
            ["id", "created_at", "updated_at", *RESIDENT_IMPORT_FIELDS],
            [(r.pk, at, at, *v) for r, v in zip(residents, values, strict=True)],
            user_id=by,
            at=at,
            reason=reason,
        )
        today = date.today()
        links = [
            (
                p.resident.pk,
                c.pk,
                p.resident.region_id,
                p.resident.status,
                p.resident.birth_date,
                today,
                None,
                "",
            )
            for p in prepared
            for c in p.categories
        ]
        if links:
            _insert_with_history(
                cursor, ResidentCategory, LINK_COLUMNS, links, prepared, by, at, reason
            )
        cadence: dict[str, int] = {}
        plans = []
        for p in prepared:
            if not any(c.cared_for for c in p.categories):
                continue
            r = p.resident
            province = r.region_id[:2]
            if province not in cadence:
                cadence[province] = cadence_for(province, RiskLevel.GENERAL)[0]
            interval = cadence[province]
            plans.append(
                (
                    r.pk,
                    r.region_id,
                    r.county_code,
                    r.assigned_worker_id,
                    RiskLevel.GENERAL.value,
                    interval,
                    today + timedelta(days=interval),
                    None,
                    "",
                    True,
                )
            )
        if plans:
            _insert_with_history(cursor, VisitPlan, PLAN_COLUMNS, plans, prepared, by, at, reason)


def _insert_with_history(cursor, model, columns, rows, prepared, by, at, reason) -> None:
    """Rows of `model` for new residents, and their history rows: a few rows (one resident's)
    are inserted one by one with their ids returned; a batch is copied and read back."""
    if len(rows) > 3:
        copy_rows(cursor, model._meta.db_table, columns, rows)
        _history_of_new(cursor, model, columns, prepared, by, at, reason)
        return
    table = model._meta.db_table
    written = [(insert_returning_id(cursor, table, columns, row), *row) for row in rows]
    history_insert(cursor, model, ["id", *columns], written, user_id=by, at=at, reason=reason)


def _history_of_new(cursor, model, columns, prepared, by, at, reason) -> None:
    """History rows for the rows of `model` just written for these (new) residents: read back
    with their ids, in chunks."""
    quote = connection.ops.quote_name
    ids = [p.resident.pk for p in prepared]
    rows: list[tuple] = []
    names = ", ".join(quote(c) for c in ["id", *columns])
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        cursor.execute(
            f"SELECT {names} FROM {quote(model._meta.db_table)}"  # noqa: S608
            f" WHERE resident_id IN ({', '.join(['%s'] * len(chunk))})",
            chunk,
        )
        rows += cursor.fetchall()
    history_insert(cursor, model, ["id", *columns], rows, user_id=by, at=at, reason=reason)

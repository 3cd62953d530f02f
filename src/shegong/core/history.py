"""Reading a record's change history (django-simple-history) as who/when/field/old/new."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import models


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    at: Any
    user: Any
    kind: str  # "+", "~", "-"
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        from django.utils.translation import gettext as _

        return {"+": _("创建"), "~": _("修改"), "-": _("删除")}.get(self.kind, self.kind)


def _display(record: Any, name: str) -> Any:
    model_field = record.instance_type._meta.get_field(name)
    value = getattr(record, model_field.attname, None)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


def history_of(
    obj: models.Model, *, limit: int = 50, hidden: Collection[str] = ()
) -> list[HistoryEntry]:
    """Newest first; each entry lists the fields that changed with old and new values. The
    values of `hidden` fields (sensitive ones the reader may not see) are not shown."""
    from django.utils.translation import gettext as _

    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries: list[HistoryEntry] = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                model_field = obj._meta.get_field(change.field)
                masked = change.field in hidden
                changes.append(
                    FieldChange(
                        field=change.field,
                        label=str(model_field.verbose_name),
                        old=_("（已隐藏）") if masked else _display(previous, change.field),
                        new=_("（已隐藏）") if masked else _display(record, change.field),
                    )
                )
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                kind=record.history_type,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def history_insert(
    cursor,
    model: type[models.Model],
    columns: list[str],
    rows: list[tuple],
    *,
    user_id: int | None,
    at,
    history_type: str = "+",
    reason: str | None = None,
) -> None:
    """django-simple-history's rows for rows just written set-based, written directly: the same
    content a save gives (type, user, date, change reason), without the manager the library
    builds on every save. `columns` are the live table's columns (the id among them), `at` a
    value already adapted for the database."""
    from shegong.core.imports import copy_rows

    table, kept = _history_table(model)
    if not set(columns) <= kept:  # a column the history does not copy (excluded_fields)
        keep = [i for i, column in enumerate(columns) if column in kept]
        columns = [columns[i] for i in keep]
        rows = [tuple(row[i] for i in keep) for row in rows]
    copy_rows(
        cursor,
        table,
        [*columns, "history_date", "history_change_reason", "history_type", "history_user_id"],
        [(*row, at, reason, history_type, user_id) for row in rows],
    )


@cache
def _history_table(model: type[models.Model]) -> tuple[str, frozenset[str]]:
    """The history table and the columns it has. (`model.history` builds a manager class on
    every access, in django-simple-history: read once.)"""
    history = model.history.model
    return history._meta.db_table, frozenset(f.column for f in history._meta.concrete_fields)

"""Spreadsheet imports: read rows with their line numbers, collect row errors, all or nothing.

An import validates every row first. Without `all_or_nothing` it takes every valid row and
reports each rejected row with its line and cause; with it, any rejected row means nothing is
taken. Either way the write is one transaction, so nothing is ever half-imported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from shegong.core.errors import ApplicationError


@dataclass
class RowError:
    line: int
    field: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "reason": self.reason}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    all_or_nothing: bool = False
    total_rows: int = 0

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    @property
    def taken_nothing(self) -> bool:
        return self.all_or_nothing and bool(self.errors)


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(
    upload: IO[bytes],
    *,
    filename: str,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...] = (),
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield `(line number, {field: text})`. `columns` maps a field to its accepted headers.

    Line numbers are those a person sees in Excel (the header is line 1).
    """
    name = filename.lower()
    if name.endswith(".csv"):
        text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
        raw_rows: Iterator[tuple] = (tuple(r) for r in csv.reader(text))
    elif name.endswith((".xlsx", ".xlsm")):
        try:
            wb = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:
            raise ApplicationError(
                _("无法读取 Excel 文件：%(e)s") % {"e": exc}, field="file"
            ) from exc
        raw_rows = wb.worksheets[0].iter_rows(values_only=True)
    else:
        raise ApplicationError(_("只支持 .xlsx 或 .csv 文件。"), field="file")
    try:
        header = next(raw_rows)
    except StopIteration:
        raise ApplicationError(_("文件是空的。"), field="file") from None
    header_names = [_clean(h) for h in header]
    index: dict[str, int] = {}
    for field_name, accepted in columns.items():
        for i, h in enumerate(header_names):
            if h in accepted or h.lower() in {a.lower() for a in accepted}:
                index[field_name] = i
                break
    missing = [columns[f][0] for f in required if f not in index]
    if missing:
        raise ApplicationError(_("缺少必需的列：%(c)s") % {"c": "、".join(missing)}, field="file")
    for line, row in enumerate(raw_rows, start=2):
        if row is None or all(_clean(v) == "" for v in row):
            continue
        yield line, {f: _clean(row[i]) if i < len(row) else "" for f, i in index.items()}

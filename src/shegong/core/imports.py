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
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser, _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS

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
    if value.__class__ is str:
        return value.strip()
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
            sheet = _open_first_sheet(upload)
        except Exception as exc:
            raise ApplicationError(
                _("无法读取 Excel 文件：%(e)s") % {"e": exc}, field="file"
            ) from exc
        raw_rows = _sheet_values(*sheet)
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


# ---- .xlsx: openpyxl's reader, values only --------------------------------------------------
#
# `load_workbook(read_only=True)` + `iter_rows(values_only=True)` gives the same values, but it
# scans the whole sheet once more for its size when the file has no <dimension> (files written by
# openpyxl itself or by some exporters) and builds an object per cell for inline strings, which
# made reading 100,000 rows take longer than validating and writing them. The workbook parts
# (shared strings, styles for dates, the sheet order) are still read by openpyxl's ExcelReader and
# rows by its WorkSheetParser; only the common cell types take a shorter path below, and every
# other cell goes through openpyxl's own `parse_cell`.

_INLINE_TAG = f"{{{SHEET_MAIN_NS}}}is"
_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_COLUMNS: dict[str, int] = {}


def _column(coordinate: str) -> int:
    letters = coordinate.rstrip("0123456789")
    col = _COLUMNS.get(letters)
    if col is None:
        col = _COLUMNS[letters] = column_index_from_string(letters)
    return col


class _ValuesParser(WorkSheetParser):
    """Rows as `(row number, [values])`, values as `iter_rows(values_only=True)` gives them."""

    def parse_row(self, row):
        r = row.get("r")
        if r is not None:
            try:
                self.row_counter = int(r)
            except ValueError:
                number = float(r)
                if not number.is_integer():
                    raise ValueError(f"{r} is not a valid row number") from None
                self.row_counter = int(number)
        else:
            self.row_counter += 1
        values: list = []
        col = 0
        shared = self.shared_strings
        date_formats = self.date_formats
        for el in row:
            coordinate = el.get("r")
            col = _column(coordinate) if coordinate else col + 1
            kind = el.get("t", "n")
            if kind == "s":
                v = el.findtext(VALUE_TAG)
                value = shared[int(v)] if v else None
            elif kind == "inlineStr":
                child = el.find(_INLINE_TAG)
                if child is None:
                    value = None
                elif len(child) == 1 and child[0].tag == _TEXT_TAG:
                    value = child[0].text or ""
                else:
                    value = self.parse_cell(el)["value"]
            elif kind == "str":
                value = el.findtext(VALUE_TAG) or None
            elif kind == "n" and not (date_formats and int(el.get("s", 0)) in date_formats):
                v = el.findtext(VALUE_TAG)
                value = _cast_number(v) if v else None
            else:
                value = self.parse_cell(el)["value"]
            if col > len(values) + 1:
                values.extend([None] * (col - 1 - len(values)))
            if col == len(values) + 1:
                values.append(value)
            else:  # a cell out of order: place it as openpyxl would
                values.extend([None] * (col - len(values)))
                values[col - 1] = value
        self.col_counter = col
        return self.row_counter, values


def _open_first_sheet(upload: IO[bytes]):
    """The workbook parts openpyxl's `load_workbook(read_only=True)` reads, without sizing every
    sheet: returns (archive, first worksheet's path, parser arguments)."""
    reader = ExcelReader(upload, read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    for _sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
            options = {
                "data_only": True,
                "epoch": reader.wb.epoch,
                "date_formats": reader.wb._date_formats,
                "timedelta_formats": reader.wb._timedelta_formats,
            }
            return reader.archive, rel.target, reader.shared_strings, options
    reader.archive.close()
    raise ValueError(_("工作簿中没有工作表"))


def _sheet_values(archive, path: str, shared_strings, options: dict) -> Iterator[tuple]:
    """Every row from line 1 on, missing rows as empty ones, so positions are Excel lines."""
    try:
        with archive.open(path) as src:
            expected = 1
            for number, values in _ValuesParser(src, shared_strings, **options).parse():
                while expected < number:
                    yield ()
                    expected += 1
                if number == expected:
                    yield tuple(values)
                    expected += 1
    finally:
        archive.close()

"""Spreadsheet imports: bounded reading, the model's own checks on every row, capped reports.

An import validates every row first. Without `all_or_nothing` it takes every valid row and
reports each rejected row with its line and cause; with it, any rejected row means nothing is
taken. Either way the write is one transaction, so nothing is ever half-imported.

Reading is bounded by settings (`SHEGONG_IMPORT_*`, see `ImportLimits`): the upload's size, and
for an .xlsx its uncompressed size and compression ratio, judged before anything is inflated
(`core.xlsx`); the number of rows, found by a scan before the first row is parsed; the number of
columns with content in any row; the number of shared strings. A file beyond a limit is refused
as a whole, with a message on the `file` field, before any row reaches the import.

The report lists the first `SHEGONG_IMPORT_ERRORS_LISTED` errors (by line) and counts all of
them by column, so a file with 100,000 bad rows gives a short page.
"""

from __future__ import annotations

import csv
import heapq
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import count
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from shegong.core import xlsx
from shegong.core.errors import ApplicationError
from shegong.core.exports import unquote_text

# ---- limits --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportLimits:
    upload_bytes: int
    uncompressed_bytes: int
    compression_ratio: int
    rows: int
    columns: int
    shared_strings: int
    errors_listed: int

    @classmethod
    def from_settings(cls) -> ImportLimits:
        return cls(
            upload_bytes=settings.SHEGONG_IMPORT_MAX_UPLOAD_BYTES,
            uncompressed_bytes=settings.SHEGONG_IMPORT_MAX_UNCOMPRESSED_BYTES,
            compression_ratio=settings.SHEGONG_IMPORT_MAX_COMPRESSION_RATIO,
            rows=settings.SHEGONG_IMPORT_MAX_ROWS,
            columns=settings.SHEGONG_IMPORT_MAX_COLUMNS,
            shared_strings=settings.SHEGONG_IMPORT_MAX_SHARED_STRINGS,
            errors_listed=settings.SHEGONG_IMPORT_ERRORS_LISTED,
        )


# ---- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "reason": self.reason}


@dataclass(frozen=True)
class ErrorCause:
    """One line of the summary: how many errors a column had, and the first of them."""

    field: str
    label: str
    count: int
    example: RowError

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "label": self.label,
            "count": self.count,
            "example": self.example.as_dict(),
        }


class ImportResult:
    """What an import did: rows created, and its errors — every one counted (by column and by
    line), the first `listed` (by line) kept to show."""

    def __init__(
        self,
        *,
        all_or_nothing: bool = False,
        columns: Mapping[str, tuple[str, ...]] | None = None,
        listed: int | None = None,
    ):
        self.all_or_nothing = all_or_nothing
        self.created = 0
        self.updated = 0
        self.total_rows = 0
        self.error_count = 0
        self.listed = settings.SHEGONG_IMPORT_ERRORS_LISTED if listed is None else listed
        self._labels = {f: names[0] for f, names in (columns or {}).items()}
        self._kept: list[tuple[int, int, RowError]] = []  # a max-heap by line: (-line, -seq, e)
        self._seq = count()
        self._lines: set[int] = set()
        self._by_field: dict[str, list] = {}  # field → [count, first error]

    def add_error(self, line: int, field: str, reason: str) -> None:
        self.add(RowError(line, field, str(reason)))

    def add(self, error: RowError) -> None:
        self.error_count += 1
        self._lines.add(error.line)
        cause = self._by_field.get(error.field)
        if cause is None:
            self._by_field[error.field] = [1, error]
        else:
            cause[0] += 1
            if error.line < cause[1].line:
                cause[1] = error
        if self.listed <= 0:
            return
        entry = (-error.line, -next(self._seq), error)
        if len(self._kept) < self.listed:
            heapq.heappush(self._kept, entry)
        elif entry > self._kept[0]:  # an earlier line than the latest kept one
            heapq.heapreplace(self._kept, entry)

    def add_validation_error(self, line: int, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            self.add_error(line, field, "；".join(messages))

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.add(error)

    @property
    def errors(self) -> tuple[RowError, ...]:
        """The listed errors, by line (in the order found within a line)."""
        return tuple(e for _l, _s, e in sorted(self._kept, reverse=True))

    @property
    def error_rows(self) -> list[dict]:
        """The listed errors with their column's header, for pages and the API."""
        return [{**e.as_dict(), "label": self.label_of(e.field)} for e in self.errors]

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self._kept)

    @property
    def rejected_lines(self) -> list[int]:
        return sorted(self._lines)

    @property
    def rejected_count(self) -> int:
        return len(self._lines)

    def label_of(self, field: str) -> str:
        return self._labels.get(field, field)

    @property
    def summary(self) -> list[ErrorCause]:
        """Errors counted by column, the commonest first."""
        causes = [
            ErrorCause(field=f, label=self.label_of(f), count=n, example=first)
            for f, (n, first) in self._by_field.items()
        ]
        return sorted(causes, key=lambda c: (-c.count, c.example.line))

    @property
    def taken_nothing(self) -> bool:
        return self.all_or_nothing and self.has_errors

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "rows": self.total_rows,
            "rejected_rows": self.rejected_count,
            "error_count": self.error_count,
            "errors": self.error_rows,
            "errors_truncated": self.errors_truncated,
            "summary": [c.as_dict() for c in self.summary],
            "taken_nothing": self.taken_nothing,
        }


# ---- set-based writing ---------------------------------------------------------------------------


def copy_rows(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany elsewhere; names come from model meta, never input."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(_copy_sql(connection.vendor, table, tuple(columns))) as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = _insert_sql(connection.vendor, table, tuple(columns), "")
    for start in range(0, len(rows), 5000):
        cursor.executemany(sql, rows[start : start + 5000])


def insert_returning_id(
    cursor, table: str, columns: list[str], row: tuple, *, unless_conflict: bool = False
) -> int | None:
    """One row, its id back in the same statement (SQLite ≥ 3.35 and PostgreSQL). With
    `unless_conflict`, a row a unique index refuses is not written and None comes back
    (`ON CONFLICT DO NOTHING`): the transaction stays usable without a savepoint."""
    from django.db import connection

    tail = " ON CONFLICT DO NOTHING RETURNING id" if unless_conflict else " RETURNING id"
    cursor.execute(_insert_sql(connection.vendor, table, tuple(columns), tail), row)
    found = cursor.fetchone()
    return found[0] if found is not None else None


@lru_cache(maxsize=64)
def _insert_sql(vendor: str, table: str, columns: tuple[str, ...], tail: str) -> str:
    """The INSERT statement for these columns, written once (building it cost as much as
    running it for one row)."""
    from django.db import connection

    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks}){tail}"  # noqa: S608


@lru_cache(maxsize=64)
def _copy_sql(vendor: str, table: str, columns: tuple[str, ...]) -> str:
    from django.db import connection

    quote = connection.ops.quote_name
    return f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"


# ---- the model's own checks ----------------------------------------------------------------------


class FieldChecks:
    """The model's own validation of the fields an import fills — lengths, choices, validators —
    prepared once and run on each row before anything is written, with the messages a form
    would give. (A bulk write does not run them, and SQLite would store an over-long name that
    PostgreSQL refuses, failing the whole batch.)"""

    def __init__(self, model, fields: Iterable[str]):
        self.fields = [model._meta.get_field(name) for name in fields]

    def errors(self, values: Mapping[str, object], *, skip: Iterable[str] = ()) -> dict[str, str]:
        found: dict[str, str] = {}
        skipped = set(skip)
        for field in self.fields:
            if field.name in skipped or field.name not in values:
                continue
            try:
                field.clean(values[field.name], None)
            except ValidationError as exc:
                found[field.name] = "；".join(exc.messages)
        return found


# ---- reading -------------------------------------------------------------------------------------

# Characters no text field should keep (C0 controls but tab/LF/CR, DEL): PostgreSQL refuses NUL,
# and an .xlsx cannot hold the others.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value) -> str:
    if value.__class__ is str:
        text = value
    elif value is None:
        return ""
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
    if not text.isprintable():
        text = _CONTROL.sub("", text)
    return unquote_text(text.strip())


def read_rows(
    upload: IO[bytes],
    *,
    filename: str,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...] = (),
    limits: ImportLimits | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield `(line number, {field: text})`. `columns` maps a field to its accepted headers.

    The header is the first row with content; line numbers are those a person sees in Excel.
    Raises ApplicationError (field "file") for a file beyond the limits, before its first row.
    """
    limits = limits or ImportLimits.from_settings()
    name = filename.lower()
    if not name.endswith((".csv", ".xlsx", ".xlsm")):
        raise ApplicationError(
            _("只支持 .xlsx 或 .csv 文件（旧的 .xls 请在 Excel 中另存为 .xlsx）。"), field="file"
        )
    upload = _within_size(upload, limits)
    if name.endswith(".csv"):
        raw_rows = _csv_rows(upload, limits)
    else:
        raw_rows = xlsx.first_sheet_rows(upload, limits)
    header = None
    for _line, values in raw_rows:
        if any(_clean(v) for v in values):
            header = values
            break
    if header is None:
        raise ApplicationError(_("文件是空的。"), field="file")
    header_names = [_clean(h) for h in header]
    index: dict[str, int] = {}
    for field_name, accepted in columns.items():
        lowered = {a.lower() for a in accepted}
        for i, h in enumerate(header_names):
            if h in accepted or h.lower() in lowered:
                index[field_name] = i
                break
    missing = [columns[f][0] for f in required if f not in index]
    if missing:
        raise ApplicationError(_("缺少必需的列：%(c)s") % {"c": "、".join(missing)}, field="file")
    for line, row in raw_rows:
        if not row or all(_clean(v) == "" for v in row):
            continue
        yield line, {f: _clean(row[i]) if i < len(row) else "" for f, i in index.items()}


def _within_size(upload: IO[bytes], limits: ImportLimits) -> IO[bytes]:
    """The upload, seekable, once it is known to be within the size limit."""
    if upload.seekable():
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    else:  # a pipe: copy at most one chunk past the limit
        copy = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        size = 0
        while size <= limits.upload_bytes and (chunk := upload.read(64 * 1024)):
            size += len(chunk)
            copy.write(chunk)
        copy.seek(0)
        upload = copy
    if size > limits.upload_bytes:
        raise xlsx.refuse(
            _("文件超过了 %(limit)s 的上限，已拒绝。请拆分成多个文件导入。")
            % {"limit": filesizeformat(limits.upload_bytes)}
        )
    return upload


# ---- .csv ---------------------------------------------------------------------------------------

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel in China saves "CSV" in the local code page
MAX_CSV_LINE = 1024 * 1024  # characters in one physical line


def _csv_rows(upload: IO[bytes], limits: ImportLimits) -> Iterator[tuple[int, tuple]]:
    """Records of a CSV file, after a first pass has checked all of it: encoding, line and
    field lengths, columns and rows (constant memory)."""
    for encoding in CSV_ENCODINGS:
        upload.seek(0)
        try:
            for _record in _csv_records(upload, encoding, limits):
                pass
        except UnicodeDecodeError:
            continue
        upload.seek(0)
        return _csv_records(upload, encoding, limits)
    raise ApplicationError(
        _("无法识别 CSV 文件的编码，请另存为“CSV UTF-8”格式后再导入。"), field="file"
    )


def _csv_records(
    upload: IO[bytes], encoding: str, limits: ImportLimits
) -> Iterator[tuple[int, tuple]]:
    text = io.TextIOWrapper(upload, encoding=encoding, newline="")
    lines = _bounded_lines(text)
    reader = csv.reader(lines)
    try:
        for number in count(1):
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error:  # a field past the csv module's limit, or a stray NUL
                raise _csv_unreadable(number) from None
            if number > limits.rows + 1:
                raise xlsx.too_many_rows(limits.rows)
            for column, value in enumerate(record, start=1):
                if len(value) > xlsx.MAX_CELL_TEXT:
                    raise _csv_unreadable(number)
                if column > limits.columns and value.strip():
                    raise xlsx.too_many_columns(number, column, limits.columns)
            yield number, tuple(record[: limits.columns])
    finally:
        text.detach()  # leave the upload open for the second pass


def _csv_unreadable(line: int) -> ApplicationError:
    return xlsx.refuse(
        _(
            "CSV 文件第 %(line)s 行有单元格超过 %(limit)s 个字符（Excel 的上限），"
            "或引号不成对，已拒绝。"
        )
        % {"line": line, "limit": xlsx.MAX_CELL_TEXT}
    )


def _bounded_lines(text: io.TextIOWrapper) -> Iterator[str]:
    line_number = 0
    while True:
        line = text.readline(MAX_CSV_LINE + 1)
        if not line:
            return
        line_number += 1
        if len(line) > MAX_CSV_LINE:
            raise xlsx.refuse(
                _("文件第 %(line)s 行（物理行）超过 %(limit)s 个字符，已拒绝。")
                % {"line": line_number, "limit": f"{MAX_CSV_LINE:,}"}
            )
        yield line

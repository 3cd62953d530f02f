"""The one spreadsheet writer: every export goes through `excel_response` (or `workbook_bytes`).

Each cell passes through `safe_cell`, so that whatever people typed (a resident's name, an
Open311 description) can neither break the file nor run in the reader's spreadsheet:

- characters XML 1.0 refuses (C0 controls other than tab, LF and CR; lone surrogates; U+FFFE,
  U+FFFF) are removed — openpyxl raises `IllegalCharacterError` on the controls, and Excel
  calls a file with the others corrupt;
- text starting with `=`, `+`, `-`, `@`, tab, CR or LF (or their full-width forms, which a
  Chinese input method types) is prefixed with a single quote and always stored as a string
  cell, never as a formula (OWASP, "CSV Injection");
- numbers, dates and booleans stay typed; aware datetimes are written in local time (Excel
  has no time zones); anything else is written as its text.

Every export is audited.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.scoping import jurisdiction_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What XML 1.0 (and so an .xlsx) cannot hold: C0 controls except tab, LF, CR; surrogates;
# the two non-characters U+FFFE and U+FFFF.
ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A cell whose text starts with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
QUOTE = "'"
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
_TYPED = (bool, int, float, Decimal, date, time, timedelta)


def safe_text(text: str) -> str:
    """`text` as a spreadsheet may hold it and never evaluates."""
    text = ILLEGAL_CHARACTERS.sub("", text)
    if text.startswith(FORMULA_PREFIXES):
        text = QUOTE + text
    return text[:MAX_CELL_TEXT]


def safe_cell(value):
    """One cell's value as the writer stores it: typed values stay typed, everything else
    becomes inert text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, _TYPED):
        return value
    return safe_text(str(value))


def unquote_text(text: str) -> str:
    """Undo `safe_text`'s quote, so a file exported here imports back to what was stored."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _row_cells(ws, values: Sequence) -> list:
    row = []
    for value in values:
        value = safe_cell(value)
        if value.__class__ is str and value in ERROR_CODES:
            # openpyxl would store "#N/A" and friends as an error cell: keep it text.
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            value = cell
        row.append(value)
    return row


def workbook_bytes(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> tuple[bytes, int]:
    """An .xlsx of one sheet (bold header row, then `rows`) and the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=safe_sheet_title(title))
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=safe_text(str(h)))
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for row in rows:
        ws.append(_row_cells(ws, row))
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


_SHEET_TITLE_REFUSED = re.compile(r"[\\/*?:\[\]]")


def safe_sheet_title(title) -> str:
    """Sheet names: at most 31 characters, none of \\ / * ? : [ ]."""
    text = _SHEET_TITLE_REFUSED.sub(" ", ILLEGAL_CHARACTERS.sub("", str(title))).strip()
    return text[:31].strip("'") or "Sheet"


def excel_response(
    request,
    *,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    audit_detail: dict | None = None,
) -> HttpResponse:
    content, count = workbook_bytes(title=title, headers=headers, rows=rows)
    audit_record(
        action=AuditLog.Action.EXPORT,
        actor=request.user,
        region_code=jurisdiction_of(request.user).region_code,
        detail={**(audit_detail or {}), "rows": count, "file": filename},
        request=request,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

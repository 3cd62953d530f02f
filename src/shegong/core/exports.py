"""Excel exports: streamed rows from a scoped queryset into an .xlsx; every export is audited."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.scoping import jurisdiction_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> tuple[bytes, int]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(title)[:31])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for row in rows:
        ws.append(list(row))
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


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

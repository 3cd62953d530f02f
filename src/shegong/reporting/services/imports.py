"""Importing a filled report sheet (see reporting.excel) into a unit's draft: every row is
checked first; all-or-nothing, or the valid rows with each rejected row listed by line."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.imports import ImportResult, read_rows
from shegong.reporting.excel import COLUMNS
from shegong.reporting.models import Submission
from shegong.reporting.rules import parse_value
from shegong.reporting.services.fill import ensure_editable, submission_values_save


@transaction.atomic
def submission_import(
    *, acting_user: Any, submission: Submission, upload: IO[bytes], all_or_nothing: bool = True
) -> ImportResult:
    ensure_editable(submission)
    result = ImportResult(all_or_nothing=all_or_nothing, columns=COLUMNS)
    elements = {e.code: e for e in submission.form.elements.all()}
    values: dict[str, str] = {}
    seen: set[str] = set()
    for line, row in read_rows(
        upload,
        filename=getattr(upload, "name", "upload.xlsx"),
        columns=COLUMNS,
        required=("code",),
    ):
        result.total_rows += 1
        code = (row.get("code") or "").strip()
        element = elements.get(code)
        if element is None:
            result.add_error(line, "code", _("未知的指标代码：%(c)s") % {"c": code})
            continue
        if code in seen:
            result.add_error(line, "code", _("指标“%(l)s”重复出现") % {"l": element.label})
            continue
        seen.add(code)
        try:
            parse_value(element, row.get("value"))
        except ValueError as exc:
            result.add_error(line, "value", _("“%(l)s”：%(r)s") % {"l": element.label, "r": exc})
            continue
        values[code] = row.get("value") or ""
    if result.taken_nothing or not values:
        return result
    # A refusal as a whole (locked, not the unit's own) raises and rolls back.
    submission_values_save(acting_user=acting_user, submission=submission, values=values)
    result.updated = len(values)
    return result

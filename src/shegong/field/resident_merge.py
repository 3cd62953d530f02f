"""How a merge of two resident records moves the field app's rows (core.registry resident merge
hook): the not-reached attempts and the sync conflicts of the record removed are the kept
record's now. Neither keeps a history table: the move is in the merge's audit entry."""

from __future__ import annotations

from typing import Any

from shegong.field.models import FieldConflict, VisitAttempt

MODELS = ("field.VisitAttempt", "field.FieldConflict")

REASON = (
    "The field app's rows of a resident record being merged, wherever they are held: the "
    "merge moves them all; nothing is shown."
)


def resident_merged(*, keep: Any, remove: Any, acting_user: Any) -> dict[str, int]:
    moved = {
        "field.visitattempt": VisitAttempt.objects.unscoped(reason=REASON)
        .filter(resident=remove)
        .update(resident=keep),
        "field.fieldconflict": FieldConflict.objects.unscoped(reason=REASON)
        .filter(resident=remove)
        .update(resident=keep),
    }
    return {label: n for label, n in moved.items() if n}

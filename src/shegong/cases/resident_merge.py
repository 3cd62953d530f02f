"""How a merge of two resident records moves the cases (core.registry resident merge hook): each
case of the record removed is the kept record's now, saved with history."""

from __future__ import annotations

from typing import Any

from shegong.cases.models import Case

MODELS = ("cases.Case",)

REASON = (
    "The cases of a resident record being merged, wherever they are held: the merge moves "
    "them all; nothing is shown."
)


def resident_merged(*, keep: Any, remove: Any, acting_user: Any) -> dict[str, int]:
    cases = list(Case.objects.unscoped(reason=REASON).filter(resident=remove))
    for case in cases:
        case.resident = keep
        case._history_user = acting_user
        case._change_reason = f"合并记录 #{remove.pk} → #{keep.pk}"
        case.save(update_fields=["resident", "updated_at"])
    return {"cases.case": len(cases)} if cases else {}

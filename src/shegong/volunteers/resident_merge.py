"""How a merge of two resident records moves the volunteer help (core.registry resident merge
hook): each service record linked to the record removed is linked to the record kept, with the
region of the record kept; a record linked to both keeps one link. Saved with history."""

from __future__ import annotations

from typing import Any

from shegong.volunteers.models import RecordBeneficiary

MODELS = ("volunteers.RecordBeneficiary",)

REASON = (
    "The volunteer service links of a resident record being merged, wherever they are held: "
    "the merge moves them all; nothing is shown."
)


def resident_merged(*, keep: Any, remove: Any, acting_user: Any) -> dict[str, int]:
    rows = RecordBeneficiary.objects.unscoped(reason=REASON)
    kept_records = set(rows.filter(resident=keep).values_list("record_id", flat=True))
    reason = f"合并记录 #{remove.pk} → #{keep.pk}"
    moved = 0
    for link in list(rows.filter(resident=remove)):
        link._history_user = acting_user
        link._change_reason = reason
        if link.record_id in kept_records:  # the same service already on the kept record
            link.delete()
            continue
        link.resident = keep
        link.region_code = keep.region_id
        link.save(update_fields=["resident", "region_code"])
        kept_records.add(link.record_id)
        moved += 1
    return {"volunteers.recordbeneficiary": moved} if moved else {}

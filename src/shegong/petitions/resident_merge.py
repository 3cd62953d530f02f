"""How a merge of two resident records moves the petitioners linked to it (core.registry resident
merge hook): each petitioner linked to the record removed is linked to the kept one, with
history."""

from __future__ import annotations

from typing import Any

from shegong.petitions.models import Petitioner

MODELS = ("petitions.Petitioner",)


def resident_merged(*, keep: Any, remove: Any, acting_user: Any) -> dict[str, int]:
    petitioners = list(Petitioner.objects.filter(resident=remove))
    for petitioner in petitioners:
        petitioner.resident = keep
        petitioner._history_user = acting_user
        petitioner._change_reason = f"合并记录 #{remove.pk} → #{keep.pk}"
        petitioner.save(update_fields=["resident"])
    return {"petitions.petitioner": len(petitioners)} if petitioners else {}

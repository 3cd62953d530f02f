"""How a merge of two resident records moves the meeting invitations of the record removed
(core.registry resident merge hook): each is linked to the record kept, with history."""

from __future__ import annotations

from typing import Any

from shegong.contact.models import Invitation

MODELS = ("contact.Invitation",)

REASON = (
    "The meeting invitations of a resident record being merged, wherever they are held: the "
    "merge moves them all; nothing is shown."
)


def resident_merged(*, keep: Any, remove: Any, acting_user: Any) -> dict[str, int]:
    invitations = list(Invitation.objects.unscoped(reason=REASON).filter(resident=remove))
    for invitation in invitations:
        invitation.resident = keep
        invitation._history_user = acting_user
        invitation._change_reason = f"合并记录 #{remove.pk} → #{keep.pk}"
        invitation.save(update_fields=["resident"])
    return {"contact.invitation": len(invitations)} if invitations else {}

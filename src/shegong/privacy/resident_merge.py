"""How a merge of two resident records moves the consent records (core.registry resident merge
hook): each consent of the record removed is the kept record's now, saved with history."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from shegong.core.errors import ApplicationError
from shegong.privacy.models import Consent

MODELS = ("privacy.Consent",)

REASON = "The consent records of the two resident records being merged, which the caller has read."


def resident_merged(*, keep: Any, remove: Any, acting_user: Any) -> dict[str, int]:
    rows = Consent.objects.unscoped(reason=REASON)
    moving = list(rows.filter(resident=remove))
    in_effect = set(rows.filter(resident=keep).in_effect().values_list("purpose", flat=True))
    if any(c.withdrawn_on is None and c.purpose in in_effect for c in moving):
        # At most one consent per purpose is in effect: which one stands is for a person to say.
        raise ApplicationError(
            _("两条记录对同一处理目的都有有效的同意，请先核对并撤回其中一条，再合并。"),
            code="consent_conflict",
        )
    for consent in moving:
        consent.resident = keep
        consent.region_code = keep.region_id
        consent._history_user = acting_user
        consent._change_reason = f"合并记录 #{remove.pk} → #{keep.pk}"
        consent.save(update_fields=["resident", "region_code"])
    return {"privacy.consent": len(moving)} if moving else {}

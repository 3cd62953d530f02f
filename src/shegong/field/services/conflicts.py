"""A supervisor acknowledges a sync conflict (the record itself was kept when it arrived)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.audit import audit_record
from shegong.field.models import FieldConflict


@transaction.atomic
def conflict_resolve(
    *, conflict: FieldConflict, acting_user: User, note: str = "", request=None
) -> FieldConflict:
    """Mark a conflict as seen and settled (the caller fetched it through
    selectors.get_conflict_for, i.e. inside the supervisor's jurisdiction)."""
    if conflict.resolved_at is not None:
        raise ValidationError({"note": _("该冲突已处理。")})
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": _("最多 %(n)s 个字符。") % {"n": 300}})
    conflict.resolved_at = timezone.now()
    conflict.resolved_by = acting_user
    conflict.resolution_note = note
    conflict.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    audit_record(
        action="field.conflict_resolve",
        actor=acting_user,
        obj=conflict,
        detail={"reason": conflict.reason},
        request=request,
    )
    return conflict

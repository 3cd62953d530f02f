"""Merging two records of one resident: each app moves its own rows through its hook
(core.registry resident merge), then the record removed points at the one kept."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.audit import audit_record
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog
from shegong.core.registry import resident_merge_hooks
from shegong.people.models import (
    Resident,
    ResidentStatus,
)


@transaction.atomic
def resident_merge(
    *, keep: Resident, remove: Resident, acting_user: User, request=None
) -> Resident:
    """Move everything of `remove` onto `keep` (each app its own rows, with history: the
    `resident_merge` hooks of core.registry) and retire `remove`."""
    if keep.pk == remove.pk:
        raise ApplicationError(_("不能与自身合并。"))
    if remove.merged_into_id:
        raise ApplicationError(_("该记录已被合并。"))
    # Each app moves its own rows, through its own code and with history (core.registry).
    moved: dict[str, int] = {}
    for hook in resident_merge_hooks():
        moved.update(hook.move(keep=keep, remove=remove, acting_user=acting_user))
    for attr in ("phone", "address", "health_notes", "disability_level", "latitude"):
        if not getattr(keep, attr) and getattr(remove, attr):
            setattr(keep, attr, getattr(remove, attr))
    if remove.latitude and not keep.longitude:
        keep.longitude = remove.longitude
    keep._history_user = acting_user
    keep._change_reason = f"合并记录 #{remove.pk}"
    keep.save()
    remove.status = ResidentStatus.MERGED
    remove.merged_into = keep
    remove._history_user = acting_user
    remove._change_reason = f"合并到 #{keep.pk}"
    remove.save(update_fields=["status", "merged_into", "updated_at"])
    audit_record(
        action=AuditLog.Action.MERGE,
        actor=acting_user,
        obj=keep,
        detail={"merged": remove.pk, "kept": keep.pk, "moved": moved},
        request=request,
    )
    return keep

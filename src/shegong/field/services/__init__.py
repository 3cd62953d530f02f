"""Writes of the field app: devices, the sync (with its handlers by kind) and conflicts."""

from shegong.field.services import handlers  # noqa: F401  (registers the three kinds)
from shegong.field.services.conflicts import conflict_resolve
from shegong.field.services.devices import (
    SyncRefused,
    device_register,
    device_revoke,
    ensure_may_sync,
)
from shegong.field.services.handlers import decode_photo, visit_attempt_record
from shegong.field.services.sync import (
    HANDLERS,
    MAX_RECORDS,
    Stored,
    SyncRecord,
    register_kind,
    sync_records,
)

__all__ = [
    "HANDLERS",
    "MAX_RECORDS",
    "Stored",
    "SyncRecord",
    "SyncRefused",
    "conflict_resolve",
    "decode_photo",
    "device_register",
    "device_revoke",
    "ensure_may_sync",
    "register_kind",
    "sync_records",
    "visit_attempt_record",
]

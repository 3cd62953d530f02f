"""The offline sync (同步): a phone's queue of records, each stored once by the id the phone gave it.

Each kind of record has a handler in `HANDLERS` (kind -> function); another app adds its kind
with one line, `register_kind("sweep_outcome", record_sweep_outcome)` in its `AppConfig.ready`
(emergency does: emergency/services/field_sync.py).
A handler takes `acting_user` and the `SyncRecord`, checks rights and scope as the pages do, calls
the owning app's service and returns what it stored (`Stored`); a ValidationError (or a refusal)
rejects that record only. Each record runs in its own savepoint: the others are still handled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pydantic
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.api_schema import schema_error_reason
from shegong.core.audit import audit_record
from shegong.core.errors import ApplicationError, error_items
from shegong.field import selectors
from shegong.field.models import (
    FieldConflict,
    FieldDevice,
    FieldSubmission,
    SubmissionStatus,
)
from shegong.field.services.devices import ensure_may_sync

MAX_RECORDS = 100
CLOCK_SKEW = timedelta(days=1)


@dataclass
class SyncRecord:
    client_id: str
    kind: str
    recorded_at: datetime
    payload: dict
    device: FieldDevice


@dataclass
class Stored:
    """What a handler kept: the record, where to see it, and a conflict if the server changed
    while the phone was offline (the record is kept all the same)."""

    obj: models.Model
    server_id: str
    url: str
    region_code: str
    message: str = ""
    conflict_reason: str = ""
    conflict_detail: str = ""
    resident: Any = None
    position: dict | None = None


Handler = Callable[..., Stored]
HANDLERS: dict[str, Handler] = {}


def register_kind(kind: str, handler: Handler) -> None:
    HANDLERS[kind] = handler


@dataclass
class Result:
    client_id: str
    status: str
    server_id: str | None = None
    url: str | None = None
    message: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "client_id": self.client_id,
            "status": self.status,
            "server_id": self.server_id,
            "url": self.url,
            "message": self.message,
            "errors": self.errors,
        }


def parse_payload(schema: type[pydantic.BaseModel], payload: dict):
    """The payload checked against its schema; errors keyed by the payload's field names."""
    try:
        return schema.model_validate(payload)
    except pydantic.ValidationError as exc:
        errors = {}
        for err in exc.errors():
            loc = ".".join(str(p) for p in err.get("loc", ())) or "__all__"
            errors.setdefault(loc, schema_error_reason(err))
        raise ValidationError(errors) from None


def sync_records(
    *, acting_user: User, device_id: str, records: list[dict], request=None
) -> list[dict]:
    """Store a phone's queued records, each once; one result per record, in order."""
    device = selectors.device_for_sync(fetched_by=acting_user, pk=device_id)
    ensure_may_sync(acting_user=acting_user, device=device, check_device=True)
    if len(records) > MAX_RECORDS:
        raise ValidationError({"records": _("一次最多同步 %(n)s 条记录。") % {"n": MAX_RECORDS}})
    earlier = selectors.submissions_by_client_id(
        client_ids=[r["client_id"] for r in records if r.get("client_id")]
    )
    results = []
    counts: dict[str, int] = {}
    for raw in records:
        result = _one(acting_user=acting_user, device=device, raw=raw, earlier=earlier)
        counts[result.status] = counts.get(result.status, 0) + 1
        results.append(result.as_dict())
    with transaction.atomic():
        device.last_sync_at = timezone.now()
        device.save(update_fields=["last_sync_at"])
        audit_record(
            action="field.sync",
            actor=acting_user,
            obj=device,
            region_code=device.region_code,
            detail={"records": len(records), **counts},
            request=request,
        )
    return results


def _one(*, acting_user: User, device: FieldDevice, raw: dict, earlier: dict) -> Result:
    client_id = str(raw["client_id"])
    found = earlier.get(client_id)
    if found is not None and found.user_id != acting_user.pk:
        return Result(
            client_id,
            SubmissionStatus.REJECTED,
            message=_("该记录编号已被使用，未保存。"),
            errors={"client_id": _("该记录编号已被使用。")},
        )
    if found is not None and found.status != SubmissionStatus.REJECTED:
        return _duplicate(found)
    recorded_at = raw["recorded_at"]
    if timezone.is_naive(recorded_at):  # a phone that sent no offset: the platform's time zone
        recorded_at = timezone.make_aware(recorded_at)
    record = SyncRecord(
        client_id=client_id,
        kind=raw["kind"],
        recorded_at=recorded_at,
        payload=raw.get("payload") or {},
        device=device,
    )
    try:
        with transaction.atomic():
            stored = _handle(acting_user=acting_user, record=record)
            submission = _keep(acting_user=acting_user, record=record, stored=stored, found=found)
    except IntegrityError:
        return _sent_meanwhile(acting_user=acting_user, client_id=client_id)
    except (ValidationError, ApplicationError, PermissionDenied, Http404) as exc:
        try:
            with transaction.atomic():
                return _rejected(acting_user=acting_user, record=record, exc=exc, found=found)
        except IntegrityError:
            return _sent_meanwhile(acting_user=acting_user, client_id=client_id)
    earlier[client_id] = submission
    return Result(
        client_id,
        submission.status,
        server_id=submission.server_id,
        url=submission.url,
        message=submission.message,
    )


def _handle(*, acting_user: User, record: SyncRecord) -> Stored:
    handler = HANDLERS.get(record.kind)
    if handler is None:
        raise ValidationError({"kind": _("未知的记录类型。")})
    if record.recorded_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"recorded_at": _("记录时间晚于当前时间，请检查手机时间。")})
    return handler(acting_user=acting_user, record=record)


def _keep(
    *, acting_user: User, record: SyncRecord, stored: Stored, found: FieldSubmission | None
) -> FieldSubmission:
    submission = found or FieldSubmission(client_id=record.client_id)
    position = stored.position or {}
    submission.device = record.device
    submission.user = acting_user
    submission.region_code = stored.region_code
    submission.kind = record.kind
    submission.status = (
        SubmissionStatus.CONFLICT if stored.conflict_reason else SubmissionStatus.STORED
    )
    submission.recorded_at = record.recorded_at
    submission.server_id = stored.server_id
    submission.url = stored.url
    submission.message = (stored.conflict_detail or stored.message)[:300]
    submission.errors = {}
    submission.latitude = position.get("latitude")
    submission.longitude = position.get("longitude")
    submission.accuracy = position.get("accuracy")
    if found is not None:
        submission.received_at = timezone.now()
    submission.save()
    if stored.conflict_reason:
        FieldConflict.objects.create(
            submission=submission,
            region_code=stored.region_code,
            reason=stored.conflict_reason,
            detail=stored.conflict_detail[:300],
            resident=stored.resident,
        )
    return submission


def _sent_meanwhile(*, acting_user: User, client_id: str) -> Result:
    """The same client id was kept by another request between our lookup and our insert (two
    sends at the same moment): a duplicate for its sender, refused for anyone else; never a 500."""
    again = selectors.submissions_by_client_id(client_ids=[client_id]).get(client_id)
    if again is None:  # the unique key failed but nothing is visible: the other send rolled back
        return Result(
            client_id,
            SubmissionStatus.REJECTED,
            message=_("该记录正在另一处同步，请稍后重试。"),
            errors={"client_id": _("该记录正在另一处同步，请稍后重试。")},
        )
    if again.user_id != acting_user.pk:
        return Result(
            client_id,
            SubmissionStatus.REJECTED,
            message=_("该记录编号已被使用，未保存。"),
            errors={"client_id": _("该记录编号已被使用。")},
        )
    if again.status == SubmissionStatus.REJECTED:
        return Result(
            client_id, SubmissionStatus.REJECTED, message=again.message, errors=again.errors
        )
    return _duplicate(again)


def _duplicate(found: FieldSubmission) -> Result:
    return Result(
        str(found.client_id),
        SubmissionStatus.DUPLICATE,
        server_id=found.server_id,
        url=found.url,
        message=_("此记录已于 %(t)s 保存，未重复保存。")
        % {"t": timezone.localtime(found.received_at).strftime("%Y-%m-%d %H:%M")},
    )


def _rejected(
    *, acting_user: User, record: SyncRecord, exc: Exception, found: FieldSubmission | None
) -> Result:
    if isinstance(exc, Http404):
        errors = {"resident_id": _("未找到该记录，或不在您的辖区范围内。")}
    elif isinstance(exc, PermissionDenied):
        errors = {"__all__": _("您的角色无权提交此类记录。")}
    else:
        errors = {}
        for item in error_items(exc):
            errors.setdefault(item["field"], item["reason"])
    message = _("未保存：") + "；".join(errors.values())
    submission = found or FieldSubmission(client_id=record.client_id)
    submission.device = record.device
    submission.user = acting_user
    submission.region_code = record.device.region_code
    submission.kind = record.kind[:20]
    submission.status = SubmissionStatus.REJECTED
    submission.recorded_at = record.recorded_at
    submission.server_id = ""
    submission.url = ""
    submission.message = message[:300]
    submission.errors = errors
    submission.save()
    return Result(record.client_id, SubmissionStatus.REJECTED, message=message, errors=errors)

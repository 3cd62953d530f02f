"""The three kinds of record a phone sends, each stored by the owning app's service: a visit
(people.visit_record), a field finding (petitions.matter_register, channel "field") and a visit
that did not reach the resident (VisitAttempt, here: the people app has no such record)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.attachments import check_attachment
from shegong.core.permissions import has_perm
from shegong.field.models import ConflictReason, SubmissionKind, VisitAttempt
from shegong.field.schemas import (
    MAX_PHOTO_BYTES,
    FindingPayload,
    NotReachedPayload,
    VisitPayload,
    day_of,
)
from shegong.field.services.sync import HANDLERS, Stored, SyncRecord, parse_payload
from shegong.people import selectors as people_selectors
from shegong.people import services as people_services
from shegong.people.models import AssistanceKind, Resident
from shegong.petitions import selectors as petition_selectors
from shegong.petitions import services as petition_services
from shegong.petitions.models import Channel, Kind, Tier

JPEG_MAGIC = b"\xff\xd8\xff"


def decode_photo(text: str, *, name: str, field: str = "photo") -> ContentFile:
    """A base64 JPEG from the phone (already compressed there) as a file to store."""
    if text.startswith("data:"):
        head, _sep, text = text.partition(",")
        if "image/jpeg" not in head:
            raise ValidationError({field: _("照片应为 JPEG 格式。")})
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: _("照片数据无法识别（应为 base64 编码的 JPEG）。")}) from None
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError({field: _("照片不能超过 1 MB，请压缩后再发送。")})
    if not data.startswith(JPEG_MAGIC):
        raise ValidationError({field: _("照片应为 JPEG 格式。")})
    upload = ContentFile(data, name=f"{name}.jpg")
    check_attachment(upload, field=field)
    return upload


def require_perm(*, acting_user: User, perm: str) -> None:
    """The role check the pages make (core.access.scoped), for one record."""
    if not has_perm(acting_user, perm):
        raise PermissionDenied(perm)


def _resident(acting_user: User, pk: int) -> Resident:
    return people_selectors.get_resident_for(fetched_by=acting_user, pk=pk)


def route_conflict(
    *,
    acting_user: User,
    resident: Resident,
    plan_id: int | None,
    route_version: datetime | None,
) -> tuple[str, str]:
    """Why a record from a downloaded route conflicts with the server now ("" if it does not):
    the plan was given to another worker, or the resident was changed after the download."""
    if plan_id is not None:
        plan = people_selectors.visit_plan_of(resident=resident)
        if plan is None or plan.pk != plan_id:
            raise ValidationError({"plan_id": _("该探访计划不属于此服务对象。")})
        if plan.worker_id != acting_user.pk:
            worker = plan.worker.full_name or plan.worker.username if plan.worker else _("无人")
            return (
                ConflictReason.PLAN_REASSIGNED,
                _("探访计划已改派给%(w)s；记录已保存，请督导确认。") % {"w": worker},
            )
    if route_version is not None and resident.updated_at > route_version:
        return (
            ConflictReason.RESIDENT_CHANGED,
            _("服务对象信息在 %(t)s 修改过（晚于路线下载）；记录已保存，请核对。")
            % {"t": timezone.localtime(resident.updated_at).strftime("%Y-%m-%d %H:%M")},
        )
    return "", ""


def _needs_text(needs: str, categories: list[str]) -> str:
    if not categories:
        return needs
    labels = "、".join(str(AssistanceKind(c).label) for c in dict.fromkeys(categories))
    return f"【{labels}】{needs}".strip()


def _position(payload) -> dict | None:
    return payload.position.dict() if payload.position else None


def record_visit(*, acting_user: User, record: SyncRecord) -> Stored:
    require_perm(acting_user=acting_user, perm="people.visit")
    payload = parse_payload(VisitPayload, record.payload)
    resident = _resident(acting_user, payload.resident_id)
    reason, detail = route_conflict(
        acting_user=acting_user,
        resident=resident,
        plan_id=payload.plan_id,
        route_version=payload.route_version,
    )
    photo = decode_photo(payload.photo, name=f"field-{record.client_id}") if payload.photo else None
    visit = people_services.visit_record(
        resident=resident,
        acting_user=acting_user,
        visited_on=day_of(payload.visited_on, record.recorded_at),
        mode=payload.mode,
        visitors=payload.visitors,
        needs=_needs_text(payload.needs, payload.needs_categories),
        photo=photo,
        **payload.checklist.dict(),
    )
    return Stored(
        obj=visit,
        server_id=f"visit:{visit.pk}",
        url=reverse("people:visit_detail", args=[visit.pk]),
        region_code=resident.region_id,
        message=_("探访记录已保存。"),
        conflict_reason=reason,
        conflict_detail=detail,
        resident=resident,
        position=_position(payload),
    )


def record_not_reached(*, acting_user: User, record: SyncRecord) -> Stored:
    require_perm(acting_user=acting_user, perm="people.visit")
    payload = parse_payload(NotReachedPayload, record.payload)
    resident = _resident(acting_user, payload.resident_id)
    reason, detail = route_conflict(
        acting_user=acting_user,
        resident=resident,
        plan_id=payload.plan_id,
        route_version=payload.route_version,
    )
    attempt = visit_attempt_record(
        resident=resident,
        acting_user=acting_user,
        attempted_on=day_of(payload.attempted_on, record.recorded_at),
        reason=payload.reason,
        note=payload.note,
    )
    return Stored(
        obj=attempt,
        server_id=f"attempt:{attempt.pk}",
        url=reverse("people:detail", args=[resident.pk]),
        region_code=resident.region_id,
        message=_("已记录探访未遇，该探访仍待完成。"),
        conflict_reason=reason,
        conflict_detail=detail,
        resident=resident,
        position=_position(payload),
    )


@transaction.atomic
def visit_attempt_record(
    *, resident: Resident, acting_user: User, attempted_on, reason: str, note: str = ""
) -> VisitAttempt:
    """A visit that did not reach the resident; the plan stays due (the visit is still owed)."""
    from shegong.core.validation import check_past_event_date

    check_past_event_date(attempted_on, field="attempted_on")
    attempt = VisitAttempt(
        resident=resident,
        region_code=resident.region_id,
        attempted_on=attempted_on,
        reason=reason,
        note=note,
        attempted_by=acting_user,
    )
    attempt.full_clean(exclude=["resident"])
    attempt.save()
    return attempt


def record_finding(*, acting_user: User, record: SyncRecord) -> Stored:
    """A dispute or problem found on the spot: a matter through the field channel (排查发现)."""
    require_perm(acting_user=acting_user, perm="petitions.register")
    payload = parse_payload(FindingPayload, record.payload)
    parties = [p.dict() for p in payload.parties]
    if payload.resident_id is not None:
        resident = _resident(acting_user, payload.resident_id)
        region_code = resident.region_id
        if not parties:
            parties = [{"name": resident.name, "phone": resident.phone, "resident_id": resident.pk}]
    elif payload.region_code:
        region_code = payload.region_code
    else:
        raise ValidationError({"region_code": _("请选择事发地（村/社区）或服务对象。")})
    category = (
        petition_selectors.leaf_categories().filter(code=payload.category).first()
        if payload.category
        else None
    )
    if category is None:
        raise ValidationError({"category": _("请选择有效的事项分类。")})
    photo = decode_photo(payload.photo, name=f"field-{record.client_id}") if payload.photo else None
    matter = petition_services.matter_register(
        acting_user=acting_user,
        kind=Kind.DISPUTE,
        channel=Channel.FIELD,
        region_code=region_code,
        category=category,
        title=payload.summary[:100],
        request=payload.summary,
        facts=payload.facts,
        address=payload.address,
        urgency=payload.urgency,
        petitioners=parties,
        received_on=day_of(None, record.recorded_at),
        finding_ref=f"field:{record.client_id}",
        tier=Tier.VILLAGE if not region_code.endswith("000") else Tier.COUNTY,
    )
    if photo is not None:
        petition_services.attachment_add(matter=matter, upload=photo, acting_user=acting_user)
    return Stored(
        obj=matter,
        server_id=f"matter:{matter.pk}",
        url=matter.get_absolute_url(),
        region_code=matter.region_id,
        message=_("已登记为事项，编号 %(n)s。") % {"n": matter.number},
        position=_position(payload),
    )


HANDLERS.update(
    {
        SubmissionKind.VISIT.value: record_visit,
        SubmissionKind.FINDING.value: record_finding,
        SubmissionKind.NOT_REACHED.value: record_not_reached,
    }
)

"""Bulk imports of volunteers and of past service records, all or nothing."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core import crypto
from shegong.core.audit import audit_record
from shegong.core.imports import FieldChecks, ImportResult, RowError, read_rows
from shegong.core.models import AuditLog
from shegong.core.scoping import jurisdiction_of
from shegong.regions.models import Region
from shegong.regions.selectors import region_resolve
from shegong.volunteers import rules
from shegong.volunteers.models import (
    PARTY_STATUSES,
    PoliticalStatus,
    ServiceRecord,
    Skill,
    Volunteer,
)
from shegong.volunteers.selectors import (
    id_taken_message,
    volunteer_id_holders,
)
from shegong.volunteers.services.common import decimal_hours
from shegong.volunteers.services.records import (
    recompute_certified_hours,
)
from shegong.volunteers.services.registration import (
    _next_volunteer_number,
)

VOLUNTEER_COLUMNS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "id_number"),
    "phone": ("手机号", "联系电话", "phone"),
    "region": ("居住区划代码", "区划代码", "region"),
    "political_status": ("政治面貌", "political_status"),
    "skills": ("技能", "skills"),
    "consent": ("已书面同意", "consent"),
}


RECORD_COLUMNS = {
    "volunteer": ("志愿者编号或身份证号", "志愿者编号", "volunteer"),
    "activity_name": ("活动名称", "activity_name"),
    "service_date": ("服务日期", "service_date"),
    "hours": ("服务时长", "hours"),
    "place": ("服务地点", "place"),
    "content": ("服务内容", "content"),
    "beneficiaries": ("服务对象", "beneficiaries"),
}


YES = {"是", "y", "yes", "1", "true", "同意"}


def _skill_codes(text: str) -> tuple[list[str], list[str]]:
    by_label = {str(label): code for code, label in Skill.choices}
    codes, unknown = [], []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        code = by_label.get(part) or (part if part in Skill.values else None)
        (codes if code else unknown).append(code or part)
    return codes, unknown


def volunteers_import(*, acting_user: User, upload, filename: str) -> ImportResult:
    """All or nothing: every row is validated; any error means no volunteer is created."""
    result = ImportResult(all_or_nothing=True, columns=VOLUNTEER_COLUMNS)
    field_checks = FieldChecks(Volunteer, ("name",))
    status_by_label = {str(label): code for code, label in PoliticalStatus.choices}
    regions: dict[str, Region | str] = {}  # typed text → the region, or why it is refused
    seen_hashes: dict[str, int] = {}
    valid: list[tuple[int, dict]] = []
    for line, row in read_rows(
        upload, filename=filename, columns=VOLUNTEER_COLUMNS, required=("name", "id_number")
    ):
        result.total_rows += 1
        errors: list[RowError] = []
        try:
            resident = crypto.validate_resident_id(row.get("id_number", ""))
        except ValidationError as exc:
            errors.append(RowError(line, "id_number", exc.message_dict["id_number"][0]))
            resident = None
        if not row.get("name"):
            errors.append(RowError(line, "name", _("姓名不能为空。")))
        else:
            errors += [RowError(line, f, r) for f, r in field_checks.errors(row).items()]
        phone = row.get("phone", "")
        if not (phone.isdigit() and len(phone) == 11):
            errors.append(RowError(line, "phone", _("手机号应为 11 位数字。")))
        text = row.get("region", "")
        if text not in regions:
            try:
                regions[text] = region_resolve(text, fetched_by=acting_user)
            except ValidationError as exc:
                regions[text] = exc.message_dict["region"][0]
        region = regions[text]
        if isinstance(region, str):
            errors.append(RowError(line, "region", region))
        status_text = row.get("political_status", "") or str(PoliticalStatus.MASSES.label)
        status = status_by_label.get(status_text) or (
            status_text if status_text in PoliticalStatus.values else None
        )
        if status is None:
            errors.append(
                RowError(line, "political_status", _("政治面貌无效：%(v)s") % {"v": status_text})
            )
        skills, unknown = _skill_codes(row.get("skills", ""))
        if unknown:
            errors.append(
                RowError(line, "skills", _("未知技能：%(v)s") % {"v": "、".join(unknown)})
            )
        if row.get("consent", "").lower() not in YES:
            errors.append(RowError(line, "consent", _("须有本人书面同意方可登记。")))
        if resident is not None:
            digest = crypto.blind_index(resident.number)
            if digest in seen_hashes:
                errors.append(
                    RowError(
                        line,
                        "id_number",
                        _("与第 %(l)d 行身份证号重复。") % {"l": seen_hashes[digest]},
                    )
                )
            seen_hashes.setdefault(digest, line)
        if errors:
            result.extend(errors)
            continue
        valid.append(
            (
                line,
                {
                    "resident": resident,
                    "name": row["name"],
                    "phone": phone,
                    "region": region.code,
                    "status": status,
                    "skills": skills,
                },
            )
        )
    existing = volunteer_id_holders([item["resident"].number for _line, item in valid])
    for line, item in valid:
        holder = existing.get(item["resident"].number)
        if holder is not None:
            result.add_error(line, "id_number", id_taken_message(holder, fetched_by=acting_user))
    if result.has_errors:
        return result
    with transaction.atomic():
        numbers: dict[str, int] = {}
        objs = []
        now = timezone.now()
        for _line, item in valid:
            county = item["region"][:6]
            if county not in numbers:
                first = _next_volunteer_number(item["region"])
                numbers[county] = int(first[7:])
            else:
                numbers[county] += 1
            resident = item["resident"]
            objs.append(
                Volunteer(
                    number=rules.volunteer_number(item["region"], numbers[county]),
                    name=item["name"],
                    sex=resident.sex,
                    birth_date=resident.birth_date,
                    id_number_encrypted=crypto.encrypt(resident.number),
                    id_number_hash=crypto.blind_index(resident.number),
                    id_number_masked=crypto.mask_id(resident.number),
                    phone=item["phone"],
                    skills=item["skills"],
                    region_id=item["region"],
                    political_status=item["status"],
                    is_party_member=item["status"] in PARTY_STATUSES,
                    source=Volunteer.Source.IMPORT,
                    consent_at=now,
                )
            )
        Volunteer.objects.bulk_create(objs, batch_size=1000)
        result.created = len(objs)
        audit_record(
            action=AuditLog.Action.IMPORT,
            actor=acting_user,
            region_code=acting_user.active_membership.organisation.region_id,
            detail={"import": "volunteers", "file": filename, "created": len(objs)},
        )
    return result


def records_import(*, acting_user: User, upload, filename: str) -> ImportResult:
    """Past service records from other systems, recorded by the importer's organisation and
    confirmed on import (the importing organisation certifies them). All or nothing."""
    result = ImportResult(all_or_nothing=True, columns=RECORD_COLUMNS)
    field_checks = FieldChecks(
        ServiceRecord, ("activity_name", "place", "content", "beneficiaries")
    )
    organisation = acting_user.active_membership.organisation
    jurisdiction = jurisdiction_of(acting_user)
    rows: list[tuple[int, dict]] = []
    for line, row in read_rows(
        upload,
        filename=filename,
        columns=RECORD_COLUMNS,
        required=("volunteer", "activity_name", "service_date", "hours"),
    ):
        result.total_rows += 1
        rows.append((line, row))
    keys = {r["volunteer"].upper() for _l, r in rows if r.get("volunteer")}
    hashes = {h: k for k in keys if len(k) == 18 for h in crypto.blind_indexes(k)}
    found: dict[str, Volunteer] = {}
    for v in (
        Volunteer.objects.visible_to(acting_user)
        .filter(Q(number__in=keys) | Q(id_number_hash__in=list(hashes)))
        .only("id", "number", "id_number_hash", "region_id")
    ):
        found[v.number] = v
        if v.id_number_hash in hashes:
            found[hashes[v.id_number_hash]] = v
    objs = []
    now = timezone.now()
    for line, row in rows:
        errors: list[RowError] = []
        volunteer = found.get(row.get("volunteer", "").upper())
        if volunteer is None or not jurisdiction.contains(volunteer.region_id):
            errors.append(RowError(line, "volunteer", _("找不到该志愿者（编号或身份证号）。")))
        if not row.get("activity_name"):
            errors.append(RowError(line, "activity_name", _("活动名称不能为空。")))
        skip = () if row.get("activity_name") else ("activity_name",)
        errors += [RowError(line, f, r) for f, r in field_checks.errors(row, skip=skip).items()]
        service_date = None
        try:
            service_date = date.fromisoformat(row.get("service_date", "")[:10])
            if service_date > timezone.localdate():
                errors.append(RowError(line, "service_date", _("服务日期不能晚于今天。")))
        except ValueError:
            errors.append(RowError(line, "service_date", _("日期格式应为 2024-05-01。")))
        try:
            hours = decimal_hours(row.get("hours", ""))
        except ValidationError as exc:
            errors.append(RowError(line, "hours", exc.message_dict["hours"][0]))
            hours = None
        if errors:
            result.extend(errors)
            continue
        objs.append(
            ServiceRecord(
                volunteer=volunteer,
                organisation=organisation,
                region_code=organisation.region_id,
                activity_name=row["activity_name"],
                service_date=service_date,
                place=row.get("place", ""),
                content=row.get("content", ""),
                beneficiaries=row.get("beneficiaries", ""),
                hours=hours,
                status=ServiceRecord.Status.CONFIRMED,
                confirmed_at=now,
                source=ServiceRecord.Source.IMPORT,
                recorder=acting_user,
                recorder_name=str(acting_user),
                person_in_charge=organisation.contact_person,
            )
        )
    if result.has_errors:
        return result
    with transaction.atomic():
        ServiceRecord.objects.bulk_create(objs, batch_size=1000)
        recompute_certified_hours([o.volunteer_id for o in objs])
        result.created = len(objs)
        audit_record(
            action=AuditLog.Action.IMPORT,
            actor=acting_user,
            region_code=organisation.region_id,
            detail={"import": "service_records", "file": filename, "created": len(objs)},
        )
    return result

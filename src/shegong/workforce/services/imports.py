"""The Excel import of worker profiles: every row checked by the same code as a single
create; all or nothing, or the valid rows with the rejected ones listed (line and cause)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.crypto import validate_resident_id
from shegong.core.imports import ImportResult, RowError, read_rows
from shegong.core.models import AuditLog
from shegong.orgs.models import Organisation
from shegong.workforce.models import Education, EmploymentType, PostRecord, WorkerProfile
from shegong.workforce.services.common import id_taken_message
from shegong.workforce.services.profiles import worker_prepare

COLUMNS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "id_number"),
    "education": ("学历", "education"),
    "major": ("专业", "major"),
    "social_work_major": ("社会工作专业", "social_work_major"),
    "employer": ("工作单位", "employer"),
    "post": ("岗位", "post"),
    "employment_type": ("用工性质", "employment_type"),
    "social_work_start_date": ("从事社会工作起始时间", "social_work_start_date"),
    "phone": ("联系电话", "phone"),
}
REQUIRED = ("name", "id_number", "education", "employer")
YES = {"是", "y", "yes", "1", "true"}


def _choice(text: str, choices) -> str | None:
    by_label = {str(label): value for value, label in choices.choices}
    return by_label.get(text) or (text if text in choices.values else None)


def _date(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        raise ValidationError({field: _("日期格式应为 2020-01-31。")})


def _employers(acting_user) -> dict[str, Organisation]:
    """The organisations of the user's jurisdiction by name (and by unified credit code)."""
    found: dict[str, Organisation] = {}
    for org in Organisation.objects.visible_to(acting_user).filter(is_active=True):
        found.setdefault(org.name, org)
        if org.credit_code:
            found.setdefault(org.credit_code, org)
    return found


def workers_import(
    *, acting_user, upload, filename: str, all_or_nothing: bool = True
) -> ImportResult:
    result = ImportResult(all_or_nothing=all_or_nothing, columns=COLUMNS)
    employers = _employers(acting_user)
    seen: dict[str, int] = {}
    valid: list[WorkerProfile] = []
    for line, row in read_rows(upload, filename=filename, columns=COLUMNS, required=REQUIRED):
        result.total_rows += 1
        errors: list[RowError] = []
        education = _choice(row.get("education", ""), Education)
        if education is None:
            errors.append(
                RowError(line, "education", _("学历无效：%(v)s") % {"v": row["education"]})
            )
        employment = row.get("employment_type", "")
        if employment:
            employment = _choice(employment, EmploymentType)
            if employment is None:
                errors.append(RowError(line, "employment_type", _("用工性质无效。")))
        employer = employers.get(row.get("employer", ""))
        if employer is None:
            errors.append(
                RowError(
                    line, "employer", _("辖区内没有这个工作单位：%(v)s") % {"v": row["employer"]}
                )
            )
        try:
            start = _date(row.get("social_work_start_date", ""), "social_work_start_date")
        except ValidationError as exc:
            errors.append(RowError(line, "social_work_start_date", exc.messages[0]))
            start = None
        worker = None
        if not errors:
            try:
                worker = worker_prepare(
                    acting_user=acting_user,
                    id_number=row["id_number"],
                    employer=employer,
                    name=row["name"],
                    education=education,
                    major=row.get("major", ""),
                    social_work_major=row.get("social_work_major", "").lower() in YES,
                    post=row.get("post", ""),
                    employment_type=employment or "",
                    social_work_start_date=start,
                    phone=row.get("phone", ""),
                )
                number = validate_resident_id(row["id_number"]).number
                taken = id_taken_message(number, acting_user=acting_user)
                if taken:
                    raise ValidationError({"id_number": taken})
                if number in seen:
                    raise ValidationError(
                        {"id_number": _("与第 %(n)d 行的身份证号码重复。") % {"n": seen[number]}}
                    )
                seen[number] = line
            except ValidationError as exc:
                result.add_validation_error(line, exc)
                continue
        if errors:
            result.extend(errors)
            continue
        valid.append(worker)
    if result.taken_nothing or not valid:
        return result
    with transaction.atomic():
        created = WorkerProfile.objects.bulk_create(valid)
        PostRecord.objects.bulk_create(
            [
                PostRecord(
                    worker=w,
                    organisation=w.employer,
                    region_code=w.region_code,
                    post=w.post,
                    started_on=w.social_work_start_date or timezone.localdate(),
                )
                for w in created
            ]
        )
        result.created = len(created)
        audit_record(
            action=AuditLog.Action.IMPORT,
            actor=acting_user,
            region_code=acting_user.active_membership.organisation.region_id,
            detail={
                "kind": "workforce.workers",
                "created": len(created),
                "rows": result.total_rows,
            },
        )
    return result

"""Worker profiles: create, update, change of post, certificates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.crypto import sensitive_columns, validate_resident_id
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.orgs.models import Organisation
from shegong.workforce import rules
from shegong.workforce.models import (
    Certificate,
    Education,
    EmploymentType,
    PostRecord,
    QualificationLevel,
    WorkerProfile,
    WorkerStatus,
)
from shegong.workforce.services.common import audit, id_taken_message

EDITABLE = (
    "name",
    "education",
    "major",
    "social_work_major",
    "post",
    "employment_type",
    "work_start_date",
    "social_work_start_date",
    "skills",
    "service_fields",
    "party_member",
    "phone",
    "approved_supervisor",
)


def _check_fields(data: dict[str, Any]) -> None:
    if "name" in data and not (data["name"] or "").strip():
        raise ValidationError({"name": _("请填写姓名。")})
    if "education" in data and data["education"] not in Education.values:
        raise ValidationError({"education": _("请选择学历。")})
    kind = data.get("employment_type") or ""
    if kind and kind not in EmploymentType.values:
        raise ValidationError({"employment_type": _("用工性质无效。")})
    start = data.get("social_work_start_date")
    if start and start > timezone.localdate():
        raise ValidationError({"social_work_start_date": _("从事社会工作起始时间不能晚于今天。")})


def _check_employer(employer: Organisation, acting_user) -> None:
    ensure_in_jurisdiction(acting_user, employer.region_id, field="employer")


def worker_prepare(*, acting_user, id_number: str, employer: Organisation, **data) -> WorkerProfile:
    """A validated, unsaved profile (the import validates every row with it)."""
    data = {k: v for k, v in data.items() if k in EDITABLE}
    data["name"] = (data.get("name") or "").strip()
    _check_fields({"name": data["name"], "education": data.get("education", ""), **data})
    rid = validate_resident_id(id_number)
    _check_employer(employer, acting_user)
    cols = sensitive_columns(rid.number)
    return WorkerProfile(
        **data,
        sex=rid.sex,
        birth_date=rid.birth_date,
        id_number_encrypted=cols["encrypted"],
        id_number_hash=cols["hash"],
        id_number_masked=cols["masked"],
        employer=employer,
        region_code=employer.region_id,
        post_start_date=data.get("post_start_date"),
    )


@transaction.atomic
def worker_create(
    *,
    acting_user,
    id_number: str,
    employer: Organisation,
    post_start_date: date | None = None,
    **data,
) -> WorkerProfile:
    worker = worker_prepare(acting_user=acting_user, id_number=id_number, employer=employer, **data)
    taken = id_taken_message(validate_resident_id(id_number).number, acting_user=acting_user)
    if taken:
        raise ValidationError({"id_number": taken}, code="duplicate_id")
    worker.post_start_date = post_start_date
    worker.save()
    PostRecord.objects.create(
        worker=worker,
        organisation=employer,
        region_code=employer.region_id,
        post=worker.post,
        started_on=post_start_date or timezone.localdate(),
    )
    audit(worker, acting_user=acting_user, event="worker_create")
    return worker


@transaction.atomic
def worker_update(*, worker: WorkerProfile, acting_user, data: dict[str, Any]) -> WorkerProfile:
    changes = {k: v for k, v in data.items() if k in EDITABLE}
    _check_fields(changes)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    for k, v in changes.items():
        setattr(worker, k, v)
    worker.save(update_fields=[*changes, "updated_at"])
    audit(worker, acting_user=acting_user, event="worker_update", fields=sorted(changes))
    return worker


@transaction.atomic
def worker_change_post(
    *,
    worker: WorkerProfile,
    acting_user,
    employer: Organisation,
    post: str,
    started_on: date,
) -> PostRecord:
    """A new post (perhaps at another employer in the jurisdiction): the current post record
    ends the day before, a new one starts; the profile follows its employer's region."""
    _check_employer(employer, acting_user)
    if worker.status != WorkerStatus.IN_POST:
        raise ValidationError({"post": _("该社会工作者已离职。")})
    current = worker.posts.filter(ended_on__isnull=True).order_by("-started_on").first()
    if current is not None:
        if started_on <= current.started_on:
            raise ValidationError({"started_on": _("新岗位的起始日期应晚于现岗位的起始日期。")})
        current.ended_on = started_on - timezone.timedelta(days=1)
        current.save(update_fields=["ended_on"])
    record = PostRecord.objects.create(
        worker=worker,
        organisation=employer,
        region_code=employer.region_id,
        post=post,
        started_on=started_on,
    )
    worker.employer = employer
    worker.region_code = employer.region_id
    worker.post = post
    worker.post_start_date = started_on
    worker.save(update_fields=["employer", "region_code", "post", "post_start_date", "updated_at"])
    audit(worker, acting_user=acting_user, event="worker_change_post", post=post)
    return record


@transaction.atomic
def worker_leave(*, worker: WorkerProfile, acting_user, left_on: date, reason: str) -> None:
    worker.status = WorkerStatus.LEFT
    worker.left_on = left_on
    worker.leave_reason = reason
    worker.save(update_fields=["status", "left_on", "leave_reason", "updated_at"])
    worker.posts.filter(ended_on__isnull=True).update(ended_on=left_on)
    audit(worker, acting_user=acting_user, event="worker_leave")


def refresh_highest_level(worker: WorkerProfile) -> None:
    levels = set(worker.certificates.values_list("level", flat=True))
    highest = max(levels, key=rules.RANK.get, default="")
    if highest != worker.highest_level:
        worker.highest_level = highest
        worker.save(update_fields=["highest_level", "updated_at"])


@transaction.atomic
def certificate_record(
    *,
    worker: WorkerProfile,
    acting_user,
    level: str,
    number: str,
    issued_on: date,
    issuing_body: str = "",
) -> Certificate:
    if level not in QualificationLevel.values:
        raise ValidationError({"level": _("请选择等级。")})
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": _("请填写证书编号。")})
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("取得日期不能晚于今天。")})
    if (
        Certificate.objects.unscoped(reason="A certificate number is unique across the country.")
        .filter(level=level, number=number)
        .exists()
    ):
        raise ValidationError({"number": _("该等级的证书编号已登记。")})
    if worker.certificates.filter(level=level).exists():
        raise ValidationError({"level": _("该社会工作者已登记此等级的证书。")})
    cert = Certificate.objects.create(
        worker=worker,
        region_code=worker.region_code,
        level=level,
        number=number,
        issued_on=issued_on,
        issuing_body=issuing_body,
    )
    refresh_highest_level(worker)
    audit(worker, acting_user=acting_user, event="certificate_record", level=level)
    return cert

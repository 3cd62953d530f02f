"""Rewards and discipline (奖惩) on a worker's record, and pay: a department's local guidance
figure (薪酬指导价) and the monthly pay an employer reports for a worker."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.careers.models import ConductRecord, PayGuidance, RecordKind, WorkerPay
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.workforce.models import WorkerProfile


@transaction.atomic
def conduct_record(
    *,
    acting_user: Any,
    worker: WorkerProfile,
    kind: str,
    title: str,
    basis: str,
    decided_on: date,
    issuer: str,
    ends_on: date | None = None,
) -> ConductRecord:
    """Record a reward (奖励、表彰) or a disciplinary measure (处分) with its basis."""
    if not has_perm(acting_user, "careers.conduct"):
        raise ValidationError({"kind": _("您的角色不能登记奖惩。")})
    ensure_in_jurisdiction(acting_user, worker.region_code, field="worker")
    if kind not in RecordKind.values:
        raise ValidationError({"kind": _("没有这个类别。")})
    if not basis.strip():
        raise ValidationError({"basis": _("须写明依据。")})
    if ends_on is not None and ends_on < decided_on:
        raise ValidationError({"ends_on": _("期满日期不能早于决定日期。")})
    record = ConductRecord(
        worker=worker,
        region_code=worker.region_code,
        kind=kind,
        title=title,
        basis=basis,
        decided_on=decided_on,
        ends_on=ends_on,
        issued_by=issuer,
        recorded_by=acting_user,
    )
    record.full_clean()
    record._history_user = acting_user
    record.save()
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=record)
    return record


@transaction.atomic
def pay_guidance_set(
    *, acting_user: Any, year: int, monthly_yuan: int, document: str = ""
) -> PayGuidance:
    """A department sets the pay guidance of its own region for a year (replacing it)."""
    if not has_perm(acting_user, "careers.pay"):
        raise ValidationError({"monthly_yuan": _("您的角色不能设定薪酬指导价。")})
    organisation = acting_user.active_membership.organisation
    found = PayGuidance.objects.visible_to(acting_user).filter(
        region_code=organisation.region_id, year=year
    ).first() or PayGuidance(
        organisation=organisation, region_code=organisation.region_id, year=year
    )
    found.monthly_yuan = monthly_yuan
    found.document = document
    found._history_user = acting_user
    found.save()
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=found)
    return found


@transaction.atomic
def worker_pay_set(
    *, acting_user: Any, worker: WorkerProfile, year: int, monthly_yuan: int
) -> WorkerPay:
    if not has_perm(acting_user, "careers.pay"):
        raise ValidationError({"monthly_yuan": _("您的角色不能登记薪酬。")})
    ensure_in_jurisdiction(acting_user, worker.region_code, field="worker")
    found = WorkerPay.objects.visible_to(acting_user).filter(worker=worker, year=year).first()
    found = found or WorkerPay(worker=worker, region_code=worker.region_code, year=year)
    found.monthly_yuan = monthly_yuan
    found._history_user = acting_user
    found.save()
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=found)
    return found

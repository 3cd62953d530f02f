"""Volunteer activities (志愿活动) and their shifts: created, published, cancelled
(volunteers.workflow.ACTIVITY)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.errors import ApplicationError
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.core.validation import check_planned_date
from shegong.orgs.models import Organisation
from shegong.regions.selectors import region_resolve
from shegong.volunteers.models import (
    Activity,
    Notice,
    Shift,
    SignUp,
)
from shegong.volunteers.services.common import clean_skills

OWN_ROWS = (
    "Rows of a team, shift, activity, volunteer or record the caller already read through "
    "its scope (or the signed-in volunteer's own), read or locked before they change."
)


def new_checkin_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


@transaction.atomic
def activity_create(
    *,
    acting_user: User,
    organisation: Organisation,
    data: dict[str, Any],
    shifts: list[dict[str, Any]] | None = None,
    publish: bool = False,
) -> Activity:
    site = data.get("site")
    region = data.get("region") or (site.region if site else organisation.region)
    if isinstance(region, str):
        region = region_resolve(region, fetched_by=acting_user)
    ensure_in_jurisdiction(acting_user, region.code)
    ensure_in_jurisdiction(acting_user, organisation.region_id, field="organisation")
    activity = Activity(
        title=data.get("title", "").strip(),
        description=data.get("description", ""),
        service_type=data.get("service_type", ""),
        beneficiaries=data.get("beneficiaries", ""),
        organisation=organisation,
        site=site,
        address=data.get("address") or (site.address if site else ""),
        region=region,
        starts_at=data.get("starts_at"),
        ends_at=data.get("ends_at"),
        is_brand=bool(data.get("is_brand")),
        brand_name=data.get("brand_name", ""),
        auto_accept=data.get("auto_accept", True),
        person_in_charge=data.get("person_in_charge") or organisation.contact_person,
        contact_phone=data.get("contact_phone") or organisation.phone,
        status=Activity.Status.PUBLISHED if publish else Activity.Status.DRAFT,
        created_by=acting_user,
    )
    check_planned_date(activity.starts_at, field="starts_at")
    check_planned_date(activity.ends_at, field="ends_at")
    if activity.starts_at and activity.ends_at and activity.ends_at <= activity.starts_at:
        raise ValidationError({"ends_at": _("结束时间应晚于开始时间。")})
    if activity.is_brand and not activity.brand_name:
        raise ValidationError({"brand_name": _("品牌活动请填写品牌名称。")})
    activity.full_clean(exclude=["created_by"])
    activity._history_user = acting_user
    activity.save()
    for spec in shifts or []:
        shift_add(activity=activity, acting_user=acting_user, **spec)
    return activity


@transaction.atomic
def shift_add(
    *,
    activity: Activity,
    acting_user: User,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    required_skills: list[str] | None = None,
    title: str = "",
) -> Shift:
    check_planned_date(starts_at, field="starts_at")
    check_planned_date(ends_at, field="ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("班次结束时间应晚于开始时间。")})
    if capacity < 1:
        raise ValidationError({"capacity": _("名额至少为 1。")})
    shift = Shift(
        activity=activity,
        region_code=activity.region_id,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        required_skills=clean_skills(required_skills),
        checkin_code=new_checkin_code(),
    )
    shift._history_user = acting_user
    shift.save()
    return shift


@transaction.atomic
def activity_publish(*, activity: Activity, acting_user: User) -> Activity:
    if activity.status != Activity.Status.DRAFT:
        raise ApplicationError(_("只有草稿状态的活动可以发布。"), field="status")
    if not activity.shifts.exists():
        raise ApplicationError(_("请至少添加一个班次后再发布。"), field="status")
    activity.status = Activity.Status.PUBLISHED
    activity._history_user = acting_user
    activity.save(update_fields=["status", "updated_at"])
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, acting_user: User, reason: str) -> Activity:
    if activity.status not in (Activity.Status.DRAFT, Activity.Status.PUBLISHED):
        raise ApplicationError(_("该活动不能取消。"), field="status")
    activity.status = Activity.Status.CANCELLED
    activity._history_user = acting_user
    activity._change_reason = reason
    activity.save(update_fields=["status", "updated_at"])
    volunteer_ids = (
        SignUp.objects.unscoped(reason=OWN_ROWS)
        .filter(
            shift__activity=activity,
            status__in=(SignUp.Status.ACCEPTED, SignUp.Status.PENDING, SignUp.Status.WAITLISTED),
        )
        .values_list("volunteer_id", flat=True)
    )
    Notice.objects.bulk_create(
        Notice(
            volunteer_id=v,
            text=_("活动「%(t)s」已取消：%(r)s") % {"t": activity.title, "r": reason},
        )
        for v in set(volunteer_ids)
    )
    return activity

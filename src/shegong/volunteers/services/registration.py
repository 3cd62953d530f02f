"""Registering volunteers (志愿者注册): numbers, the checked personal fields, the login through
the accounts services, later edits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.membership_services import membership_create, user_create
from shegong.accounts.models import Role, User
from shegong.core import crypto
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.orgs.models import Organisation
from shegong.regions.models import Region
from shegong.regions.selectors import region_resolve
from shegong.volunteers import rules
from shegong.volunteers.models import (
    PARTY_STATUSES,
    PoliticalStatus,
    Volunteer,
)
from shegong.volunteers.selectors import (
    home_organisation,
    id_taken_message,
    volunteer_id_holders,
)
from shegong.volunteers.services.common import clean_skills

NUMBERS = (
    "Numbers run per county (volunteers) or per organisation and year (certificates): the "
    "highest number issued there gives the next one; nothing else is read."
)


def _next_volunteer_number(region_code: str) -> str:
    prefix = f"V{region_code[:6]}"
    last = (
        Volunteer.objects.unscoped(reason=NUMBERS)
        .filter(number__gte=prefix, number__lt=prefix + "~")
        .aggregate(m=Max("number"))
        .get("m")
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return rules.volunteer_number(region_code, sequence)


def volunteer_person(data: dict[str, Any]) -> tuple[crypto.ResidentId, Region, dict[str, Any]]:
    """The checked ID number, home region and personal fields of a registration form."""
    resident = crypto.validate_resident_id(data.get("id_number", ""))
    region = data.get("region")
    if not region:
        raise ValidationError({"region": _("请选择居住区划。")})
    if isinstance(region, str):
        region = region_resolve(region)
    name = (data.get("name") or "").strip()
    phone = (data.get("phone") or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写姓名。")})
    if not phone.isdigit() or len(phone) != 11:
        raise ValidationError({"phone": _("请填写 11 位手机号码。")})
    status = data.get("political_status") or PoliticalStatus.MASSES
    if status not in PoliticalStatus.values:
        raise ValidationError({"political_status": _("政治面貌无效。")})
    fields = {
        "name": name,
        "sex": resident.sex,
        "birth_date": resident.birth_date,
        "phone": phone,
        "skills": clean_skills(data.get("skills")),
        "languages": (data.get("languages") or "普通话").strip(),
        "availability": sorted(
            {int(d) for d in data.get("availability") or [] if 0 <= int(d) <= 6}
        ),
        "political_status": status,
        "consent_public": bool(data.get("consent_public")),
    }
    return resident, region, fields


@transaction.atomic
def volunteer_register(
    *,
    data: dict[str, Any],
    source: str,
    acting_user: User | None = None,
    organisation: Organisation | None = None,
    consent: bool,
    consent_at: datetime | None = None,
) -> Volunteer:
    """Register a volunteer (志愿者注册). Consent to the stated use of their data is required."""
    if not consent:
        raise ValidationError({"consent": _("请阅读并同意个人信息使用说明后再注册。")})
    resident, region, fields = volunteer_person(data)
    if acting_user is not None:
        ensure_in_jurisdiction(acting_user, region.code)
    digest = crypto.blind_index(resident.number)
    holders = volunteer_id_holders([resident.number])
    if holders:
        raise ValidationError(
            {"id_number": id_taken_message(holders[resident.number], fetched_by=acting_user)}
        )
    volunteer = Volunteer(
        number=_next_volunteer_number(region.code),
        **fields,
        id_number_encrypted=crypto.encrypt(resident.number),
        id_number_hash=digest,
        id_number_masked=crypto.mask_id(resident.number),
        region=region,
        is_party_member=fields["political_status"] in PARTY_STATUSES,
        organisation=organisation,
        source=source,
        consent_at=consent_at or timezone.now(),
    )
    volunteer._history_user = acting_user
    volunteer.full_clean(exclude=["user", "organisation"])
    volunteer.save()
    return volunteer


def volunteer_account_create(
    volunteer: Volunteer, *, username: str, password_hash: str, acting_user: User | None = None
) -> User:
    """The volunteer's login (role 志愿者 at the station or department serving their home),
    through the audited account services."""
    org = volunteer.organisation or home_organisation(volunteer.region_id)
    if org is None:
        raise ValidationError({"region": _("该区划暂无可受理的社工站或社会工作部。")})
    user = user_create(
        acting_user=acting_user,
        username=username,
        password_hash=password_hash,
        full_name=volunteer.name,
        phone=volunteer.phone,
        via="volunteer_registration",
    )
    membership_create(
        acting_user=acting_user,
        user=user,
        organisation=org,
        role=Role.VOLUNTEER,
        via="volunteer_registration",
    )
    volunteer.user = user
    volunteer.save(update_fields=["user", "updated_at"])
    return user


@transaction.atomic
def volunteer_update(*, volunteer: Volunteer, acting_user: User, data: dict[str, Any]) -> Volunteer:
    fields = []
    for name in ("name", "phone", "languages"):
        if name in data:
            setattr(volunteer, name, (data[name] or "").strip())
            fields.append(name)
    if "skills" in data:
        volunteer.skills = clean_skills(data["skills"])
        fields.append("skills")
    if "availability" in data:
        volunteer.availability = sorted({int(d) for d in data["availability"]})
        fields.append("availability")
    if "political_status" in data:
        volunteer.political_status = data["political_status"]
        volunteer.is_party_member = data["political_status"] in PARTY_STATUSES
        fields += ["political_status", "is_party_member"]
    if "region" in data:
        ensure_in_jurisdiction(acting_user, data["region"].code)
        volunteer.region = data["region"]
        fields.append("region")
    if "is_active" in data:
        volunteer.is_active = bool(data["is_active"])
        fields.append("is_active")
    volunteer.full_clean(exclude=["user", "organisation"])
    volunteer._history_user = acting_user
    volunteer.save(update_fields=[*fields, "updated_at"])
    return volunteer

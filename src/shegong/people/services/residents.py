"""Writes for residents: registering (with the duplicate and ID checks), editing, categories
and household members."""

from __future__ import annotations

from datetime import date
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.crypto import blind_indexes, sensitive_columns, validate_resident_id
from shegong.core.errors import ApplicationError
from shegong.core.imports import FieldChecks
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.people.models import (
    Category,
    HouseholdMember,
    Resident,
    ResidentCategory,
    ResidentStatus,
    VisitPlan,
)
from shegong.people.selectors import (
    find_duplicates,
    id_number_holder,
    id_number_holder_of,
    id_number_taken_message,
)
from shegong.people.services.resident_rows import NumberTaken, _Prepared, residents_write
from shegong.regions.models import Level, Region

OWN_ROWS = (
    "Rows (visit plan, categories) of a resident the caller already read through its "
    "scope, or locked before they change."
)


class PossibleDuplicates(ApplicationError):
    """Likely duplicates exist; the person confirms before a new record is created.
    `candidates` are records the user may see; `elsewhere` only says, for matches outside the
    user's jurisdiction, whom to contact (never whose record it is)."""

    def __init__(self, candidates: list[Resident], elsewhere: list[str] | None = None):
        self.candidates = candidates
        self.elsewhere = list(elsewhere or [])
        parts = []
        if candidates:
            parts.append(
                _("发现 %(n)d 条可能重复的记录，请核对后再确认新建。") % {"n": len(candidates)}
            )
        super().__init__("".join([*parts, *self.elsewhere]), code="possible_duplicate")


def _check_id_against(rid, *, sex: str = "", birth_date: date | None = None) -> None:
    if birth_date and birth_date != rid.birth_date:
        raise ValidationError(
            {
                "birth_date": _("出生日期与身份证号码不符（号码中为 %(d)s）。")
                % {"d": rid.birth_date.isoformat()}
            },
            code="birth_mismatch",
        )
    if sex and sex != rid.sex:
        raise ValidationError(
            {
                "sex": _("性别与身份证号码不符（号码中为%(s)s）。")
                % {"s": "男" if rid.sex == "M" else "女"}
            },
            code="sex_mismatch",
        )


@transaction.atomic
def resident_create(
    *,
    acting_user: User,
    name: str,
    id_number: str,
    region: Region,
    phone: str = "",
    address: str = "",
    sex: str = "",
    birth_date: date | None = None,
    categories: list[Category] | None = None,
    health_notes: str = "",
    disability_level: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    assigned_worker: User | None = None,
    confirm_duplicates: bool = False,
) -> Resident:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写姓名。")})
    rid = validate_resident_id(id_number)
    _check_id_against(rid, sex=sex, birth_date=birth_date)
    ensure_in_jurisdiction(acting_user, region.code)
    if region.level != Level.VILLAGE:
        raise ValidationError({"region": _("请选择村（社区）一级的区划。")})
    indexes = blind_indexes(rid.number)
    _refuse_older_scheme(indexes[1:], acting_user=acting_user)
    if not confirm_duplicates:
        duplicates = find_duplicates(
            fetched_by=acting_user,
            name=name,
            birth_date=rid.birth_date,
            county_code=region.code[:6],
            phone=phone,
        )
        if duplicates:
            _refuse_taken(rid.number, acting_user=acting_user)  # the clearer answer comes first
            raise PossibleDuplicates(duplicates.found, duplicates.elsewhere)
    cols = sensitive_columns(rid.number, index=indexes[0])
    worker = assigned_worker or _default_worker(acting_user)
    # Made with the foreign keys' ids (setting them by object costs as much again), the
    # objects then cached as the descriptors would.
    resident = Resident(
        name=name,
        id_number_encrypted=cols["encrypted"],
        id_number_hash=cols["hash"],
        id_number_masked=cols["masked"],
        sex=rid.sex,
        birth_date=rid.birth_date,
        phone=(phone or "").strip(),
        address=(address or "").strip(),
        region_id=region.code,
        county_code=region.code[:6],
        health_notes=health_notes,
        disability_level=disability_level,
        latitude=latitude,
        longitude=longitude,
        assigned_worker_id=worker.pk if worker is not None else None,
    )
    _REGION.set_cached_value(resident, region)
    if worker is not None:
        _WORKER.set_cached_value(resident, worker)
    errors = _field_checks().errors({f: getattr(resident, f) for f in CHECKED_FIELDS})
    if errors:
        raise ValidationError(errors)
    wanted = list({c.pk: c for c in categories or ()}.values())
    try:  # the unique index on the blind index refuses a taken number (nothing written)
        residents_write(
            [_Prepared(line=0, resident=resident, categories=wanted)],
            acting_user=acting_user,
            reason=None,
        )
    except NumberTaken:
        _refuse_taken(rid.number, acting_user=acting_user)
        raise
    resident._state.adding = False
    resident._state.db = "default"
    return resident


_REGION = Resident._meta.get_field("region")
_WORKER = Resident._meta.get_field("assigned_worker")

# The model's own checks of the fields a person fills in (what full_clean would run on them,
# without its queries: the ID's uniqueness is the database's unique index).
CHECKED_FIELDS = (
    "name",
    "phone",
    "address",
    "health_notes",
    "disability_level",
    "latitude",
    "longitude",
)


@cache
def _field_checks() -> FieldChecks:
    return FieldChecks(Resident, CHECKED_FIELDS)


def _refuse_older_scheme(older: list[str], *, acting_user: User) -> None:
    """Refuse a number stored under an earlier blind-index scheme or key (`older`: its blind
    indexes but the current one; a rotation not yet finished, or the other cipher setting):
    the unique index compares only values of the current one. One indexed query on that
    index."""
    if not older:
        return
    holder = id_number_holder_of(older)
    if holder is not None:
        raise ValidationError(
            {"id_number": id_number_taken_message(holder, fetched_by=acting_user)},
            code="duplicate_id",
        )


def _refuse_taken(number: str, *, acting_user: User) -> None:
    """The field error for a number registered anywhere: the region of its holder decides what
    the user is told (`id_number_taken_message`), nothing more."""
    holder = id_number_holder(number)
    if holder is not None:
        raise ValidationError(
            {"id_number": id_number_taken_message(holder, fetched_by=acting_user)},
            code="duplicate_id",
        )


def _default_worker(user: User) -> User | None:
    membership = getattr(user, "active_membership", None)
    if membership is not None and membership.role == "station_worker":
        return user
    return None


@transaction.atomic
def resident_update(*, resident: Resident, acting_user: User, data: dict) -> Resident:
    allowed = {
        "name",
        "phone",
        "address",
        "health_notes",
        "disability_level",
        "latitude",
        "longitude",
        "assigned_worker",
        "status",
    }
    changes = {k: v for k, v in data.items() if k in allowed and getattr(resident, k) != v}
    # New health details after the resident withdrew consent to them are refused.
    health = [k for k in ("health_notes", "disability_level") if changes.get(k)]
    if health:
        _ensure_consent(resident, "health", field=health[0])
    changed = list(changes)
    for key, value in changes.items():
        setattr(resident, key, value)
    if "region" in data and data["region"].code != resident.region_id:
        ensure_in_jurisdiction(acting_user, data["region"].code)
        resident.region = data["region"]
        resident.county_code = data["region"].code[:6]
        changed += ["region", "county_code"]
    if not changed:
        return resident
    resident._history_user = acting_user
    resident.save(update_fields=[*changed, "updated_at"])
    _sync_region(resident)
    return resident


def _sync_region(resident: Resident) -> None:
    code = resident.region_id
    VisitPlan.objects.unscoped(reason=OWN_ROWS).filter(resident=resident).update(
        region_code=code,
        county_code=code[:6],
        worker=resident.assigned_worker,
        is_active=resident.status == ResidentStatus.ACTIVE,
    )
    ResidentCategory.objects.unscoped(reason=OWN_ROWS).filter(resident=resident).update(
        region_code=code, resident_status=resident.status, resident_birth_date=resident.birth_date
    )


@transaction.atomic
def resident_set_categories(
    *,
    resident: Resident,
    categories: list[Category],
    acting_user: User,
    start_date: date | None = None,
) -> None:
    current = set(resident.category_links.values_list("category_id", flat=True))
    wanted = {c.pk for c in categories}
    ResidentCategory.objects.unscoped(reason=OWN_ROWS).filter(
        resident=resident, category_id__in=current - wanted
    ).delete()
    ResidentCategory.objects.bulk_create(
        [
            ResidentCategory(
                resident=resident,
                category_id=pk,
                region_code=resident.region_id,
                resident_status=resident.status,
                resident_birth_date=resident.birth_date,
                start_date=start_date or date.today(),
            )
            for pk in wanted - current
        ]
    )
    if any(c.cared_for for c in categories):
        from shegong.people.services.visits import plan_ensure  # visits builds on residents

        plan_ensure(resident=resident, acting_user=acting_user)


def _ensure_consent(resident: Resident, purpose: str, *, field: str) -> None:
    """Refuse processing the resident withdrew consent from (shegong.privacy.purposes)."""
    from shegong.privacy.selectors import ensure_processing_allowed

    ensure_processing_allowed(resident, purpose, field=field)


def member_add(*, resident: Resident, acting_user: User, data: dict) -> HouseholdMember:
    member = HouseholdMember(resident=resident, **data)
    member._history_user = acting_user
    member.full_clean(exclude=["resident"])
    member.save()
    return member

"""Writes for organisations: create, update and Excel import, all checked against jurisdiction."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from shegong.accounts.models import User
from shegong.core.audit import audit_record
from shegong.core.imports import ImportResult, read_rows
from shegong.core.models import AuditLog
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import jurisdiction_of
from shegong.orgs.models import CREDIT_CODE_KINDS, Kind, Organisation, Sector, StaffingStandard
from shegong.orgs.selectors import department_to_contact
from shegong.orgs.validators import check_credit_code_kind, clean_credit_code
from shegong.regions.models import Region
from shegong.regions.selectors import region_resolve

EDITABLE_FIELDS = (
    "name",
    "kind",
    "sector",
    "region",
    "parent",
    "credit_code",
    "address",
    "phone",
    "contact_person",
    "opening_hours",
    "services",
    "latitude",
    "longitude",
    "description",
    "is_active",
)


def credit_code_holders(codes, *, exclude_pk: int | None = None) -> dict[str, str]:
    """`{credit code: region code}` of organisations already registered with these codes, in
    the whole country (a unified social credit code is unique nationally)."""
    qs = Organisation.objects.unscoped(
        reason="A unified social credit code is unique in the whole country (a database "
        "constraint): a code in use is refused wherever it is; only the holder's region is read."
    ).filter(credit_code__in=list(codes))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return dict(qs.values_list("credit_code", "region_id"))


def credit_code_taken_message(holder_region: str, *, acting_user: User) -> str:
    if jurisdiction_of(acting_user).contains(holder_region):
        return _("该统一社会信用代码已被其他组织使用。")
    return _("该统一社会信用代码已由其他辖区的组织登记，请联系%(dept)s。") % {
        "dept": department_to_contact(holder_region)
    }


def _validated(
    data: dict[str, Any],
    *,
    user: User,
    instance: Organisation | None = None,
    taken_codes: dict[str, str] | None = None,
) -> Organisation:
    """Apply `data` to a (new) organisation and run every check; raises ValidationError by field."""
    org = instance or Organisation()
    errors: dict[str, list[str]] = {}
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(org, name, data[name])
    org.name = (org.name or "").strip()
    if not org.name:
        errors.setdefault("name", []).append(_("请填写名称。"))
    try:
        org.credit_code = clean_credit_code(org.credit_code)
        if org.kind in Kind.values:  # an unknown kind is the model's error (full_clean)
            check_credit_code_kind(
                org.credit_code, kind=org.kind, kind_label=str(Kind(org.kind).label)
            )
    except ValidationError as exc:
        errors.setdefault("credit_code", []).extend(exc.messages)
    if org.kind in CREDIT_CODE_KINDS and not org.credit_code and "credit_code" not in errors:
        errors.setdefault("credit_code", []).append(_("社会组织必须填写统一社会信用代码。"))
    if org.kind == Kind.GOVERNMENT_DEPARTMENT and not org.sector:
        errors.setdefault("sector", []).append(_("政府部门须选择职能领域。"))
    region = getattr(org, "region", None) if org.region_id else None
    if region is None:
        errors.setdefault("region", []).append(_("请选择所在区划。"))
    elif not jurisdiction_of(user).contains(region.code):
        errors.setdefault("region", []).append(_("该区划不在您的辖区范围内。"))
    if org.parent_id:
        if org.pk and org.parent_id == org.pk:
            errors.setdefault("parent", []).append(_("上级单位不能是自己。"))
        elif not Organisation.objects.visible_to(user).filter(pk=org.parent_id).exists():
            errors.setdefault("parent", []).append(_("上级单位不存在或不在您的辖区内。"))
    if org.credit_code and "credit_code" not in errors:
        if taken_codes is None:
            taken_codes = credit_code_holders([org.credit_code], exclude_pk=org.pk)
        holder = taken_codes.get(org.credit_code)
        if holder is not None:
            errors.setdefault("credit_code", []).append(
                credit_code_taken_message(holder, acting_user=user)
            )
    try:
        org.full_clean(
            exclude=["region", "parent", "credit_code", *errors.keys()],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return org


@transaction.atomic
def organisation_create(*, acting_user: User, data: dict[str, Any]) -> Organisation:
    org = _validated(data, user=acting_user)
    org._history_user = acting_user
    org.save()
    return org


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, acting_user: User, data: dict[str, Any]
) -> Organisation:
    if not jurisdiction_of(acting_user).contains(organisation.region_id):
        raise ValidationError({"region": _("该区划不在您的辖区范围内。")})
    org = _validated(data, user=acting_user, instance=organisation)
    org._history_user = acting_user
    org.save()
    return org


IMPORT_COLUMNS = {
    "name": ("名称", "name", "组织名称"),
    "kind": ("类型", "kind"),
    "region": ("区划代码", "region", "区划", "所在区划"),
    "credit_code": ("统一社会信用代码", "credit_code"),
    "sector": ("职能领域", "sector"),
    "address": ("地址", "address"),
    "phone": ("联系电话", "phone", "电话"),
    "contact_person": ("联系人", "contact_person"),
    "opening_hours": ("开放时间", "opening_hours"),
    "services": ("服务内容", "services"),
    "latitude": ("纬度", "latitude"),
    "longitude": ("经度", "longitude"),
}
EXPORT_COLUMNS = (
    "name",
    "kind",
    "region",
    "credit_code",
    "sector",
    "address",
    "phone",
    "contact_person",
    "opening_hours",
    "services",
    "latitude",
    "longitude",
)


def clean_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def _choice(value: str, choices, field: str) -> str:
    """A choice key from its key or its label in any of the UI languages."""
    from django.conf import settings
    from django.utils import translation

    value = (value or "").strip()
    for key, label in choices:
        if value == key:
            return key
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if value == str(label):
                    return key
    raise ValidationError({field: _("未知的取值：%(v)s") % {"v": value or _("（空）")}})


def _decimal(value: str, field: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationError({field: _("应为数字：%(v)s") % {"v": value}})


def _row_to_organisation(
    row: dict[str, str], *, user: User, regions: dict[str, Region], taken: dict[str, str]
) -> Organisation:
    """One spreadsheet row as an unsaved, fully validated organisation (errors by field)."""
    data: dict[str, Any] = {
        k: row.get(k, "") for k in ("name", "address", "phone", "contact_person", "opening_hours")
    }
    data["services"] = row.get("services", "").replace("；", "\n").replace(";", "\n")
    data["credit_code"] = row.get("credit_code", "")
    errors: dict[str, list[str]] = {}
    parsers = {
        "kind": lambda v: _choice(v, Kind.choices, "kind"),
        "sector": lambda v: _choice(v, Sector.choices, "sector") if v else "",
        "latitude": lambda v: _decimal(v, "latitude"),
        "longitude": lambda v: _decimal(v, "longitude"),
    }
    for field, parse in parsers.items():
        try:
            data[field] = parse(row.get(field, ""))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    code = row.get("region", "")
    try:
        if code not in regions:
            regions[code] = region_resolve(code, fetched_by=user)
        data["region"] = regions[code]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        org = _validated(data, user=user, taken_codes=taken)
    except ValidationError as exc:
        for f, msgs in exc.message_dict.items():
            errors.setdefault(f, msgs)
    if errors:
        raise ValidationError(errors)
    return org


def organisations_import(
    *, acting_user: User, upload: IO[bytes], filename: str, all_or_nothing: bool = False
) -> ImportResult:
    """Validate every row; take the valid ones (or none, with all_or_nothing) in one transaction."""
    result = ImportResult(all_or_nothing=all_or_nothing, columns=IMPORT_COLUMNS)
    jurisdiction = jurisdiction_of(acting_user)
    region_cache: dict[str, Region] = {}
    seen_codes: dict[str, int] = {}
    valid: list[Organisation] = []
    rows = list(
        read_rows(
            upload, filename=filename, columns=IMPORT_COLUMNS, required=("name", "kind", "region")
        )
    )
    codes = {clean_code(r.get("credit_code", "")) for _, r in rows} - {""}
    taken = credit_code_holders(codes)
    for line, row in rows:
        result.total_rows += 1
        try:
            org = _row_to_organisation(row, user=acting_user, regions=region_cache, taken=taken)
            if org.credit_code in seen_codes:
                raise ValidationError(
                    {
                        "credit_code": _("与第 %(l)s 行的统一社会信用代码重复。")
                        % {"l": seen_codes[org.credit_code]}
                    }
                )
        except ValidationError as exc:  # the model's full_clean included (lengths…)
            result.add_validation_error(line, exc)
            continue
        if org.credit_code:
            seen_codes[org.credit_code] = line
        valid.append(org)
    if result.taken_nothing:
        return result
    with transaction.atomic():
        bulk_create_with_history(valid, Organisation, batch_size=500, default_user=acting_user)
        result.created = len(valid)
        audit_record(
            action=AuditLog.Action.IMPORT,
            actor=acting_user,
            region_code=jurisdiction.region_code,
            detail={
                "kind": "organisations",
                "file": filename,
                "created": result.created,
                "rejected": result.rejected_count,
                "errors": result.error_count,
                "all_or_nothing": all_or_nothing,
            },
        )
    return result


# ---- staffing standards of township social work stations ---------------------------------------


@transaction.atomic
def staffing_standard_set(
    *,
    acting_user: User,
    region_code: str,
    workers_per_station: int,
    document_title: str,
    funding_per_station: int | None = None,
    document_number: str = "",
    issued_on=None,
    url: str = "",
    note: str = "",
) -> StaffingStandard:
    """Set (create or change) the standard of the nation (""), a province or a city.

    Only a user whose jurisdiction covers the region sets it (the nation's: the centre only). A
    city's standard may be stricter than its province's, never looser; a province's may not
    rise above a city's already set inside it. The national default is no minimum."""

    region_code = region_code if (region_code or "").strip("0") else ""  # the nation
    jurisdiction = jurisdiction_of(acting_user)
    level = 0
    if region_code and (len(region_code) != 12 or not region_code.isdigit()):
        raise ValidationError({"region": _("请填写省级或地级区划。")})
    if region_code:
        prefix = region_code[:2] if region_code[2:] == "0" * 10 else region_code[:4]
        level = 1 if len(prefix) == 2 else 2
        if region_code != RegionCode.from_prefix(prefix):
            raise ValidationError({"region": _("配备标准只能由全国、省级或地级设定。")})
        if not Region.objects.filter(code=region_code).exists():
            raise ValidationError({"region": _("未找到区划：%(v)s") % {"v": region_code}})
    allowed = jurisdiction.is_national if not region_code else jurisdiction.contains(region_code)
    if not allowed or level not in (0, 1, 2):
        raise ValidationError(
            {"region": _("只有辖区覆盖该区划的管理员可以设定其配备标准（上级标准由上级设定）。")}
        )
    title = (document_title or "").strip()
    if not title:
        raise ValidationError({"document_title": _("请填写依据文件的名称。")})
    # The national default is no minimum (there is none in law): a province sets its own, higher
    # or lower. Inside a province, a city may be stricter than the province, never looser.
    province = region_code[:2]
    if level == 2:
        parent = StaffingStandard.objects.filter(
            region_code=RegionCode.from_prefix(province)
        ).first()
        if parent is not None and workers_per_station < parent.workers_per_station:
            raise ValidationError(
                {
                    "workers_per_station": _(
                        "下级标准可以更严格，但不能低于上级标准：%(where)s每站 %(n)s 名"
                        "（%(source)s）。"
                    )
                    % {
                        "where": _standard_place(parent),
                        "n": parent.workers_per_station,
                        "source": parent.source,
                    }
                }
            )
    if level == 1:
        looser = (
            StaffingStandard.objects.in_subtree(province)
            .exclude(region_code=region_code)
            .filter(workers_per_station__lt=workers_per_station)
            .order_by("region_code")
            .first()
        )
        if looser is not None:
            raise ValidationError(
                {
                    "workers_per_station": _(
                        "%(where)s已设定每站 %(n)s 名，低于本标准；请先调整下级标准。"
                    )
                    % {"where": _standard_place(looser), "n": looser.workers_per_station}
                }
            )
    standard = StaffingStandard.objects.select_for_update().filter(
        region_code=region_code
    ).first() or StaffingStandard(region_code=region_code)
    standard.workers_per_station = workers_per_station
    standard.funding_per_station = funding_per_station
    standard.document_title = title
    standard.document_number = (document_number or "").strip()
    standard.issued_on = issued_on
    standard.url = (url or "").strip()
    standard.note = note or ""
    standard.full_clean(exclude=["region_code"], validate_unique=False)
    standard._history_user = acting_user
    standard.save()
    return standard


def _standard_place(standard: StaffingStandard) -> str:
    from shegong.regions.selectors import region_names

    if standard.is_national:
        return _("全国默认")
    return region_names([standard.region_code]).get(standard.region_code, standard.region_code)

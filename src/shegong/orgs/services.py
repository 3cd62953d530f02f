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
from shegong.core.scoping import jurisdiction_of
from shegong.orgs.models import CREDIT_CODE_KINDS, Kind, Organisation, Sector
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

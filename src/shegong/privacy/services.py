"""Writes for consent records: recording a grant (or a statutory basis) and its withdrawal, with
what the withdrawal does to the data (`purposes.RULES`). Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.people.models import Resident, Visit
from shegong.privacy.models import (
    Basis,
    Consent,
    GivenBy,
    GuardianRelation,
    Method,
    Purpose,
    Statute,
)
from shegong.privacy.purposes import RULES

RESIDENT_ROWS = "Rows of one resident (consents, health fields, visit photos) whom the caller already read through its scope, or a consent locked and then checked against the caller's jurisdiction."


@transaction.atomic
def consent_record(
    *,
    acting_user: User,
    resident: Resident,
    purpose: str,
    basis: str,
    given_on: date,
    given_by: str = "",
    method: str = "",
    statute: str = "",
    lacks_capacity: bool = False,
    guardian_name: str = "",
    guardian_relation: str = "",
    note: str = "",
    request=None,
) -> Consent:
    """Record that a resident (or their guardian) agreed to a purpose, or that the processing
    rests on a statutory duty and needs no consent (PIPL Art. 13(1)(3))."""
    ensure_in_jurisdiction(acting_user, resident.region_id)
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("请选择处理目的。")})
    if basis not in Basis.values:
        raise ValidationError({"basis": _("请选择处理依据。")})
    if given_on is None or given_on > date.today():
        raise ValidationError({"given_on": _("日期不能晚于今天。")})
    if given_on < resident.birth_date:
        raise ValidationError({"given_on": _("日期不能早于服务对象的出生日期。")})
    rule = RULES[purpose]
    consent = Consent(
        resident=resident,
        region_code=resident.region_id,
        purpose=purpose,
        basis=basis,
        given_on=given_on,
        note=(note or "").strip()[:200],
        recorded_by=acting_user,
    )
    if basis == Basis.STATUTORY:
        if not rule.statutory_allowed:
            raise ValidationError(
                {"basis": _("该处理目的没有法定职责依据，须取得本人或监护人同意。")}
            )
        if statute not in Statute.values:
            raise ValidationError({"statute": _("请选择法定职责依据。")})
        consent.statute = statute
    else:
        if method not in Method.values:
            raise ValidationError({"method": _("请选择同意方式。")})
        child = _is_child_on(resident, given_on)
        if (child or lacks_capacity) and given_by != GivenBy.GUARDIAN:
            reason = (
                _("不满十四周岁的未成年人，须由其监护人同意（个人信息保护法第三十一条）。")
                if child
                else _("本人无民事行为能力或限制民事行为能力，须由其监护人同意。")
            )
            raise ValidationError({"given_by": reason})
        if given_by not in GivenBy.values:
            raise ValidationError({"given_by": _("请选择同意人。")})
        if given_by == GivenBy.GUARDIAN:
            if not (guardian_name or "").strip():
                raise ValidationError({"guardian_name": _("请填写监护人姓名。")})
            if guardian_relation not in GuardianRelation.values:
                raise ValidationError({"guardian_relation": _("请选择监护人与本人的关系。")})
            consent.guardian_name = guardian_name.strip()[:50]
            consent.guardian_relation = guardian_relation
        consent.given_by, consent.method = given_by, method
        consent.lacks_capacity = bool(lacks_capacity)
    if (
        Consent.objects.unscoped(reason=RESIDENT_ROWS)
        .select_for_update()
        .filter(resident=resident, purpose=purpose, withdrawn_on__isnull=True)
        .exists()
    ):
        raise ValidationError(
            {"purpose": _("该处理目的已有有效记录；如需变更，请先撤回原记录。")},
            code="duplicate",
        )
    consent._history_user = acting_user
    consent.full_clean(exclude=["resident", "recorded_by"])
    consent.save()
    audit_record(
        action=AuditLog.Action.CONSENT,
        actor=acting_user,
        obj=resident,
        detail={"consent": consent.pk, "purpose": purpose, "basis": basis},
        request=request,
    )
    return consent


def _is_child_on(resident: Resident, day: date) -> bool:
    try:
        fourteenth = resident.birth_date.replace(year=resident.birth_date.year + 14)
    except ValueError:  # born on 29 February
        fourteenth = resident.birth_date.replace(year=resident.birth_date.year + 14, day=28)
    return day < fourteenth


@transaction.atomic
def consent_withdraw(
    *,
    acting_user: User,
    consent: Consent,
    withdrawn_on: date,
    withdrawn_by_name: str,
    request=None,
) -> Consent:
    """Withdraw a consent (or end a statutory basis) and apply what the purpose declares."""
    consent = (
        Consent.objects.unscoped(reason=RESIDENT_ROWS)
        .select_for_update()
        .select_related("resident")
        .get(pk=consent.pk)
    )
    ensure_in_jurisdiction(acting_user, consent.region_code)
    if not consent.in_effect:
        raise ValidationError({"withdrawn_on": _("该记录已撤回。")}, code="already_withdrawn")
    if withdrawn_on is None or withdrawn_on > date.today():
        raise ValidationError({"withdrawn_on": _("撤回日期不能晚于今天。")})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("撤回日期不能早于同意日期。")})
    who = (withdrawn_by_name or "").strip()
    if not who:
        raise ValidationError({"withdrawn_by_name": _("请填写撤回人（本人或监护人姓名）。")})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by_name = who[:50]
    consent.withdrawal_recorded_by = acting_user
    consent._history_user = acting_user
    consent.save(update_fields=["withdrawn_on", "withdrawn_by_name", "withdrawal_recorded_by"])
    effects = WITHDRAWAL_EFFECTS.get(consent.purpose, _no_effect)(consent.resident, acting_user)
    audit_record(
        action=AuditLog.Action.CONSENT_WITHDRAWN,
        actor=acting_user,
        obj=consent.resident,
        detail={"consent": consent.pk, "purpose": consent.purpose, "erased": effects},
        request=request,
    )
    return consent


# ---- what a withdrawal does to stored data -----------------------------------------------------


def _no_effect(resident: Resident, by: User) -> dict[str, int]:
    return {}


HEALTH_FIELDS = {Resident: ("health_notes", "disability_level"), Visit: Visit.SENSITIVE_FINDINGS}


def _erase_health(resident: Resident, by: User) -> dict[str, int]:
    """Health information processed on consent alone is deleted, in the rows and their history."""
    erased = {}
    resident_fields = {name: "" for name in HEALTH_FIELDS[Resident]}
    erased["resident"] = (
        Resident.objects.unscoped(reason=RESIDENT_ROWS)
        .filter(pk=resident.pk)
        .update(**resident_fields)
    )
    erased["resident_history"] = Resident.history.filter(id=resident.pk).update(**resident_fields)
    visit_fields = {name: "" for name in HEALTH_FIELDS[Visit]}
    erased["visits"] = (
        Visit.objects.unscoped(reason=RESIDENT_ROWS)
        .filter(resident=resident)
        .update(**visit_fields)
    )
    erased["visit_history"] = Visit.history.filter(resident_id=resident.pk).update(**visit_fields)
    return erased


def _erase_photos(resident: Resident, by: User) -> dict[str, int]:
    visits = list(
        Visit.objects.unscoped(reason=RESIDENT_ROWS).filter(resident=resident).exclude(photo="")
    )
    names = [v.photo.name for v in visits]
    storage = Visit._meta.get_field("photo").storage
    erased = {
        "photos": Visit.objects.unscoped(reason=RESIDENT_ROWS)
        .filter(pk__in=[v.pk for v in visits])
        .update(photo=""),
        "photo_history": Visit.history.filter(resident_id=resident.pk)
        .exclude(photo="")
        .update(photo=""),
    }
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return erased


WITHDRAWAL_EFFECTS = {Purpose.HEALTH: _erase_health, Purpose.PHOTOS: _erase_photos}

"""Writes of the brand register: register a brand, link activities, declare a year's targets,
evaluate a year (figures counted from the records), apply for a recognition, and the
recognition's transitions (recommend, award, decline; brands.workflow)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.brands import selectors
from shegong.brands.models import (
    LEVEL_RANK,
    Brand,
    BrandActivity,
    BrandEvaluation,
    BrandTarget,
    Level,
    Recognition,
)
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.scoping import ensure_in_jurisdiction, jurisdiction_of

OWN_BRAND = (
    "Rows of a brand the writer was authorised for (the brand was fetched through scoping and "
    "its rows share its region)."
)


def _require(acting_user: Any, perm: str) -> None:
    if not has_perm(acting_user, perm):
        raise PermissionDenied(perm)


def _require_brand(acting_user: Any, brand: Brand, perm: str = "brands.manage") -> None:
    _require(acting_user, perm)
    if not jurisdiction_of(acting_user).contains(brand.region_code):
        raise PermissionDenied("brands.jurisdiction")


def _user(acting_user: Any):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _audit(acting_user: Any, obj: Any, what: str) -> None:
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=obj,
        region_code=obj.region_code,
        detail={"brands": what},
    )


@transaction.atomic
def brand_register(
    *,
    acting_user: Any,
    name: str,
    kind: str,
    owner: Any,
    description: str,
    started_on: date,
    target_groups: list | None = None,
) -> Brand:
    """A brand project of an organisation in the user's jurisdiction (a station: its own)."""
    _require(acting_user, "brands.manage")
    ensure_in_jurisdiction(acting_user, owner.region_id, field="owner")
    if kind not in Brand.Kind.values:
        raise ValidationError({"kind": _("请选择品牌类别。")})
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写品牌名称。")})
    if not (description or "").strip():
        raise ValidationError({"description": _("请填写品牌简介。")})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("创建日期不能晚于今天。")})
    duplicate = Brand.objects.visible_to(acting_user).filter(owner=owner, name=name.strip())
    if duplicate.exists():
        raise ValidationError({"name": _("该单位已登记同名品牌。")})
    brand = Brand(
        name=name.strip()[:100],
        kind=kind,
        owner=owner,
        region_code=owner.region_id,
        description=description.strip(),
        started_on=started_on,
        created_by=_user(acting_user),
    )
    brand.full_clean()
    brand._history_user = _user(acting_user)
    brand.save()
    if target_groups:
        brand.target_groups.set(target_groups)
    _audit(acting_user, brand, "register")
    return brand


@transaction.atomic
def brand_update(
    *,
    acting_user: Any,
    brand: Brand,
    name: str,
    kind: str,
    description: str,
    started_on: date,
    target_groups: list | None = None,
) -> Brand:
    _require_brand(acting_user, brand)
    if kind not in Brand.Kind.values:
        raise ValidationError({"kind": _("请选择品牌类别。")})
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写品牌名称。")})
    if not (description or "").strip():
        raise ValidationError({"description": _("请填写品牌简介。")})
    brand.name = name.strip()[:100]
    brand.kind = kind
    brand.description = description.strip()
    brand.started_on = started_on
    brand._history_user = _user(acting_user)
    brand.save(update_fields=["name", "kind", "description", "started_on"])
    brand.target_groups.set(target_groups or [])
    _audit(acting_user, brand, "update")
    return brand


@transaction.atomic
def brand_link_activity(*, acting_user: Any, brand: Brand, activity: Any) -> BrandActivity:
    """Run an activity under the brand: its service records count for the brand's figures.
    The caller fetched the activity through the scoped selector."""
    _require_brand(acting_user, brand)
    ensure_in_jurisdiction(acting_user, activity.region_id, field="activity")
    taken = BrandActivity.objects.unscoped(reason=OWN_BRAND).filter(brand=brand, activity=activity)
    if taken.exists():
        raise ValidationError({"activity": _("该活动已关联到本品牌。")})
    link = BrandActivity(brand=brand, activity=activity, region_code=activity.region_id)
    link._history_user = _user(acting_user)
    link.save()
    _audit(acting_user, brand, "link_activity")
    return link


def _check_year(year: int, started_on: date) -> None:
    if year < started_on.year or year > timezone.localdate().year + 1:
        raise ValidationError({"year": _("年度应在品牌创建年度至明年之间。")})


@transaction.atomic
def target_set(
    *,
    acting_user: Any,
    brand: Brand,
    year: int,
    reach: int,
    hours: Decimal,
    satisfaction: Decimal,
) -> BrandTarget:
    """Declare (or change) the year's targets: people served, hours, satisfaction share."""
    _require_brand(acting_user, brand)
    _check_year(year, brand.started_on)
    if reach < 0 or hours < 0:
        raise ValidationError({"reach": _("目标不能为负数。")})
    if not (Decimal("0") <= satisfaction <= Decimal("1")):
        raise ValidationError({"satisfaction": _("满意率目标应在 0 至 1 之间，如 0.9。")})
    if BrandEvaluation.objects.unscoped(reason=OWN_BRAND).filter(brand=brand, year=year).exists():
        raise ValidationError({"year": _("该年度已评估，目标不能再修改。")})
    target = BrandTarget.objects.unscoped(reason=OWN_BRAND).filter(brand=brand, year=year).first()
    if target is None:
        target = BrandTarget(brand=brand, region_code=brand.region_code, year=year)
    target.reach, target.hours, target.satisfaction = reach, hours, satisfaction
    target.full_clean()
    target._history_user = _user(acting_user)
    target.save()
    _audit(acting_user, brand, f"target {year}")
    return target


@transaction.atomic
def brand_evaluate(
    *, acting_user: Any, brand: Brand, year: int, comment: str = ""
) -> BrandEvaluation:
    """The year's evaluation by the department: actual figures counted from the service records
    of the linked activities, against the declared targets (evaluated again: updated)."""
    _require_brand(acting_user, brand, "brands.evaluate")
    target = BrandTarget.objects.unscoped(reason=OWN_BRAND).filter(brand=brand, year=year).first()
    if target is None:
        raise ValidationError({"year": _("该年度尚未申报目标，不能评估。")})
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("年度尚未开始，不能评估。")})
    figures = selectors.brand_figures(brand=brand, year=year)
    found = BrandEvaluation.objects.unscoped(reason=OWN_BRAND).filter(brand=brand, year=year)
    evaluation = found.first() or BrandEvaluation(
        brand=brand, region_code=brand.region_code, year=year
    )
    evaluation.reach = figures.reach
    evaluation.hours = figures.hours
    evaluation.rated = figures.rated
    evaluation.satisfaction = figures.satisfaction
    evaluation.reach_target = target.reach
    evaluation.hours_target = target.hours
    evaluation.satisfaction_target = target.satisfaction
    evaluation.comment = (comment or "").strip()
    evaluation.evaluated_by = _user(acting_user)
    evaluation._history_user = _user(acting_user)
    evaluation.save()
    _audit(acting_user, brand, f"evaluate {year}")
    return evaluation


# ---- recognition (brands.workflow.RECOGNITION) -------------------------------------------------


@transaction.atomic
def recognition_apply(*, acting_user: Any, brand: Brand, level: str, statement: str) -> Recognition:
    """Apply for a recognition level (the brand's owner side); one open application at a time,
    and only above the level already awarded."""
    _require_brand(acting_user, brand)
    if level not in Level.values:
        raise ValidationError({"level": _("请选择认定等级。")})
    if not (statement or "").strip():
        raise ValidationError({"statement": _("请填写申报说明。")})
    if LEVEL_RANK[level] <= LEVEL_RANK[brand.recognition_level]:
        raise ValidationError({"level": _("品牌已获得该等级或更高等级的认定。")})
    open_ones = Recognition.objects.unscoped(reason=OWN_BRAND).filter(
        brand=brand, status__in=(Recognition.Status.APPLIED, Recognition.Status.RECOMMENDED)
    )
    if open_ones.exists():
        raise ValidationError({"level": _("本品牌已有待认定的申报。")})
    recognition = Recognition(
        brand=brand,
        region_code=brand.region_code,
        level=level,
        statement=statement.strip(),
        applied_on=timezone.localdate(),
        applied_by=_user(acting_user),
    )
    recognition._history_user = _user(acting_user)
    recognition.save()
    _audit(acting_user, recognition, "apply")
    return recognition


def _require_unit_at(acting_user: Any, code: str | None) -> None:
    _require(acting_user, "brands.award")
    if code is None or selectors.unit_region(fetched_by=acting_user) != code:
        raise PermissionDenied("brands.level")


def _decide(recognition: Recognition, acting_user: Any, status: str, note: str, why: str) -> None:
    recognition.status = status
    recognition.note = (note or "").strip()
    fields = ["status", "note"]
    if status in (Recognition.Status.AWARDED, Recognition.Status.DECLINED):
        recognition.decided_on = timezone.localdate()
        fields.append("decided_on")
    recognition._history_user = _user(acting_user)
    recognition._change_reason = why
    recognition.save(update_fields=fields)
    _audit(acting_user, recognition, status)


@transaction.atomic
def recognition_recommend(
    *, recognition: Recognition, acting_user: Any, note: str = ""
) -> Recognition:
    """The department below the awarding level recommends the application."""
    code = selectors.recommending_code(brand=recognition.brand, level=recognition.level)
    _require_unit_at(acting_user, code)
    if recognition.status != Recognition.Status.APPLIED:
        raise ValidationError({"__all__": _("只有已申报的品牌可以推荐。")})
    _decide(recognition, acting_user, Recognition.Status.RECOMMENDED, note, _("推荐"))
    return recognition


@transaction.atomic
def recognition_award(*, recognition: Recognition, acting_user: Any, note: str = "") -> Recognition:
    """The department of the level awards it; the brand's recognition level rises to it."""
    brand = recognition.brand
    _require_unit_at(acting_user, selectors.awarding_code(brand=brand, level=recognition.level))
    needs_recommendation = recognition.level != Level.COUNTY
    if recognition.status == Recognition.Status.APPLIED and needs_recommendation:
        raise ValidationError({"__all__": _("市级、省级认定须先经下一级社会工作部推荐。")})
    if recognition.status not in (Recognition.Status.APPLIED, Recognition.Status.RECOMMENDED):
        raise ValidationError({"__all__": _("该申报已办结。")})
    _decide(recognition, acting_user, Recognition.Status.AWARDED, note, _("认定"))
    if LEVEL_RANK[recognition.level] > LEVEL_RANK[brand.recognition_level]:
        brand.recognition_level = recognition.level
        brand.recognised_on = recognition.decided_on
        brand._history_user = _user(acting_user)
        brand._change_reason = _("认定为%(level)s品牌") % {"level": recognition.get_level_display()}
        brand.save(update_fields=["recognition_level", "recognised_on"])
    return recognition


@transaction.atomic
def recognition_decline(*, recognition: Recognition, acting_user: Any, note: str) -> Recognition:
    """The awarding department declines, or the recommending one does not recommend."""
    brand = recognition.brand
    codes = {
        selectors.awarding_code(brand=brand, level=recognition.level),
        selectors.recommending_code(brand=brand, level=recognition.level),
    }
    _require(acting_user, "brands.award")
    region = selectors.unit_region(fetched_by=acting_user)
    if region not in codes - {None}:
        raise PermissionDenied("brands.level")
    if recognition.status not in (Recognition.Status.APPLIED, Recognition.Status.RECOMMENDED):
        raise ValidationError({"__all__": _("该申报已办结。")})
    awarding = selectors.awarding_code(brand=brand, level=recognition.level)
    if recognition.status == Recognition.Status.RECOMMENDED and region != awarding:
        raise ValidationError({"__all__": _("已推荐的申报由认定级别的社会工作部决定。")})
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写不予认定的理由。")})
    _decide(recognition, acting_user, Recognition.Status.DECLINED, note, _("不予认定"))
    return recognition

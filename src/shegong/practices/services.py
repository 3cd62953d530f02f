"""Writes of model practices: write and submit a practice, the review chain's transitions
(practices.workflow: recommend, return, hold, recommend upward), documents, and adoptions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.attachments import check_attachment
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.regioncode import RegionCode
from shegong.orgs.selectors import unit_of
from shegong.practices.models import (
    Adoption,
    Document,
    Practice,
    PracticeFigure,
    Review,
    Topic,
)

Status = Practice.Status
OWN = (
    "Rows of a practice the writer was authorised for (fetched through its selector): its "
    "figures, or whether the writer's department already recorded an adoption."
)
MAX_FIGURES = 10


def _user(acting_user: Any):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _unit(acting_user: Any, perm: str):
    if not has_perm(acting_user, perm):
        raise PermissionDenied(perm)
    unit = unit_of(fetched_by=acting_user)
    if unit is None:
        raise ValidationError({"__all__": _("您没有所属单位，不能办理经验做法。")})
    return unit


def parent_code(code: str) -> str | None:
    """The region code one level above (the department that reviews); None at the centre."""
    level = RegionCode(code).level
    if level == 0:
        return None
    return str(RegionCode(code).ancestor(level - 1))


def _audit(acting_user: Any, practice: Practice, what: str) -> None:
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=practice,
        region_code=practice.region_code,
        detail={"practices": what},
    )


def _clean_figures(figures: list[dict] | None) -> list[dict]:
    cleaned = []
    for row in (figures or [])[:MAX_FIGURES]:
        label = (row.get("label") or "").strip()
        if not label:
            continue
        try:
            value = Decimal(str(row.get("value")))
        except (InvalidOperation, TypeError):
            raise ValidationError({"figures": _("成效数据的数值不是数字。")}) from None
        if not value.is_finite() or abs(value) >= Decimal("1e12"):
            raise ValidationError({"figures": _("成效数据的数值不是数字。")})
        cleaned.append({"label": label[:100], "value": value, "unit": (row.get("unit") or "")[:20]})
    return cleaned


def _set_figures(practice: Practice, figures: list[dict]) -> None:
    PracticeFigure.objects.unscoped(reason=OWN).filter(practice=practice).delete()
    PracticeFigure.objects.bulk_create(
        PracticeFigure(practice=practice, region_code=practice.region_code, **row)
        for row in figures
    )


def _check_text(title: str, topic: str, problem: str, actions: str, results: str) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写做法名称。")
    if topic not in Topic.values:
        errors["topic"] = _("请选择主题。")
    for field, value, message in (
        ("problem", problem, _("请填写问题与背景。")),
        ("actions", actions, _("请填写主要做法。")),
        ("results", results, _("请填写取得成效。")),
    ):
        if not (value or "").strip():
            errors[field] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def practice_create(
    *,
    acting_user: Any,
    title: str,
    topic: str,
    problem: str,
    actions: str,
    results: str,
    figures: list[dict] | None = None,
) -> Practice:
    """A draft practice of the user's department."""
    unit = _unit(acting_user, "practices.submit")
    _check_text(title, topic, problem, actions, results)
    practice = Practice(
        title=title.strip()[:200],
        topic=topic,
        department=unit,
        region_code=unit.region_id,
        problem=problem.strip(),
        actions=actions.strip(),
        results=results.strip(),
        created_by=_user(acting_user),
    )
    practice._history_user = _user(acting_user)
    practice.save()
    _set_figures(practice, _clean_figures(figures))
    _audit(acting_user, practice, "create")
    return practice


@transaction.atomic
def practice_update(
    *,
    acting_user: Any,
    practice: Practice,
    title: str,
    topic: str,
    problem: str,
    actions: str,
    results: str,
    figures: list[dict] | None = None,
) -> Practice:
    """Change a draft or a returned practice (its own department)."""
    unit = _unit(acting_user, "practices.submit")
    if unit.pk != practice.department_id:
        raise PermissionDenied("practices.author")
    if practice.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError({"__all__": _("已报送的做法不能修改。")})
    _check_text(title, topic, problem, actions, results)
    practice.title, practice.topic = title.strip()[:200], topic
    practice.problem, practice.actions = problem.strip(), actions.strip()
    practice.results = results.strip()
    practice._history_user = _user(acting_user)
    practice.save(update_fields=["title", "topic", "problem", "actions", "results"])
    _set_figures(practice, _clean_figures(figures))
    _audit(acting_user, practice, "update")
    return practice


@transaction.atomic
def document_add(*, acting_user: Any, practice: Practice, upload) -> Document:
    """A document of the practice, by its department (the one 20 MB rule)."""
    unit = _unit(acting_user, "practices.submit")
    if unit.pk != practice.department_id:
        raise PermissionDenied("practices.author")
    check_attachment(upload, field="upload")
    return Document.objects.create(
        practice=practice,
        region_code=practice.region_code,
        name=(getattr(upload, "name", "") or "file")[:200],
        file=upload,
        uploaded_by=_user(acting_user),
    )


def _step(
    practice: Practice, acting_user: Any, unit, action: str, note: str, fields: list[str]
) -> None:
    practice._history_user = _user(acting_user)
    practice._change_reason = str(Review.Action(action).label)
    practice.save(update_fields=["status", *fields])
    Review.objects.create(
        practice=practice,
        region_code=practice.region_code,
        unit=unit,
        action=action,
        note=(note or "").strip(),
        by=_user(acting_user),
    )
    _audit(acting_user, practice, action)


@transaction.atomic
def practice_submit(*, practice: Practice, acting_user: Any, note: str = "") -> Practice:
    """The department sends its practice to the level above for review."""
    unit = _unit(acting_user, "practices.submit")
    if unit.pk != practice.department_id:
        raise PermissionDenied("practices.author")
    if practice.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError({"__all__": _("该做法已报送。")})
    above = parent_code(practice.region_code)
    if above is None:
        raise ValidationError({"__all__": _("中央层级的做法无需报送审核。")})
    practice.status = Status.SUBMITTED
    practice.review_code = above
    _step(practice, acting_user, unit, Review.Action.SUBMIT, note, ["review_code"])
    return practice


def _reviewer(acting_user: Any, practice: Practice):
    unit = _unit(acting_user, "practices.review")
    if unit.region_id != practice.review_code:
        raise PermissionDenied("practices.reviewer")
    if practice.status != Status.SUBMITTED:
        raise ValidationError({"__all__": _("该做法不在待审核状态。")})
    return unit


@transaction.atomic
def practice_recommend(*, practice: Practice, acting_user: Any, note: str = "") -> Practice:
    """The reviewing level recommends it: it is published in the library (if not yet)."""
    unit = _reviewer(acting_user, practice)
    practice.status = Status.RECOMMENDED
    practice.recommended_code = practice.review_code
    fields = ["recommended_code"]
    if practice.published_on is None:
        practice.published_on = timezone.localdate()
        fields.append("published_on")
    _step(practice, acting_user, unit, Review.Action.RECOMMEND, note, fields)
    return practice


@transaction.atomic
def practice_return(*, practice: Practice, acting_user: Any, note: str) -> Practice:
    """The reviewing level sends an unpublished practice back to its department."""
    unit = _reviewer(acting_user, practice)
    if practice.published_on is not None:
        raise ValidationError({"__all__": _("已入库的做法请选择“不再上报”。")})
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写退回意见。")})
    practice.status = Status.RETURNED
    practice.review_code = ""
    _step(practice, acting_user, unit, Review.Action.RETURN, note, ["review_code"])
    return practice


@transaction.atomic
def practice_hold(*, practice: Practice, acting_user: Any, note: str = "") -> Practice:
    """A higher level does not recommend a published practice further: it stays in the
    library at the level that recommended it."""
    unit = _reviewer(acting_user, practice)
    if practice.published_on is None:
        raise ValidationError({"__all__": _("尚未入库的做法请选择“退回”。")})
    practice.status = Status.RECOMMENDED
    practice.review_code = practice.recommended_code
    _step(practice, acting_user, unit, Review.Action.HOLD, note, ["review_code"])
    return practice


@transaction.atomic
def practice_escalate(*, practice: Practice, acting_user: Any, note: str = "") -> Practice:
    """The level that recommended it recommends it upward: the next level reviews it."""
    unit = _unit(acting_user, "practices.review")
    if unit.region_id != practice.recommended_code:
        raise PermissionDenied("practices.recommender")
    if practice.status != Status.RECOMMENDED:
        raise ValidationError({"__all__": _("只有已推荐的做法可以推荐上报。")})
    above = parent_code(practice.recommended_code)
    if above is None:
        raise ValidationError({"__all__": _("已是中央层级推荐，不能再上报。")})
    practice.status = Status.SUBMITTED
    practice.review_code = above
    _step(practice, acting_user, unit, Review.Action.ESCALATE, note, ["review_code"])
    return practice


@transaction.atomic
def adoption_record(
    *,
    acting_user: Any,
    practice: Practice,
    kind: str,
    adopted_on: date,
    results: str,
    private_notes: str = "",
) -> Adoption:
    """Another department records that it adopted or adapted a published practice."""
    unit = _unit(acting_user, "practices.adopt")
    if practice.published_on is None:
        raise ValidationError({"__all__": _("只有已入库的做法可以登记应用。")})
    if unit.pk == practice.department_id:
        raise ValidationError({"__all__": _("报送单位不需登记应用本单位的做法。")})
    if kind not in Adoption.Kind.values:
        raise ValidationError({"kind": _("请选择应用方式。")})
    if not (results or "").strip():
        raise ValidationError({"results": _("请填写应用成效。")})
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("应用日期不能晚于今天。")})
    if Adoption.objects.unscoped(reason=OWN).filter(practice=practice, department=unit).exists():
        raise ValidationError({"__all__": _("本单位已登记应用该做法。")})
    adoption = Adoption(
        practice=practice,
        department=unit,
        region_code=unit.region_id,
        kind=kind,
        adopted_on=adopted_on,
        results=results.strip(),
        private_notes=(private_notes or "").strip(),
        created_by=_user(acting_user),
    )
    adoption._history_user = _user(acting_user)
    adoption.save()
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=adoption,
        region_code=adoption.region_code,
        detail={"practices": "adopt", "practice": practice.pk},
    )
    return adoption

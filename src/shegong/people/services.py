"""Writes for residents, assessments, visit plans, visits, assistance, merges and imports."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.audit import audit_record
from shegong.core.crypto import blind_indexes, sensitive_columns, validate_resident_id
from shegong.core.errors import ApplicationError
from shegong.core.imports import FieldChecks, ImportResult, read_rows
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.registry import resident_merge_hooks
from shegong.core.scoping import ensure_in_jurisdiction, jurisdiction_of
from shegong.core.validation import check_past_event_date, not_before
from shegong.orgs.selectors import department_to_contact
from shegong.people.models import (
    DEFAULT_CADENCE,
    AdaptationStatus,
    Assessment,
    Assistance,
    AssistanceKind,
    Category,
    HouseholdMember,
    Resident,
    ResidentCategory,
    ResidentStatus,
    RiskLevel,
    Visit,
    VisitCadence,
    VisitPlan,
)
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


# ---- regions -----------------------------------------------------------------------------------


def resolve_village(value: str, *, user: Any, field_name: str = "region") -> Region:
    """A village/community inside the user's jurisdiction, by 12-digit code or exact name."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field_name: _("请填写所在村（社区）。")})
    jurisdiction = jurisdiction_of(user)
    qs = Region.objects.filter(level=Level.VILLAGE).in_subtree(jurisdiction.prefix)
    if value.isdigit():
        region = qs.filter(code=value).first()
    else:
        found = list(qs.filter(name=value)[:2])
        if len(found) > 1:
            raise ValidationError(
                {field_name: _("有多个名为「%(v)s」的村（社区），请填写区划代码。") % {"v": value}}
            )
        region = found[0] if found else None
    if region is None:
        raise ValidationError(
            {field_name: _("辖区内没有这个村（社区）：%(v)s") % {"v": value}}, code="unknown"
        )
    return region


# ---- residents ---------------------------------------------------------------------------------


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


@dataclass
class Duplicates:
    """Likely duplicates: `found` the user may see; `elsewhere` one sentence per county outside
    the user's jurisdiction where one is registered, saying only whom to contact."""

    found: list[Resident] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.found or self.elsewhere)


def _is_duplicate(r, *, name: str, birth_date: date | None, county_code: str, phone: str) -> bool:
    same_person = r.county_code == county_code and r.name == name and r.birth_date == birth_date
    return same_person or (bool(phone) and r.phone == phone and _similar(r.name, name))


def find_duplicates(
    *,
    acting_user: User,
    name: str,
    birth_date: date | None,
    county_code: str,
    phone: str = "",
    exclude_pk: int | None = None,
) -> Duplicates:
    """Likely duplicates: same name and birth date in the same county, or a similar name with the
    same phone number. Records outside the user's jurisdiction are never returned: for them the
    user learns only that one exists and which department to contact."""
    cond = Q(county_code=county_code, name=name, birth_date=birth_date) if birth_date else Q()
    if phone:
        cond |= Q(phone=phone)
    if not cond:
        return Duplicates()
    rule = {"name": name, "birth_date": birth_date, "county_code": county_code, "phone": phone}
    qs = Resident.objects.visible_to(acting_user).filter(cond, merged_into__isnull=True)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    found = [r for r in qs.select_related("region")[:50] if _is_duplicate(r, **rule)]
    jurisdiction = jurisdiction_of(acting_user)
    if jurisdiction.is_national:
        return Duplicates(found=found)
    low, high = jurisdiction.range()
    outside = (
        Resident.objects.unscoped(
            reason="The duplicate warning tells the user that a likely duplicate is registered "
            "in another jurisdiction and whom to contact; only the county's code leaves here."
        )
        .filter(cond, merged_into__isnull=True)
        .exclude(region_id__gte=low, region_id__lte=high)
        .only("name", "birth_date", "county_code", "phone")[:50]
    )
    elsewhere: dict[str, str] = {}
    for r in outside:
        if not _is_duplicate(r, **rule):
            continue
        dept = department_to_contact(r.county_code)
        if phone and r.phone == phone:
            notice = _("已有使用该联系电话的服务对象在其他辖区登记，请联系%(dept)s核实。")
        else:
            notice = _("已有同名、同出生日期的服务对象在其他辖区登记，请联系%(dept)s核实。")
        elsewhere.setdefault(notice % {"dept": dept}, r.county_code)
    return Duplicates(found=found, elsewhere=list(elsewhere))


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    return a[:1] == b[:1] and difflib.SequenceMatcher(None, a, b).ratio() >= 0.5


def id_number_holder(number: str, *, exclude_pk: int | None = None) -> str | None:
    """The region code of the (unmerged) resident registered with this ID number (under any key
    or scheme still in use), anywhere in the country: ID numbers are unique nationally. Only the
    code leaves here."""
    qs = Resident.objects.unscoped(
        reason="A resident's ID number is unique in the whole country: registering it twice "
        "is refused wherever the first record is; only that record's region code leaves here."
    ).filter(id_number_hash__in=blind_indexes(number), merged_into__isnull=True)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.values_list("region_id", flat=True).first()


def id_number_taken_message(holder_region: str, *, acting_user: User) -> str:
    """What a user is told about an ID number already registered: within the jurisdiction that
    it is; elsewhere only whom to contact."""
    if jurisdiction_of(acting_user).contains(holder_region):
        return _("该身份证号码已登记，不能重复登记。")
    return _("该身份证号码的服务对象已在其他辖区登记，请联系%(dept)s。") % {
        "dept": department_to_contact(holder_region)
    }


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
    holder = id_number_holder(rid.number)
    if holder is not None:
        raise ValidationError(
            {"id_number": id_number_taken_message(holder, acting_user=acting_user)},
            code="duplicate_id",
        )
    if not confirm_duplicates:
        duplicates = find_duplicates(
            acting_user=acting_user,
            name=name,
            birth_date=rid.birth_date,
            county_code=region.code[:6],
            phone=phone,
        )
        if duplicates:
            raise PossibleDuplicates(duplicates.found, duplicates.elsewhere)
    cols = sensitive_columns(rid.number)
    resident = Resident(
        name=name,
        id_number_encrypted=cols["encrypted"],
        id_number_hash=cols["hash"],
        id_number_masked=cols["masked"],
        sex=rid.sex,
        birth_date=rid.birth_date,
        phone=(phone or "").strip(),
        address=(address or "").strip(),
        region=region,
        county_code=region.code[:6],
        health_notes=health_notes,
        disability_level=disability_level,
        latitude=latitude,
        longitude=longitude,
        assigned_worker=assigned_worker or _default_worker(acting_user),
    )
    resident._history_user = acting_user
    resident.full_clean(exclude=["region", "id_number_encrypted", "id_number_hash"])
    resident.save()
    resident_set_categories(resident=resident, categories=categories or [], acting_user=acting_user)
    return resident


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
        region_code=code
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
                start_date=start_date or date.today(),
            )
            for pk in wanted - current
        ]
    )
    if any(c.cared_for for c in categories):
        plan_ensure(resident=resident, acting_user=acting_user)


def _ensure_consent(resident: Resident, purpose: str, *, field: str) -> None:
    """Refuse processing the resident withdrew consent from (shegong.privacy.purposes)."""
    from shegong.privacy.selectors import ensure_processing_allowed

    ensure_processing_allowed(resident, purpose, field=field)


# ---- household ---------------------------------------------------------------------------------


def member_add(*, resident: Resident, acting_user: User, data: dict) -> HouseholdMember:
    member = HouseholdMember(resident=resident, **data)
    member._history_user = acting_user
    member.full_clean(exclude=["resident"])
    member.save()
    return member


# ---- cadence and plans -------------------------------------------------------------------------


def cadence_for(province_code: str, risk_level: str) -> tuple[int, int]:
    """(interval in days, hours to visit after a major event) for a province and a level."""
    rows = {
        r.province_code: r
        for r in VisitCadence.objects.filter(
            risk_level=risk_level, province_code__in=[province_code, ""]
        )
    }
    row = rows.get(province_code) or rows.get("")
    if row is not None:
        return row.interval_days, row.event_hours
    return DEFAULT_CADENCE[RiskLevel(risk_level)], 24


@transaction.atomic
def cadence_set(
    *, province_code: str, risk_level: str, interval_days: int, event_hours: int, acting_user: User
) -> VisitCadence:
    if interval_days < 1 or interval_days > 366:
        raise ValidationError({"interval_days": _("探访间隔应在 1 至 366 天之间。")})
    if event_hours < 1 or event_hours > 168:
        raise ValidationError({"event_hours": _("重大事件后的探访时限应在 1 至 168 小时之间。")})
    row, _created = VisitCadence.objects.get_or_create(
        province_code=province_code,
        risk_level=risk_level,
        defaults={"interval_days": interval_days, "event_hours": event_hours},
    )
    row.interval_days, row.event_hours = interval_days, event_hours
    row._history_user = acting_user
    row.save()
    return row


@transaction.atomic
def plan_ensure(
    *, resident: Resident, acting_user: User | None, today: date | None = None
) -> VisitPlan:
    today = today or date.today()
    level = resident.risk_level or RiskLevel.GENERAL
    interval, _hours = cadence_for(resident.region_id[:2], level)
    plan = (
        VisitPlan.objects.unscoped(reason=OWN_ROWS)
        .select_for_update()
        .filter(resident=resident)
        .first()
    )
    if plan is None:
        plan = VisitPlan(
            resident=resident,
            region_code=resident.region_id,
            county_code=resident.county_code,
            worker=resident.assigned_worker,
            risk_level=level,
            interval_days=interval,
            next_due_date=today + timedelta(days=interval),
        )
    else:
        base = plan.last_visit_date or today
        plan.risk_level = level
        plan.interval_days = interval
        plan.next_due_date = min(plan.next_due_date, base + timedelta(days=interval))
        plan.is_active = resident.status == ResidentStatus.ACTIVE
    plan._history_user = acting_user
    plan.save()
    return plan


MAJOR_EVENTS = {
    "discharge": _("出院"),
    "bereavement": _("丧亲"),
    "weather": _("极端天气预警"),
    "other": _("其他重大事件"),
}


@transaction.atomic
def plan_record_event(
    *, resident: Resident, event: str, acting_user: User, occurred_on: date | None = None
) -> VisitPlan:
    """A major event: the next visit is due within the province's event window (24 h)."""
    if event not in MAJOR_EVENTS:
        raise ValidationError({"event": _("请选择重大事件类型。")})
    occurred_on = occurred_on or date.today()
    plan = plan_ensure(resident=resident, acting_user=acting_user)
    _interval, hours = cadence_for(resident.region_id[:2], plan.risk_level)
    due = occurred_on + timedelta(days=max(1, -(-hours // 24)))
    plan.next_due_date = min(plan.next_due_date, due)
    plan.event_note = f"{MAJOR_EVENTS[event]}（{occurred_on:%m-%d}）"
    plan._history_user = acting_user
    plan.save(update_fields=["next_due_date", "event_note"])
    return plan


# ---- assessments -------------------------------------------------------------------------------

SCORES = {
    "health": {"good": 0, "chronic": 1, "serious": 3},
    "self_care": {"full": 0, "partial": 2, "none": 4},
    "income": {"adequate": 0, "tight": 1, "none": 2},
    "housing": {"safe": 0, "hazard": 1, "dangerous": 3},
    "support": {"strong": 0, "weak": 1, "none": 3},
}
HIGH_SCORE = 8
KEY_SCORE = 4


def assessment_score(answers: dict) -> tuple[int, str]:
    """Score the structured answers; ≥ 8 is high risk, ≥ 4 key, else general."""
    score = 0
    for question, table in SCORES.items():
        value = answers.get(question)
        if value not in table:
            raise ValidationError({question: _("请选择一项。")})
        score += table[value]
    score += 2 if answers.get("lives_alone") else 0
    score += 2 if answers.get("recent_event") else 0
    if score >= HIGH_SCORE:
        return score, RiskLevel.HIGH
    if score >= KEY_SCORE:
        return score, RiskLevel.KEY
    return score, RiskLevel.GENERAL


@transaction.atomic
def assessment_create(
    *, resident: Resident, acting_user: User, answers: dict, assessed_on: date | None = None
) -> Assessment:
    score, level = assessment_score(answers)
    assessed_on = assessed_on or date.today()
    assessment = Assessment(
        resident=resident,
        region_code=resident.region_id,
        assessed_on=assessed_on,
        assessed_by=acting_user,
        lives_alone=bool(answers.get("lives_alone")),
        health=answers["health"],
        self_care=answers["self_care"],
        income=answers["income"],
        housing=answers["housing"],
        support=answers["support"],
        recent_event=bool(answers.get("recent_event")),
        notes=answers.get("notes", "") or "",
        score=score,
        risk_level=level,
    )
    assessment._history_user = acting_user
    assessment.save()
    resident.risk_level = level
    resident._history_user = acting_user
    resident.save(update_fields=["risk_level", "updated_at"])
    plan_ensure(resident=resident, acting_user=acting_user, today=assessed_on)
    if assessment.recent_event:
        plan_record_event(
            resident=resident, event="other", acting_user=acting_user, occurred_on=assessed_on
        )
    return assessment


# ---- visits ------------------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    resident: Resident,
    acting_user: User,
    visited_on: date,
    mode: str,
    visitors: str = "",
    finding_health: str = "",
    finding_living: str = "",
    finding_safety: str = "",
    finding_mood: str = "",
    needs: str = "",
    photo=None,
) -> Visit:
    check_past_event_date(visited_on, field="visited_on")
    not_before(
        visited_on,
        resident.birth_date,
        field="visited_on",
        message=_("探访日期不能早于服务对象的出生日期。"),
    )
    if finding_health or finding_mood:
        _ensure_consent(
            resident, "health", field="finding_health" if finding_health else "finding_mood"
        )
    if photo:
        _ensure_consent(resident, "photos", field="photo")
    plan = (
        VisitPlan.objects.unscoped(reason=OWN_ROWS)
        .select_for_update()
        .filter(resident=resident)
        .first()
    )
    visit = Visit(
        resident=resident,
        region_code=resident.region_id,
        visited_on=visited_on,
        mode=mode,
        visited_by=acting_user,
        visitors=visitors or str(acting_user),
        finding_health=finding_health,
        finding_living=finding_living,
        finding_safety=finding_safety,
        finding_mood=finding_mood,
        needs=needs,
        due_date=plan.next_due_date if plan else None,
    )
    if photo:
        visit.photo = photo
    visit._history_user = acting_user
    visit.full_clean(exclude=["resident", "photo"])
    visit.save()
    if plan is not None and (plan.last_visit_date is None or visited_on >= plan.last_visit_date):
        plan.last_visit_date = visited_on
        plan.next_due_date = visited_on + timedelta(days=plan.interval_days)
        plan.event_note = ""
        plan._history_user = acting_user
        plan.save(update_fields=["last_visit_date", "next_due_date", "event_note"])
    return visit


# ---- assistance --------------------------------------------------------------------------------


@transaction.atomic
def assistance_create(*, resident: Resident, acting_user: User, data: dict) -> Assistance:
    kind = data.get("kind")
    first = resident.category_links.order_by("category__order").values_list(
        "category__code", flat=True
    )
    item = Assistance(
        resident=resident,
        region_code=resident.region_id,
        category_code=first.first() or "",
        recorded_by=acting_user,
        **data,
    )
    if kind == AssistanceKind.ADAPTATION and not item.project_status:
        item.project_status = AdaptationStatus.SURVEY
    if kind != AssistanceKind.ADAPTATION:
        item.project_status = ""
    if (item.amount or 0) < 0 or (item.quantity or 0) < 0:
        raise ValidationError({"amount": _("金额和数量不能为负数。")})
    check_past_event_date(item.given_on, field="given_on")
    item._history_user = acting_user
    item.full_clean(exclude=["resident"])
    item.save()
    return item


@transaction.atomic
def adaptation_advance(*, assistance: Assistance, acting_user: User) -> Assistance:
    """Take the project's next declared step (people.workflow.ADAPTATION) from its state."""
    from shegong.people.workflow import ADAPTATION

    if assistance.kind != AssistanceKind.ADAPTATION:
        raise ApplicationError(_("只有改造项目有进度。"))
    state = assistance.project_status or AdaptationStatus.SURVEY
    step = next((t for t in ADAPTATION.transitions if t.starts_from(state)), None)
    if step is None:
        raise ApplicationError(_("该改造项目已验收。"))
    if not has_perm(acting_user, step.perm):
        raise ApplicationError(_("您的角色不能办理此操作。"), code="not_permitted")
    assistance.project_status = step.target
    assistance._history_user = acting_user
    assistance._change_reason = str(step.label)
    assistance.save(update_fields=["project_status"])
    return assistance


# ---- merge -------------------------------------------------------------------------------------


@transaction.atomic
def resident_merge(
    *, keep: Resident, remove: Resident, acting_user: User, request=None
) -> Resident:
    """Move everything of `remove` onto `keep` (each app its own rows, with history: the
    `resident_merge` hooks of core.registry) and retire `remove`."""
    if keep.pk == remove.pk:
        raise ApplicationError(_("不能与自身合并。"))
    if remove.merged_into_id:
        raise ApplicationError(_("该记录已被合并。"))
    # Each app moves its own rows, through its own code and with history (core.registry).
    moved: dict[str, int] = {}
    for hook in resident_merge_hooks():
        moved.update(hook.move(keep=keep, remove=remove, acting_user=acting_user))
    for attr in ("phone", "address", "health_notes", "disability_level", "latitude"):
        if not getattr(keep, attr) and getattr(remove, attr):
            setattr(keep, attr, getattr(remove, attr))
    if remove.latitude and not keep.longitude:
        keep.longitude = remove.longitude
    keep._history_user = acting_user
    keep._change_reason = f"合并记录 #{remove.pk}"
    keep.save()
    remove.status = ResidentStatus.MERGED
    remove.merged_into = keep
    remove._history_user = acting_user
    remove._change_reason = f"合并到 #{keep.pk}"
    remove.save(update_fields=["status", "merged_into", "updated_at"])
    audit_record(
        action=AuditLog.Action.MERGE,
        actor=acting_user,
        obj=keep,
        detail={"merged": remove.pk, "kept": keep.pk, "moved": moved},
        request=request,
    )
    return keep


# ---- import ------------------------------------------------------------------------------------

IMPORT_COLUMNS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号码", "身份证号", "公民身份号码", "id_number"),
    "birth_date": ("出生日期", "birth_date"),
    "sex": ("性别", "sex"),
    "phone": ("联系电话", "电话", "phone"),
    "address": ("住址", "地址", "address"),
    "village": ("村（社区）", "村（社区）代码", "村（社区）名称", "村居", "village"),
    "categories": ("类别", "人员类别", "categories"),
}
EXPORT_COLUMNS = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "address",
    "village",
    "categories",
)
SEX_WORDS = {"男": "M", "女": "F", "M": "M", "F": "F"}
SPLIT = str.maketrans({c: "," for c in "、，;；/ "})


def _parse_date(text: str) -> date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    if " " in text:
        text = text.split(" ")[0]
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return date.fromisoformat(text)


@dataclass
class _Prepared:
    line: int
    resident: SimpleNamespace
    categories: list[Category] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)  # the ID's blind index under every scheme


def residents_import(
    *,
    acting_user: User,
    upload: IO[bytes],
    filename: str,
    all_or_nothing: bool = False,
    request=None,
) -> ImportResult:
    """Validate every row first (the model's own field checks included); write the valid ones
    (or none) in one transaction."""
    result = ImportResult(all_or_nothing=all_or_nothing, columns=IMPORT_COLUMNS)
    field_checks = FieldChecks(Resident, ("name", "phone", "address"))
    jurisdiction = jurisdiction_of(acting_user)
    villages_by_code: dict[str, str] = {}
    villages_by_name: dict[str, list[str]] = {}
    for code, name in (
        Region.objects.filter(level=Level.VILLAGE)
        .in_subtree(jurisdiction.prefix)
        .values_list("code", "name")
        .iterator(chunk_size=5000)
    ):
        villages_by_code[code] = name
        villages_by_name.setdefault(name, []).append(code)
    cats = {c.name: c for c in Category.objects.all()} | {c.code: c for c in Category.objects.all()}
    prepared: list[_Prepared] = []
    seen: dict[str, int] = {}
    default_worker = _default_worker(acting_user)
    for line, row in read_rows(
        upload,
        filename=filename,
        columns=IMPORT_COLUMNS,
        required=("name", "id_number", "village"),
    ):
        result.total_rows += 1
        errors_before = result.error_count

        def err(field_name: str, reason: str, line=line) -> None:
            result.add_error(line, field_name, reason)

        name = row.get("name", "")
        if not name:
            err("name", _("姓名为空"))
        for field_name, reason in field_checks.errors(row, skip=() if name else ("name",)).items():
            err(field_name, reason)
        rid = None
        try:
            rid = validate_resident_id(row.get("id_number", ""))
        except ValidationError as exc:
            err("id_number", "；".join(exc.messages))
        if rid is not None:
            given_birth = None
            try:
                given_birth = _parse_date(row.get("birth_date", ""))
            except ValueError:
                err("birth_date", _("出生日期格式不正确"))
            if given_birth and given_birth != rid.birth_date:
                err(
                    "birth_date",
                    _("出生日期 %(g)s 与身份证号码（%(d)s）不符")
                    % {"g": given_birth.isoformat(), "d": rid.birth_date.isoformat()},
                )
            given_sex = SEX_WORDS.get(row.get("sex", "").strip().upper(), "")
            if given_sex and given_sex != rid.sex:
                err("sex", _("性别与身份证号码不符"))
            if rid.number in seen:
                err(
                    "id_number",
                    _("重复：与第 %(l)d 行身份证号码相同") % {"l": seen[rid.number]},
                )
            else:
                seen[rid.number] = line
        village = row.get("village", "")
        code = ""
        if village in villages_by_code:
            code = village
        elif len(villages_by_name.get(village, [])) == 1:
            code = villages_by_name[village][0]
        elif village in villages_by_name:
            err("village", _("村（社区）名称「%(v)s」不唯一，请填写代码") % {"v": village})
        else:
            err("village", _("未知的村（社区）：%(v)s") % {"v": village or "（空）"})
        chosen: list[Category] = []
        for word in filter(None, row.get("categories", "").translate(SPLIT).split(",")):
            if word in cats:
                chosen.append(cats[word])
            else:
                err("categories", _("未知的类别：%(c)s") % {"c": word})
        if result.error_count > errors_before or rid is None:
            continue
        cols = sensitive_columns(rid.number)
        prepared.append(
            _Prepared(
                line=line,
                resident=SimpleNamespace(  # a plain row: model instances cost too much here
                    pk=None,
                    name=name,
                    id_number_encrypted=cols["encrypted"],
                    id_number_hash=cols["hash"],
                    id_number_masked=cols["masked"],
                    sex=rid.sex,
                    birth_date=rid.birth_date,
                    phone=row.get("phone", ""),
                    address=row.get("address", ""),
                    region_id=code,
                    county_code=code[:6],
                    latitude=None,
                    longitude=None,
                    health_notes="",
                    disability_level="",
                    risk_level="",
                    status=ResidentStatus.ACTIVE,
                    assigned_worker_id=default_worker.pk if default_worker else None,
                    merged_into_id=None,
                ),
                categories=chosen,
                lookups=blind_indexes(rid.number),
            )
        )
    # Duplicates already registered (under any key or scheme still in use): one query per chunk
    # of blind indexes.
    by_hash = {h: p for p in prepared for h in p.lookups}
    hashes = list(by_hash)
    taken: dict[int, str] = {}  # line → region code of the resident holding its number
    for start in range(0, len(hashes), 5000):
        for h, holder in (
            Resident.objects.unscoped(
                reason="ID numbers are unique in the whole country: an import row is refused "
                "wherever the number is registered; only the holder's region code is read."
            )
            .filter(id_number_hash__in=hashes[start : start + 5000], merged_into__isnull=True)
            .values_list("id_number_hash", "region_id")
        ):
            taken.setdefault(by_hash[h].line, holder)
    if taken:
        for line, holder in sorted(taken.items()):
            reason = (
                _("重复：该身份证号码已登记")
                if jurisdiction.contains(holder)
                else id_number_taken_message(holder, acting_user=acting_user)
            )
            result.add_error(line, "id_number", reason)
        prepared = [p for p in prepared if p.line not in taken]
    if result.taken_nothing or not prepared:
        _audit_import(acting_user, result, filename, request)
        return result
    with transaction.atomic():
        _write_import(prepared, acting_user)
        result.created = len(prepared)
        _audit_import(acting_user, result, filename, request)
    return result


def _copy_rows(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany elsewhere; names come from model meta, never input."""
    from django.db import connection

    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    for start in range(0, len(rows), 5000):
        cursor.executemany(sql, rows[start : start + 5000])


RESIDENT_IMPORT_FIELDS = [
    "name",
    "id_number_hash",
    "id_number_masked",
    "sex",
    "birth_date",
    "phone",
    "address",
    "county_code",
    "latitude",
    "longitude",
    "health_notes",
    "disability_level",
    "risk_level",
    "status",
    "region_id",
    "assigned_worker_id",
    "merged_into_id",
]


def _write_import(prepared: list[_Prepared], by: User) -> None:
    """Set-based write in the surrounding transaction: residents and their history rows, then
    category links and visit plans, each by COPY (PostgreSQL) or executemany (SQLite); the ORM's
    per-field preparation dominated the import otherwise."""
    from django.db import connection
    from django.utils import timezone

    today = date.today()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = RESIDENT_IMPORT_FIELDS
    residents = [p.resident for p in prepared]
    quote = connection.ops.quote_name
    table = Resident._meta.db_table
    with connection.cursor() as cursor:
        _copy_rows(
            cursor,
            table,
            ["created_at", "updated_at", "id_number_encrypted", *fields],
            [
                (now, now, r.id_number_encrypted, *(getattr(r, f) for f in fields))
                for r in residents
            ],
        )
        ids: dict[str, int] = {}
        hashes = [r.id_number_hash for r in residents]
        for start in range(0, len(hashes), 5000):
            chunk = hashes[start : start + 5000]
            cursor.execute(
                f"SELECT id_number_hash, id FROM {quote(table)} WHERE merged_into_id IS NULL"  # noqa: S608
                f" AND id_number_hash IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            ids.update(cursor.fetchall())
        for r in residents:
            r.pk = ids[r.id_number_hash]
        _copy_rows(
            cursor,
            Resident.history.model._meta.db_table,
            [
                "id",
                "created_at",
                "updated_at",
                *fields,
                "history_date",
                "history_change_reason",
                "history_type",
                "history_user_id",
            ],
            [
                (r.pk, now, now, *(getattr(r, f) for f in fields), now, "导入", "+", by.pk)
                for r in residents
            ],
        )
        interval = cadence_for(residents[0].region_id[:2], RiskLevel.GENERAL)[0]
        due = today + timedelta(days=interval)
        _copy_rows(
            cursor,
            ResidentCategory._meta.db_table,
            ["resident_id", "category_id", "region_code", "start_date", "end_date", "level"],
            [
                (p.resident.pk, c.pk, p.resident.region_id, today, None, "")
                for p in prepared
                for c in p.categories
            ],
        )
        _copy_rows(
            cursor,
            VisitPlan._meta.db_table,
            [
                "resident_id",
                "region_code",
                "county_code",
                "worker_id",
                "risk_level",
                "interval_days",
                "next_due_date",
                "last_visit_date",
                "event_note",
                "is_active",
            ],
            [
                (
                    p.resident.pk,
                    p.resident.region_id,
                    p.resident.county_code,
                    p.resident.assigned_worker_id,
                    RiskLevel.GENERAL.value,
                    interval,
                    due,
                    None,
                    "",
                    True,
                )
                for p in prepared
                if any(c.cared_for for c in p.categories)
            ],
        )


def _audit_import(user: User, result: ImportResult, filename: str, request) -> None:
    audit_record(
        action=AuditLog.Action.IMPORT,
        actor=user,
        region_code=jurisdiction_of(user).region_code,
        detail={
            "file": filename,
            "list": "residents",
            "created": result.created,
            "rejected": result.rejected_count,
            "errors": result.error_count,
        },
        request=request,
    )

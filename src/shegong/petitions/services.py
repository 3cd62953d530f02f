"""Writes: every action on a matter is one atomic service that checks the transition declared in
`workflow.py`, saves, and writes the timeline event (who, when) and, where it matters, audit."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.crypto import (
    blind_index,
    blind_indexes,
    decrypt,
    encrypt,
    mask_id,
    validate_resident_id,
)
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.core.validation import check_past_event_date
from shegong.inbox import selectors as inbox_selectors
from shegong.inbox import services as inbox
from shegong.orgs.models import Kind as OrgKind
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import department_to_contact
from shegong.petitions import deadlines
from shegong.petitions.models import (
    Assignment,
    Attachment,
    Category,
    Channel,
    Extension,
    FollowUp,
    Kind,
    Matter,
    MatterEvent,
    MatterSequence,
    Mediation,
    MediationAgreement,
    MediationSession,
    Petitioner,
    Rating,
    ReplyKind,
    RoutingRule,
    Supervision,
    Tier,
)
from shegong.petitions.selectors import routing_proposal, routing_rule_for  # noqa: F401
from shegong.petitions.workflow import OPEN_STATUSES, TRANSITIONS, Status
from shegong.regions.models import Region
from shegong.workdays.calendar import current

MAX_REPRESENTATIVES = 5
REPEAT_SIMILARITY = 0.6
_NON_WORD = re.compile(r"[\s\W_]+", re.UNICODE)


# ---- helpers -----------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _org_of(user) -> Organisation | None:
    membership = getattr(user, "active_membership", None)
    return membership.organisation if membership else None


def _event(
    matter: Matter,
    action: str,
    *,
    actor=None,
    note: str = "",
    from_status: str = "",
    is_public: bool = True,
    actor_name: str = "",
    org_name: str = "",
) -> MatterEvent:
    label = str(TRANSITIONS[action].label) if action in TRANSITIONS else actor_name
    labels = {
        "register": _("登记"),
        "repeat": _("重复件并入"),
        "mediation_session": _("调解会"),
        "agreement": _("达成调解协议"),
        "public_rate": _("信访人评价"),
    }
    label = str(labels.get(action, label))
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_name = actor_name or str(actor)
        org = _org_of(actor)
        org_name = org_name or (org.name if org else "")
    else:
        actor = None
    return MatterEvent.objects.create(
        matter=matter,
        at=timezone.now(),
        action=action,
        label=label,
        actor=actor,
        actor_name=actor_name or _("系统"),
        org_name=org_name,
        from_status=from_status,
        to_status=matter.status,
        note=note,
        is_public=is_public,
    )


def check_action(action: str, matter: Matter, user) -> None:
    """The one gate: transition allowed from the current status, role, jurisdiction, actor."""
    transition = TRANSITIONS[action]
    if not jurisdiction_of(user).contains(matter.region_id):
        raise PermissionDenied(action)
    if not has_perm(user, transition.perm):
        raise PermissionDenied(action)
    if not transition.starts_from(matter.status):
        raise ApplicationError(
            _("当前状态（%(s)s）不能执行“%(a)s”。")
            % {"s": matter.get_status_display(), "a": transition.label},
            code="transition",
        )
    if transition.actor in ("handler", "mediable"):
        membership = user.active_membership
        if membership.role != "sysadmin" and membership.organisation_id != matter.handling_org_id:
            raise ApplicationError(_("只有承办单位可以执行此操作。"), code="not_handler")


def can(action: str, matter: Matter, user) -> bool:
    try:
        check_action(action, matter, user)
    except (PermissionDenied, ApplicationError):
        return False
    return True


def _save(matter: Matter, user, fields: list[str]) -> None:
    matter._history_user = user if getattr(user, "is_authenticated", False) else None
    matter.save(update_fields=[*fields, "updated_at"])


def _normalise(text: str) -> str:
    return _NON_WORD.sub("", text or "").lower()


def similar(a: str, b: str) -> float:
    a, b = _normalise(a), _normalise(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def phone_index_text(phone: str) -> str:
    """What a phone number's blind index is computed from ("" when too short to be one)."""
    digits = re.sub(r"\D", "", phone or "")
    return f"phone:{digits}" if len(digits) >= 7 else ""


def phone_key(phone: str) -> str:
    return blind_index(phone_index_text(phone))


def phone_keys(phone: str) -> list[str]:
    """`phone_key` under every key and scheme still in use, for lookups (`phone_key__in`)."""
    return blind_indexes(phone_index_text(phone))


def id_number_keys(petitioner: Petitioner) -> list[str]:
    """The petitioner's ID blind index under every key and scheme still in use."""
    token = petitioner.id_number_encrypted
    return blind_indexes(decrypt(token)) if token else []


def _next_number(county_code: str, on: date) -> str:
    key = f"{county_code}{on:%Y%m%d}"
    MatterSequence.objects.get_or_create(key=key)
    MatterSequence.objects.filter(key=key).update(last=F("last") + 1)
    last = MatterSequence.objects.values_list("last", flat=True).get(key=key)
    return f"{key}{last:04d}"


# ---- intake ------------------------------------------------------------------------------------


def _clean_petitioners(rows: list[dict[str, Any]], *, anonymous: bool) -> list[Petitioner]:
    people = []
    for index, row in enumerate(rows):
        name = (row.get("name") or "").strip()
        phone = re.sub(r"[^\d+-]", "", row.get("phone") or "")
        if not name and not phone and not row.get("id_number"):
            continue
        if not name and not anonymous:
            raise ValidationError({"petitioners": _("请填写信访人姓名。")})
        p = Petitioner(
            name=name,
            phone=phone,
            phone_key=phone_key(phone),
            address=(row.get("address") or "").strip(),
            is_representative=bool(row.get("is_representative")),
            resident_ref=(row.get("resident_ref") or "").strip(),
            resident_id=row.get("resident_id"),
        )
        id_number = (row.get("id_number") or "").strip()
        if id_number:
            rid = validate_resident_id(id_number, field="petitioners")
            p.id_number_encrypted = encrypt(rid.number)
            p.id_number_hash = blind_index(rid.number)
            p.id_number_masked = mask_id(rid.number)
        p.is_primary = index == 0
        people.append(p)
    if people and not any(p.is_primary for p in people):
        people[0].is_primary = True
    return people


def _link_residents(people: list[Petitioner], *, fetched_by=None, county_code: str = "") -> None:
    """Link petitioners to residents' records where the ID number is known (one query), among
    the residents the filer may see (staff: their jurisdiction; public channels: the county).
    The ID number is looked up under every key or scheme still in use."""
    wanted: dict[str, list[Petitioner]] = {}
    for p in people:
        if p.id_number_hash and p.resident_id is None:
            for h in id_number_keys(p):
                wanted.setdefault(h, []).append(p)
    if not wanted:
        return
    try:
        from shegong.people.models import Resident
    except ImportError:  # the residents' module is not installed
        return
    if fetched_by is not None:
        residents = Resident.objects.visible_to(fetched_by)
    elif county_code:
        residents = Resident.objects.in_subtree(county_code)
    else:
        return
    found = residents.filter(id_number_hash__in=list(wanted)).values_list("id_number_hash", "pk")
    for h, pk in found:
        for p in wanted[h]:
            if p.resident_id is None:
                p.resident_id = pk


@dataclass(frozen=True)
class RepeatCheck:
    """What repeat detection found. `earlier` is a matter the filer may see: the new one is
    merged into it. `elsewhere` is the county code of a repeat outside the filer's jurisdiction
    (staff only): nothing is merged or written there, the filer is told whom to contact."""

    earlier: Matter | None = None
    elsewhere: str = ""


def _first_similar(candidates, text: str) -> Matter | None:
    for candidate in candidates:
        if similar(text, f"{candidate.title} {candidate.request}") >= REPEAT_SIMILARITY:
            return candidate
    return None


def _filer_scope(user, county_code: str):
    """The matters a filer may be merged into: staff's jurisdiction, or for public channels the
    new matter's own county."""
    if user is not None and getattr(user, "is_authenticated", False):
        return Matter.objects.visible_to(user)
    return Matter.objects.in_subtree(county_code) if county_code else Matter.objects.none()


def find_repeat(
    *,
    petitioners: list[Petitioner],
    title: str,
    request: str,
    acting_user=None,
    county_code: str = "",
    today: date | None = None,
) -> RepeatCheck:
    """The earlier matter this one repeats: same petitioner (phone or ID number; one identical
    co-petitioner or representative is enough) with substantially the same request, while the
    earlier one is open or after its review chain ended. Staff (`acting_user`) are merged only
    into matters of their jurisdiction and learn only the county of a repeat elsewhere; public
    channels (no user) only into matters of the new matter's own county (`county_code`)."""
    today = today or _today()
    phones = {k for p in petitioners if p.phone_key for k in phone_keys(p.phone)}
    ids = {k for p in petitioners if p.id_number_hash for k in id_number_keys(p)}
    staff = acting_user is not None and getattr(acting_user, "is_authenticated", False)
    if (not phones and not ids) or (not staff and not county_code):
        return RepeatCheck()
    same_person = Q()
    if phones:
        same_person |= Q(petitioners__phone_key__in=phones)
    if ids:
        same_person |= Q(petitioners__id_number_hash__in=ids)
    window_over = today - timedelta(days=deadlines.setting("review_request")[0])
    wanted = Q(same_person, is_repeat=False) & (
        Q(status__in=OPEN_STATUSES)
        | Q(chain_ended=True)
        | Q(status=Status.CLOSED, replied_on__lt=window_over)
    )
    fields = ("id", "title", "request", "status", "number", "region_id", "handling_org_id")
    scope = _filer_scope(acting_user, county_code)
    text = f"{title} {request}"
    candidates = scope.filter(wanted).distinct().order_by("received_on", "id").only(*fields)[:50]
    earlier = _first_similar(candidates, text)
    if earlier is not None or not staff:
        return RepeatCheck(earlier=earlier)
    jurisdiction = jurisdiction_of(acting_user)
    if jurisdiction.is_national:
        return RepeatCheck()
    low, high = jurisdiction.range()
    outside = (
        Matter.objects.unscoped(
            reason="Repeat detection tells staff that the same petitioner's request is handled "
            "in another county and whom to contact there; only that county's code leaves here."
        )
        .filter(wanted)
        .exclude(region_id__gte=low, region_id__lte=high)
        .distinct()
        .order_by("received_on", "id")
        .only("id", "title", "request", "county_code")[:50]
    )
    found = _first_similar(outside, text)
    return RepeatCheck(elsewhere=found.county_code if found is not None else "")


@transaction.atomic
def matter_register(
    *,
    registered_by=None,
    kind: str,
    channel: str,
    region_code: str,
    category: Category,
    title: str,
    request: str,
    petitioners: list[dict[str, Any]],
    facts: str = "",
    address: str = "",
    urgency: str = "normal",
    anonymous: bool = False,
    is_group: bool = False,
    people_count: int = 1,
    received_on: date | None = None,
    finding_ref: str = "",
    tier: int = Tier.COUNTY,
) -> Matter:
    """Register a matter (登记). A repeat is linked to the earlier matter and not counted."""
    today = _today()
    received_on = received_on or today
    check_past_event_date(received_on, field="received_on")
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择类型。")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择来源渠道。")})
    if anonymous and not (channel == Channel.ONLINE and kind == Kind.COMPLAINT):
        raise ValidationError({"anonymous": _("只有网上投诉可以匿名。")})
    if not (request or "").strip():
        raise ValidationError({"request": _("请填写诉求。")})
    region = Region.objects.filter(code=region_code).first()
    if region is None or region.level < 3:
        raise ValidationError({"region": _("请选择县级或以下的事发地。")})
    if registered_by is not None and getattr(registered_by, "is_authenticated", False):
        if not jurisdiction_of(registered_by).contains(region.code):
            raise ValidationError({"region": _("该区划不在您的辖区范围内。")})
    people = _clean_petitioners(petitioners, anonymous=anonymous)
    if not people and not anonymous:
        raise ValidationError({"petitioners": _("请至少填写一位信访人。")})
    representatives = sum(1 for p in people if p.is_representative)
    if representatives > MAX_REPRESENTATIVES:
        raise ValidationError({"petitioners": _("集体访代表不得超过 5 人。")})
    if category.children.exists():
        raise ValidationError({"category": _("请选择二级分类。")})
    primary_phone = re.sub(r"\D", "", people[0].phone) if people else ""
    user = registered_by if getattr(registered_by, "is_authenticated", False) else None
    matter = Matter(
        number=_next_number(region.code[:6], today),
        kind=kind,
        channel=channel,
        region=region,
        county_code=region.code[:6],
        address=address.strip(),
        category=category,
        title=title.strip()[:100] or request.strip()[:30],
        request=request.strip(),
        facts=facts.strip(),
        urgency=urgency,
        anonymous=anonymous,
        is_group=is_group or len(people) > 1,
        people_count=max(people_count, len(people), 1),
        received_on=received_on,
        track_suffix=primary_phone[-4:] if len(primary_phone) >= 4 else "",
        registered_by=user,
        registering_org=_org_of(user) if user else None,
        finding_ref=finding_ref,
        tier=tier,
    )
    repeat = find_repeat(
        petitioners=people,
        title=matter.title,
        request=matter.request,
        acting_user=user,
        county_code=matter.county_code,
    )
    earlier = repeat.earlier
    if earlier is not None:
        matter.is_repeat = True
        matter.repeat_of = earlier
        matter.status = Status.MERGED
    else:
        deadlines.set_stage(matter, "register", received_on)
    # Told to the registering staff only (never stored where the other county's data is).
    matter.notices = []
    if repeat.elsewhere:
        matter.notices.append(
            _("同一信访人的相同诉求正在其他辖区办理，请联系%(dept)s。")
            % {"dept": department_to_contact(repeat.elsewhere)}
        )
    matter._history_user = user
    matter.save()
    for p in people:
        p.matter = matter
    _link_residents(people, fetched_by=user, county_code=matter.county_code)
    Petitioner.objects.bulk_create(people)
    channel_label = Channel(channel).label
    if earlier is not None:
        _filer_scope(user, matter.county_code).filter(pk=earlier.pk).update(
            repeat_count=F("repeat_count") + 1
        )
        _event(
            matter,
            "register",
            actor=user,
            note=_("经%(c)s登记；与 %(n)s 为同一信访人的相同诉求，作为重复件并入，不重复计数。")
            % {"c": channel_label, "n": earlier.number},
            actor_name="" if user else _("信访人"),
        )
        _event(
            earlier,
            "repeat",
            actor=user,
            note=_("同一信访人再次反映相同诉求（%(c)s，编号 %(n)s），已并入本件。")
            % {"c": channel_label, "n": matter.number},
            actor_name="" if user else _("信访人"),
        )
    else:
        _event(
            matter,
            "register",
            actor=user,
            note=_("经%(c)s登记，编号 %(n)s。") % {"c": channel_label, "n": matter.number},
            actor_name="" if user else _("信访人（网上提交）"),
        )
    for notice in matter.notices:
        _event(matter, "note", actor=user, note=notice, is_public=False)
    return matter


@transaction.atomic
def attachment_add(*, matter: Matter, upload, added_by) -> Attachment:
    if not jurisdiction_of(added_by).contains(matter.region_id) or not has_perm(
        added_by, "petitions.register"
    ):
        raise PermissionDenied("petitions.register")
    attachment = Attachment(
        matter=matter, file=upload, name=upload.name[:200], uploaded_by=added_by
    )
    attachment.save()
    _event(
        matter, "note", actor=added_by, note=_("上传附件：%s") % attachment.name, is_public=False
    )
    return attachment


@transaction.atomic
def matter_merge(*, matter: Matter, target: Matter, acting_user) -> Matter:
    """并单: a duplicate joins another matter and is no longer counted on its own."""
    if matter.pk == target.pk:
        raise ApplicationError(_("不能与自身合并。"), field="target")
    check_action("merge", matter, acting_user)
    if not jurisdiction_of(acting_user).contains(target.region_id) or not target.is_open:
        raise ApplicationError(_("目标事项不存在或已办结。"), field="target")
    before = matter.status
    matter.status = Status.MERGED
    matter.is_repeat = True
    matter.repeat_of = target
    deadlines.set_stage(matter, None, None)
    _save(matter, acting_user, ["status", "is_repeat", "repeat_of", *deadlines.DUE_FIELDS])
    Matter.objects.visible_to(acting_user).filter(pk=target.pk).update(
        repeat_count=F("repeat_count") + 1
    )
    _event(
        matter, "merge", actor=acting_user, from_status=before, note=_("并入 %s") % target.number
    )
    _event(target, "merge", actor=acting_user, note=_("%s 并入本件") % matter.number)
    audit_record(
        action=AuditLog.Action.MERGE,
        actor=acting_user,
        obj=matter,
        detail={"into": target.number},
    )
    return matter


# ---- routing -----------------------------------------------------------------------------------


@transaction.atomic
def routing_rule_save(
    *,
    category: Category,
    level: int,
    org_kind: str,
    sector: str = "",
    statutory_procedure: str = "",
    saved_by,
) -> RoutingRule:
    """Add or change the rule for (category, level) in the routing table."""
    if not has_perm(saved_by, "petitions.configure"):
        raise PermissionDenied("petitions.configure")
    if org_kind == OrgKind.GOVERNMENT_DEPARTMENT and not sector:
        raise ValidationError({"sector": _("政府部门须选择职能领域。")})
    rule = RoutingRule.objects.filter(category=category, level=level).first() or RoutingRule(
        category=category, level=level
    )
    rule.org_kind, rule.sector = (
        org_kind,
        sector if org_kind == OrgKind.GOVERNMENT_DEPARTMENT else "",
    )
    rule.statutory_procedure = statutory_procedure.strip()
    rule._history_user = saved_by
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def routing_rule_delete(*, rule: RoutingRule, deleted_by) -> None:
    if not has_perm(deleted_by, "petitions.configure"):
        raise PermissionDenied("petitions.configure")
    rule._history_user = deleted_by
    rule.delete()


@transaction.atomic
def matter_route(
    *, matter: Matter, organisation: Organisation, acting_user, note: str = ""
) -> Matter:
    """交办: send the matter to the responsible unit (the proposal, or another one picked)."""
    check_action("route", matter, acting_user)
    if not organisation.is_active or not matter.region_id.startswith(organisation.region_id[:6]):
        raise ApplicationError(_("承办单位应为事发地所在县（区）内的单位。"), field="organisation")
    calendar = current()
    today = _today()
    proposal = routing_proposal(matter)
    before = matter.status
    matter.status = Status.ASSIGNED
    matter.handling_org = organisation
    matter.escalation_code = organisation.region.parent_id or ""
    matter.assigned_on = today
    days, rule = deadlines.setting("objection")
    matter.objection_due = calendar.add(today, days, rule).due
    deadlines.set_stage(matter, "accept", today, calendar=calendar)
    _save(
        matter,
        acting_user,
        [
            "status",
            "handling_org",
            "escalation_code",
            "assigned_on",
            "objection_due",
            *deadlines.DUE_FIELDS,
        ],
    )
    Assignment.objects.create(
        matter=matter,
        organisation=organisation,
        proposed=proposal is not None and proposal.pk == organisation.pk,
        assigned_by=acting_user,
        assigned_on=today,
        objection_due=matter.objection_due,
    )
    how = _("按分流规则") if proposal and proposal.pk == organisation.pk else _("另选单位")
    text = _("%(how)s交办至%(org)s。") % {"how": how, "org": organisation.name}
    _event(
        matter,
        "route",
        actor=acting_user,
        from_status=before,
        note=f"{text}{note.strip()}",
    )
    inbox.notify(
        recipient_ids=inbox_selectors.members_who_may([organisation.pk], "petitions.handle").get(
            organisation.pk, []
        ),
        region_code=organisation.region_id,  # inside every recipient's jurisdiction
        kind="matter_assigned",
        params={
            "number": matter.number,
            "title": matter.title,
            "due": matter.due_date.isoformat() if matter.due_date else "—",
        },
        url=reverse("petitions:detail", args=[matter.pk]),
        key=f"matter:{matter.pk}:assigned:{organisation.pk}:{today.isoformat()}",
    )
    return matter


@transaction.atomic
def matter_route_out(*, matter: Matter, procedure: str, notice: str, acting_user) -> Matter:
    """A matter with its own statutory procedure goes there; the petitioner gets a notice."""
    check_action("route_out", matter, acting_user)
    if not procedure.strip() or not notice.strip():
        raise ValidationError({"notice": _("请填写法定途径和书面告知内容。")})
    before = matter.status
    matter.status = Status.ROUTED_OUT
    matter.routed_out_notice = notice.strip()
    matter.closed_on = _today()
    deadlines.set_stage(matter, None, None)
    _save(matter, acting_user, ["status", "routed_out_notice", "closed_on", *deadlines.DUE_FIELDS])
    _event(
        matter,
        "route_out",
        actor=acting_user,
        from_status=before,
        note=_("依法应通过%(p)s解决，已书面告知信访人。") % {"p": procedure.strip()},
    )
    return matter


@transaction.atomic
def matter_accept(*, matter: Matter, acting_user) -> Matter:
    check_action("accept", matter, acting_user)
    today = _today()
    before = matter.status
    matter.status = Status.ACCEPTED
    matter.accepted_on = today
    deadlines.set_stage(matter, "reply", today)
    _save(matter, acting_user, ["status", "accepted_on", *deadlines.DUE_FIELDS])
    matter.assignments.filter(outcome=Assignment.Outcome.PENDING).update(
        outcome=Assignment.Outcome.ACCEPTED, resolved_at=timezone.now()
    )
    _event(
        matter,
        "accept",
        actor=acting_user,
        from_status=before,
        note=_("已受理并告知信访人，办理期限至 %s。") % matter.due_date.isoformat(),
    )
    return matter


@transaction.atomic
def matter_object(*, matter: Matter, acting_user, reason: str) -> Matter:
    """The receiving unit says it is not its business (within 5 working days): back to the
    dispatcher, whose 15-day registration clock keeps running from the date received."""
    check_action("object", matter, acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明异议理由。")})
    if matter.objection_due and _today() > matter.objection_due:
        raise ApplicationError(
            _("已超过异议期限（%s，收到交办后 5 个工作日内）。") % matter.objection_due.isoformat(),
            field="reason",
        )
    org_name = matter.handling_org.name if matter.handling_org else ""
    before = matter.status
    matter.status = Status.REGISTERED
    matter.handling_org = None
    matter.escalation_code = ""
    matter.objection_due = None
    deadlines.set_stage(matter, "register", matter.received_on)
    _save(
        matter,
        acting_user,
        ["status", "handling_org", "escalation_code", "objection_due", *deadlines.DUE_FIELDS],
    )
    matter.assignments.filter(outcome=Assignment.Outcome.PENDING).update(
        outcome=Assignment.Outcome.OBJECTED,
        objection_reason=reason.strip(),
        resolved_at=timezone.now(),
    )
    _event(
        matter,
        "object",
        actor=acting_user,
        from_status=before,
        note=_("%(org)s认为不属其职责，退回分流。理由：%(r)s")
        % {"org": org_name, "r": reason.strip()},
        is_public=False,
    )
    return matter


@transaction.atomic
def matter_extend(*, matter: Matter, days: int, reason: str, acting_user) -> Extension:
    """Extend the handling period once, by up to 30 days; the approver and reason are kept and
    the reason is told to the petitioner (public timeline)."""
    check_action("extend", matter, acting_user)
    limit, _rule = deadlines.setting("extension")
    if Extension.objects.filter(matter=matter).exists():
        raise ApplicationError(_("办理期限只能延长一次。"), field="days")
    if not 1 <= int(days) <= limit:
        raise ValidationError({"days": _("延长天数应为 1–%d 天。") % limit})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写延期理由。")})
    old_due = matter.due_date
    matter.extended_days = int(days)
    deadlines.set_stage(matter, "reply", matter.accepted_on or matter.due_from)
    _save(matter, acting_user, ["extended_days", *deadlines.DUE_FIELDS])
    extension = Extension.objects.create(
        matter=matter,
        days=days,
        reason=reason.strip(),
        approver=acting_user,
        approved_at=timezone.now(),
        old_due=old_due,
        new_due=matter.due_date,
    )
    _event(
        matter,
        "extend",
        actor=acting_user,
        note=_("经 %(who)s 批准延期 %(d)d 天，期限由 %(old)s 延至 %(new)s。理由：%(r)s")
        % {
            "who": acting_user,
            "d": int(days),
            "old": old_due.isoformat(),
            "new": matter.due_date.isoformat(),
            "r": reason.strip(),
        },
    )
    return extension


@transaction.atomic
def matter_reply(*, matter: Matter, acting_user, reply_kind: str, text: str) -> Matter:
    """处理意见书: support, explain, or not support."""
    check_action("reply", matter, acting_user)
    if reply_kind not in ReplyKind.values:
        raise ValidationError({"reply_kind": _("请选择处理意见。")})
    if not text.strip():
        raise ValidationError({"text": _("请填写处理意见书内容。")})
    today = _today()
    before = matter.status
    matter.status = Status.REPLIED
    matter.reply_kind = reply_kind
    matter.reply_text = text.strip()
    matter.replied_on = today
    matter.replied_on_time = matter.due_date is None or today <= matter.due_date
    deadlines.set_stage(matter, None, None)
    _save(
        matter,
        acting_user,
        [
            "status",
            "reply_kind",
            "reply_text",
            "replied_on",
            "replied_on_time",
            *deadlines.DUE_FIELDS,
        ],
    )
    _event(
        matter,
        "reply",
        actor=acting_user,
        from_status=before,
        note=_("处理意见：%s") % ReplyKind(reply_kind).label,
    )
    return matter


@transaction.atomic
def matter_close(*, matter: Matter, acting_user) -> Matter:
    check_action("close", matter, acting_user)
    today = _today()
    before = matter.status
    matter.status = Status.CLOSED
    matter.closed_on = today
    matter.followup_due = deadlines.period("followup", today).due
    _save(matter, acting_user, ["status", "closed_on", "followup_due"])
    _event(
        matter,
        "close",
        actor=acting_user,
        from_status=before,
        note=_("已办结，回访期限 %s。") % matter.followup_due.isoformat(),
    )
    return matter


@transaction.atomic
def matter_request_review(*, matter: Matter, acting_user, reason: str) -> Matter:
    """复查 (first) or 复核 (second) on the petitioner's request, within 30 days of the reply."""
    if matter.chain_ended or matter.review_level >= 2:
        raise ApplicationError(_("复核意见已作出，同一事实和理由不再受理。"), field="reason")
    action = "request_review" if matter.review_level == 0 else "request_rereview"
    check_action(action, matter, acting_user)
    key = "review_request" if matter.review_level == 0 else "rereview_request"
    window = deadlines.period(key, matter.replied_on)
    if _today() > window.due:
        raise ApplicationError(_("已超过申请期限（%s）。") % window.due.isoformat(), field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("请填写申请理由。")})
    before = matter.status
    matter.status = Status.REVIEW if matter.review_level == 0 else Status.REREVIEW
    stage = "review_answer" if matter.review_level == 0 else "rereview_answer"
    deadlines.set_stage(matter, stage, _today())
    _save(matter, acting_user, ["status", *deadlines.DUE_FIELDS])
    _event(matter, action, actor=acting_user, from_status=before, note=reason.strip())
    return matter


@transaction.atomic
def matter_answer_review(*, matter: Matter, acting_user, reply_kind: str, text: str) -> Matter:
    action = "answer_review" if matter.status == Status.REVIEW else "answer_rereview"
    check_action(action, matter, acting_user)
    if reply_kind not in ReplyKind.values or not text.strip():
        raise ValidationError({"text": _("请选择意见并填写内容。")})
    before = matter.status
    matter.review_level += 1
    matter.chain_ended = matter.review_level >= 2
    matter.status = Status.CLOSED
    matter.reply_kind = reply_kind
    matter.reply_text = text.strip()
    matter.replied_on = _today()
    deadlines.set_stage(matter, None, None)
    _save(
        matter,
        acting_user,
        [
            "status",
            "review_level",
            "chain_ended",
            "reply_kind",
            "reply_text",
            "replied_on",
            *deadlines.DUE_FIELDS,
        ],
    )
    _event(
        matter,
        action,
        actor=acting_user,
        from_status=before,
        note=_("意见：%s") % ReplyKind(reply_kind).label,
    )
    return matter


@transaction.atomic
def matter_hearing(*, matter: Matter, acting_user, days: int, note: str = "") -> Matter:
    """A hearing held during review/re-review: its days do not count (Art. 36), so the answer
    deadline moves by them."""
    check_action("hearing", matter, acting_user)
    if not 1 <= int(days) <= 60:
        raise ValidationError({"days": _("听证天数应为 1–60 天。")})
    matter.due_days = (matter.due_days or 0) + int(days)
    result = current().add(matter.due_from, matter.due_days, matter.due_rule)
    matter.due_date, matter.due_provisional = result.due, result.provisional
    matter.is_overdue, matter.overdue_since = False, None
    _save(matter, acting_user, deadlines.DUE_FIELDS)
    _event(
        matter,
        "hearing",
        actor=acting_user,
        note=_("听证 %(d)d 天，不计入答复期限，期限顺延至 %(due)s。%(n)s")
        % {"d": int(days), "due": matter.due_date.isoformat(), "n": note.strip()},
    )
    return matter


@transaction.atomic
def matter_supervise(*, matter: Matter, acting_user, due_date: date, note: str) -> Supervision:
    """督办 by a department above the handling unit, with its own due date."""
    check_action("supervise", matter, acting_user)
    level = jurisdiction_of(acting_user).level
    handling_level = matter.handling_org.region.level if matter.handling_org else 3
    if level >= handling_level:
        raise ApplicationError(_("只有上级部门可以督办。"), field="note")
    if not note.strip():
        raise ValidationError({"note": _("请填写督办意见。")})
    if due_date < _today():
        raise ValidationError({"due_date": _("督办期限不能早于今天。")})
    supervision = Supervision.objects.create(
        matter=matter,
        organisation=_org_of(acting_user),
        by=acting_user,
        due_date=due_date,
        note=note.strip(),
    )
    matter.is_supervised = True
    _save(matter, acting_user, ["is_supervised"])
    _event(
        matter,
        "supervise",
        actor=acting_user,
        note=_("督办，期限 %(d)s：%(n)s") % {"d": due_date.isoformat(), "n": note.strip()},
        is_public=False,
    )
    return supervision


@transaction.atomic
def matter_escalate_tier(*, matter: Matter, acting_user, reason: str) -> Matter:
    """A lower level could not resolve it: village → township → county."""
    check_action("escalate_tier", matter, acting_user)
    if matter.tier <= Tier.COUNTY:
        raise ApplicationError(_("已是县级处理，不能再提级。"), field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("请说明提级理由。")})
    matter.tier -= 1
    _save(matter, acting_user, ["tier"])
    _event(
        matter,
        "escalate_tier",
        actor=acting_user,
        note=_("提级至%(t)s处理：%(r)s") % {"t": Tier(matter.tier).label, "r": reason.strip()},
        is_public=False,
    )
    return matter


@transaction.atomic
def matter_assign_leader(*, matter: Matter, leader, acting_user) -> Matter:
    """包案: a leader takes personal charge of a difficult matter."""
    check_action("assign_leader", matter, acting_user)
    if not leader.memberships.filter(role__in=["dept_leader"], is_active=True).exists():
        raise ValidationError({"leader": _("包案人应为部门领导。")})
    matter.lead_leader = leader
    _save(matter, acting_user, ["lead_leader"])
    _event(
        matter, "assign_leader", actor=acting_user, note=_("由 %s 包案") % leader, is_public=False
    )
    return matter


@transaction.atomic
def matter_note(*, matter: Matter, acting_user, text: str) -> MatterEvent:
    check_action("note", matter, acting_user)
    if not text.strip():
        raise ValidationError({"text": _("请填写备注。")})
    return _event(matter, "note", actor=acting_user, note=text.strip(), is_public=False)


# ---- follow-up and rating ----------------------------------------------------------------------


@transaction.atomic
def followup_record(
    *, matter: Matter, acting_user, method: str, notes: str, rating: str = ""
) -> FollowUp:
    check_action("follow_up", matter, acting_user)
    if method not in FollowUp.Method.values:
        raise ValidationError({"method": _("请选择回访方式。")})
    if not notes.strip():
        raise ValidationError({"notes": _("请填写回访记录。")})
    if rating and rating not in Rating.values:
        raise ValidationError({"rating": _("评价无效。")})
    followup = FollowUp(
        matter=matter,
        method=method,
        notes=notes.strip(),
        rating=rating,
        by=acting_user,
        on=_today(),
    )
    followup._history_user = acting_user
    followup.save()
    matter.followed_up_on = followup.on
    fields = ["followed_up_on"]
    if rating:
        matter.rating, matter.rating_via, matter.rated_on = rating, "worker", followup.on
        fields += ["rating", "rating_via", "rated_on"]
    _save(matter, acting_user, fields)
    note = FollowUp.Method(method).label
    if rating:
        note += _("，信访人评价：%s") % Rating(rating).label
    _event(matter, "follow_up", actor=acting_user, note=note)
    return followup


@transaction.atomic
def matter_rate_public(*, matter: Matter, rating: str, comment: str = "") -> Matter:
    """The petitioner rates the handling on the tracking page (once)."""
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择评价。")})
    if matter.status not in TRANSITIONS["rate"].sources:
        raise ApplicationError(_("事项答复后才能评价。"), field="rating")
    if matter.rating and matter.rating_via == "public":
        raise ApplicationError(_("您已评价过。"), field="rating")
    matter.rating, matter.rating_via, matter.rated_on = rating, "public", _today()
    _save(matter, None, ["rating", "rating_via", "rated_on"])
    note = Rating(rating).label + (f"：{comment.strip()[:200]}" if comment.strip() else "")
    _event(matter, "public_rate", note=note, actor_name=_("信访人"))
    return matter


# ---- mediation ---------------------------------------------------------------------------------


@transaction.atomic
def mediation_start(
    *, matter: Matter, acting_user, committee: Organisation, mediators: str
) -> Mediation:
    check_action("start_mediation", matter, acting_user)
    if matter.kind != Kind.DISPUTE:
        raise ApplicationError(_("只有矛盾纠纷可以转入调解。"), field="committee")
    if committee.kind != OrgKind.MEDIATION_COMMITTEE:
        raise ValidationError({"committee": _("请选择人民调解委员会。")})
    if not mediators.strip():
        raise ValidationError({"mediators": _("请填写调解员。")})
    if hasattr(matter, "mediation"):
        raise ApplicationError(_("该事项已有调解记录。"), field="committee")
    today = _today()
    mediation = Mediation(
        matter=matter,
        committee=committee,
        mediators=mediators.strip(),
        started_on=today,
        due_date=deadlines.period("mediation", today).due,
    )
    mediation._history_user = acting_user
    mediation.save()
    before = matter.status
    matter.status = Status.MEDIATING
    _save(matter, acting_user, ["status"])
    _event(
        matter,
        "start_mediation",
        actor=acting_user,
        from_status=before,
        note=_("由%(c)s调解，调解员：%(m)s，调解期限 %(d)s。")
        % {"c": committee.name, "m": mediators.strip(), "d": mediation.due_date.isoformat()},
    )
    return mediation


def _check_mediation(mediation: Mediation, user) -> None:
    matter = mediation.matter
    if not jurisdiction_of(user).contains(matter.region_id) or not has_perm(
        user, "petitions.mediate"
    ):
        raise PermissionDenied("petitions.mediate")
    if mediation.outcome != Mediation.Outcome.PENDING:
        raise ApplicationError(_("调解已结束。"))


@transaction.atomic
def mediation_add_session(
    *,
    mediation: Mediation,
    acting_user,
    held_on: date,
    participants: str,
    record: str,
    place: str = "",
) -> MediationSession:
    _check_mediation(mediation, acting_user)
    if held_on > _today():
        raise ValidationError({"held_on": _("调解日期不能晚于今天。")})
    if not participants.strip() or not record.strip():
        raise ValidationError({"record": _("请填写参加人员和调解记录。")})
    session = MediationSession.objects.create(
        mediation=mediation,
        held_on=held_on,
        place=place.strip(),
        participants=participants.strip(),
        record=record.strip(),
    )
    _event(
        mediation.matter,
        "mediation_session",
        actor=acting_user,
        note=_("%(d)s 调解，参加：%(p)s") % {"d": held_on.isoformat(), "p": participants.strip()},
        is_public=False,
    )
    return session


@transaction.atomic
def mediation_conclude(
    *,
    mediation: Mediation,
    acting_user,
    outcome: str,
    note: str = "",
    agreement: dict[str, Any] | None = None,
) -> Mediation:
    """End a mediation: agreement (with the Art. 29 fields), failure (the parties are told of
    other channels) or withdrawal. The matter returns to its handling unit for the reply."""
    _check_mediation(mediation, acting_user)
    matter = mediation.matter
    check_action("end_mediation", matter, acting_user)
    if outcome not in (
        Mediation.Outcome.AGREEMENT,
        Mediation.Outcome.FAILED,
        Mediation.Outcome.WITHDRAWN,
    ):
        raise ValidationError({"outcome": _("请选择调解结果。")})
    today = _today()
    text = note.strip()
    if outcome == Mediation.Outcome.AGREEMENT:
        data = agreement or {}
        required = [
            "parties",
            "facts",
            "disputed_points",
            "terms",
            "performance_manner",
            "performance_deadline",
        ]
        missing = [f for f in required if not data.get(f)]
        if missing:
            raise ValidationError(
                {
                    missing[0]: _(
                        "调解协议须写明当事人、纠纷事实、争议事项、协议内容及履行方式和期限。"
                    )
                }
            )
        if data["performance_deadline"] < today:
            raise ValidationError({"performance_deadline": _("履行期限不能早于今天。")})
        MediationAgreement.objects.create(
            mediation=mediation,
            parties=data["parties"].strip(),
            facts=data["facts"].strip(),
            disputed_points=data["disputed_points"].strip(),
            responsibilities=(data.get("responsibilities") or "").strip(),
            terms=data["terms"].strip(),
            performance_manner=data["performance_manner"].strip(),
            performance_deadline=data["performance_deadline"],
            signed_on=today,
        )
        text = text or _("当事人达成调解协议；可自协议生效之日起 30 日内共同申请司法确认。")
    elif outcome == Mediation.Outcome.FAILED:
        text = (text + " " if text else "") + _(
            "已告知当事人可依法通过仲裁、行政、司法等途径维护权利。"
        )
    mediation.outcome = outcome
    mediation.ended_on = today
    mediation.outcome_note = text
    mediation._history_user = acting_user
    mediation.save(update_fields=["outcome", "ended_on", "outcome_note", "updated_at"])
    before = matter.status
    matter.status = Status.ACCEPTED
    _save(matter, acting_user, ["status"])
    _event(
        matter,
        "agreement" if outcome == Mediation.Outcome.AGREEMENT else "end_mediation",
        actor=acting_user,
        from_status=before,
        note=f"{Mediation.Outcome(outcome).label}：{text}",
    )
    return mediation


# ---- care-visit hook ---------------------------------------------------------------------------


def matter_create_from_finding(
    *,
    created_by,
    finding_ref: str,
    region_code: str,
    category: Category,
    summary: str,
    parties: list[dict[str, Any]],
    facts: str = "",
) -> Matter:
    """A dispute found during a care visit (探访发现) becomes a matter (channel: field)."""
    if not finding_ref.strip():
        raise ValidationError({"finding_ref": _("缺少探访发现的编号。")})
    existing = Matter.objects.visible_to(created_by).filter(finding_ref=finding_ref.strip()).first()
    if existing is not None:
        return existing
    return matter_register(
        registered_by=created_by,
        kind=Kind.DISPUTE,
        channel=Channel.FIELD,
        region_code=region_code,
        category=category,
        title=summary[:100],
        request=summary,
        facts=facts,
        petitioners=parties,
        finding_ref=finding_ref.strip(),
        tier=Tier.VILLAGE
        if len(region_code) == 12 and not region_code.endswith("000")
        else Tier.COUNTY,
    )

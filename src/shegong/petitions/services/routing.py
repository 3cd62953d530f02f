"""Routing (分流/交办): the routing table, sending a matter to its unit or out to a statutory
procedure, the unit's objection, escalation to a higher tier and merging duplicates."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.inbox import selectors as inbox_selectors
from shegong.inbox import services as inbox
from shegong.orgs.models import Kind as OrgKind
from shegong.orgs.models import Organisation
from shegong.petitions import deadlines
from shegong.petitions.models import (
    Assignment,
    Category,
    Matter,
    RoutingRule,
    Tier,
)
from shegong.petitions.selectors import routing_proposal
from shegong.petitions.services._common import _check_action, _event, _save, _today
from shegong.petitions.workflow import Status
from shegong.workdays import obligations
from shegong.workdays.calendar import current


@transaction.atomic
def routing_rule_save(
    *,
    category: Category,
    level: int,
    org_kind: str,
    sector: str = "",
    statutory_procedure: str = "",
    acting_user,
) -> RoutingRule:
    """Add or change the rule for (category, level) in the routing table."""
    if not has_perm(acting_user, "petitions.configure"):
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
    rule._history_user = acting_user
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def routing_rule_delete(*, rule: RoutingRule, acting_user) -> None:
    if not has_perm(acting_user, "petitions.configure"):
        raise PermissionDenied("petitions.configure")
    rule._history_user = acting_user
    rule.delete()


@transaction.atomic
def matter_route(
    *, matter: Matter, organisation: Organisation, acting_user, note: str = ""
) -> Matter:
    """交办: send the matter to the responsible unit (the proposal, or another one picked)."""
    _check_action("route", matter, acting_user)
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
    obligations.obligation_set(matter, "matter_objection", today, calendar=calendar)
    deadlines.set_stage(matter, "accept", today, calendar=calendar)
    _save(
        matter,
        acting_user,
        [
            "status",
            "handling_org",
            "escalation_code",
            *obligations.fields_of("matter_objection"),
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
        objection_due_provisional=matter.objection_due_provisional,
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
    _check_action("route_out", matter, acting_user)
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
def matter_object(*, matter: Matter, acting_user, reason: str) -> Matter:
    """The receiving unit says it is not its business (within 5 working days): back to the
    dispatcher, whose 15-day registration clock keeps running from the date received."""
    _check_action("object", matter, acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明异议理由。")})
    # The stored deadline is the recomputed one once the year's holidays are loaded.
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
    matter.objection_due, matter.objection_due_provisional = None, False
    deadlines.set_stage(matter, "register", matter.received_on)
    _save(
        matter,
        acting_user,
        [
            "status",
            "handling_org",
            "escalation_code",
            "objection_due",
            "objection_due_provisional",
            *deadlines.DUE_FIELDS,
        ],
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
def matter_merge(*, matter: Matter, target: Matter, acting_user) -> Matter:
    """并单: a duplicate joins another matter and is no longer counted on its own."""
    if matter.pk == target.pk:
        raise ApplicationError(_("不能与自身合并。"), field="target")
    _check_action("merge", matter, acting_user)
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


@transaction.atomic
def matter_escalate_tier(*, matter: Matter, acting_user, reason: str) -> Matter:
    """A lower level could not resolve it: village → township → county."""
    _check_action("escalate_tier", matter, acting_user)
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

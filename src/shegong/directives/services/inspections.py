"""Inspections and research visits (调研/督导检查) and their rectification items (整改).

The items use the directives' machinery: recording the items creates a directive of category
整改 issued by the inspecting department, with one copy per item sent to the responsible unit
(with the item as the copy's title and its own deadline). The item then appears on that unit's
task list, is closed by a completion report with evidence and accepted by the department."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.directives.models import Directive, DirectiveTarget, Inspection
from shegong.directives.services._common import acting_unit, event, notify_units
from shegong.inbox.models import Notification
from shegong.orgs.models import Organisation
from shegong.workdays import obligations


@transaction.atomic
def inspection_record(
    *,
    acting_user: Any,
    kind: str,
    region_code: str,
    inspectors: str,
    visited_on: date,
    findings: str,
    organisation: Organisation | None = None,
) -> Inspection:
    department = acting_unit(acting_user=acting_user, perm="directives.inspect")
    ensure_in_jurisdiction(acting_user, region_code, field="region")
    if organisation is not None:
        ensure_in_jurisdiction(acting_user, organisation.region_id, field="organisation")
    if not findings.strip():
        raise ValidationError({"findings": _("请填写发现的问题。")})
    inspection = Inspection.objects.create(
        department=department,
        department_region_code=department.region_id,
        kind=kind,
        region_code=region_code,
        organisation=organisation,
        inspectors=inspectors.strip(),
        visited_on=visited_on,
        findings=findings.strip(),
        recorded_by=acting_user,
    )
    audit_record(
        action="inspection.record",
        actor=acting_user,
        obj=inspection,
        region_code=department.region_id,
    )
    return inspection


@dataclass(frozen=True)
class Item:
    """One rectification item: what to correct, who is responsible, by when."""

    text: str
    unit: Organisation
    due_date: date


@transaction.atomic
def rectification_assign(
    *, inspection: Inspection, acting_user: Any, items: list[Item]
) -> Directive:
    """Turn findings into rectification items (整改): one 整改 directive of the inspecting
    department (made once per inspection), one copy per item, sent to its responsible unit."""
    department = acting_unit(acting_user=acting_user, perm="directives.inspect")
    if inspection.department_id != department.pk:
        raise ValidationError({"__all__": _("只有检查单位可以交办整改事项。")})
    if not items:
        raise ValidationError({"items": _("请至少填写一项整改事项。")})
    today = timezone.localdate()
    for item in items:
        ensure_in_jurisdiction(acting_user, item.unit.region_id, field="unit")
        if item.unit.pk == department.pk:
            raise ValidationError({"unit": _("整改责任单位不能是检查单位本身。")})
        if item.due_date < today:
            raise ValidationError({"due_date": _("整改期限不能早于今天。")})
    directive = inspection.directive
    if directive is None:
        directive = Directive(
            issuer=department,
            issuer_region_code=department.region_id,
            issued_by=acting_user,
            title=_("%(kind)s整改：%(place)s（%(day)s）")
            % {
                "kind": inspection.get_kind_display(),
                "place": inspection.organisation.name
                if inspection.organisation
                else inspection.region_code,
                "day": inspection.visited_on,
            },
            body=inspection.findings,
            category=Directive.Category.RECTIFICATION,
            due_days=max((i.due_date - today).days for i in items) or 1,
            due_rule="calendar",
        )
        obligations.obligation_set(directive, "directive_due", today)
        directive.save()
        inspection.directive = directive
        inspection.save(update_fields=["directive"])
    existing = set(
        DirectiveTarget.objects.unscoped(
            reason="One copy per unit of the department's own 整改 directive."
        )
        .filter(directive=directive)
        .values_list("unit_id", flat=True)
    )
    ack = obligations.obligation_due("directive_target_ack", today, directive.ack_days)
    rows = []
    for item in items:
        if item.unit.pk in existing:
            raise ValidationError({"unit": _("%(u)s 已有整改事项。") % {"u": item.unit.name}})
        existing.add(item.unit.pk)
        rows.append(
            DirectiveTarget(
                directive=directive,
                unit=item.unit,
                sender=department,
                region_code=item.unit.region_id,
                level=RegionCode(item.unit.region_id).level,
                title=item.text[:200],
                instructions=item.text,
                received_on=today,
                ack_days=directive.ack_days,
                ack_due=ack.due,
                ack_due_provisional=ack.provisional,
                due_date=item.due_date,
            )
        )
    DirectiveTarget.objects.bulk_create(rows)
    event(
        directive,
        "issued",
        acting_user=acting_user,
        unit_name=department.name,
        note=_("交办整改事项 %(n)s 项") % {"n": len(rows)},
    )
    audit_record(
        action="inspection.rectify",
        actor=acting_user,
        obj=inspection,
        region_code=department.region_id,
        detail={"items": len(rows)},
    )
    notify_units(
        {r.unit_id: r.region_code for r in rows},
        directive=directive,
        kind=Notification.Kind.DIRECTIVE_RECEIVED,
        key=f"directive:{directive.pk}:received:{inspection.pk}:{len(existing)}",
        params={"due": str(ack.due)},
    )
    return directive

"""Issuing a directive (下发) and cascading a copy (转发/分解): set-based, a bounded number of
statements whatever the number of receiving units."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core.attachments import check_attachment
from shegong.core.audit import audit_record
from shegong.core.permissions import has_perm
from shegong.core.regioncode import PREFIX_LENGTH, RegionCode, code_range
from shegong.directives.models import Attachment, Directive, DirectiveTarget
from shegong.directives.services._common import (
    acting_unit,
    event,
    notify_units,
    require_relation,
)
from shegong.inbox.models import Notification
from shegong.orgs.selectors import leading_units
from shegong.workdays import obligations
from shegong.workdays.models import DayRule

BATCH = 2000
ALREADY_SENT = "Whether a unit already has a copy (a unit gets one copy of a directive)."
LEVEL_NAMES = {
    1: gettext_lazy("省级"),
    2: gettext_lazy("市级"),
    3: gettext_lazy("县级"),
    4: gettext_lazy("乡镇（街道）社工站"),
}


def _level_of(code: str) -> int:
    return RegionCode(code).level


def _units(user: Any, level: int, within: Sequence[str], inside: str, exclude_directive=None):
    """`[(unit id, region code)]` of the leading units at `level` in `within` (or everywhere in
    the user's jurisdiction), inside the subtree `inside` — one query."""
    units = leading_units(fetched_by=user, level=level, within=tuple(within))
    if inside:
        low, high = code_range(inside)
        units = units.filter(region_id__gte=low, region_id__lte=high)
    if exclude_directive is not None:
        units = units.exclude(
            Exists(
                DirectiveTarget.objects.unscoped(reason=ALREADY_SENT).filter(
                    directive=exclude_directive, unit_id=OuterRef("pk")
                )
            )
        )
    return list(units.values_list("pk", "region_id"))


def _copies(
    directive: Directive,
    units: list[tuple[int, str]],
    *,
    parent_of,  # (region code) -> (parent copy id | None, sender unit id, depth)
    today: date,
    instructions: str = "",
    due: dict[str, Any],
) -> list[DirectiveTarget]:
    """Build (not save) one copy per unit; the two deadlines are computed once for all."""
    ack = obligations.obligation_due("directive_target_ack", today, directive.ack_days)
    rows = []
    for unit_id, region in units:
        parent_id, sender_id, depth = parent_of(region)
        rows.append(
            DirectiveTarget(
                directive=directive,
                parent_id=parent_id,
                unit_id=unit_id,
                sender_id=sender_id,
                region_code=region,
                level=_level_of(region),
                depth=depth,
                instructions=instructions,
                received_on=today,
                ack_days=directive.ack_days,
                ack_due=ack.due,
                ack_due_provisional=ack.provisional,
                **due,
            )
        )
    return rows


def _directive_due(directive: Directive) -> dict[str, Any]:
    return {
        "due_from": directive.issued_on,
        "due_days": directive.due_days,
        "due_rule": directive.due_rule,
        "due_date": directive.due_date,
        "due_provisional": directive.due_provisional,
    }


@transaction.atomic
def directive_issue(
    *,
    acting_user: Any,
    title: str,
    level: int,
    due_days: int,
    body: str = "",
    category: str = Directive.Category.TASK,
    priority: str = Directive.Priority.NORMAL,
    regions: Sequence[str] = (),
    due_rule: str = DayRule.WORKING,
    ack_days: int = 3,
    cadence: str = "",
    through_level: int | None = None,
    upload: Any = None,
    issued_on: date | None = None,
) -> Directive:
    """Issue a directive to every leading unit at `level` inside `regions` (region codes; none:
    the whole jurisdiction). With `through_level`, the copies are also sent on down to every
    level up to it in one act, each through its superior unit's copy (a national cascade)."""
    issuer = acting_unit(acting_user=acting_user, perm="directives.issue")
    issuer_level = _level_of(issuer.region_id)
    if level <= issuer_level or level not in LEVEL_NAMES:
        raise ValidationError({"level": _("只能向下级单位下发。")})
    through = through_level if through_level is not None else level
    if through < level or through not in LEVEL_NAMES:
        raise ValidationError({"through_level": _("逐级下发的层级有误。")})
    if not title.strip():
        raise ValidationError({"title": _("请填写标题。")})
    if due_days < 1:
        raise ValidationError({"due_days": _("办理期限至少 1 天。")})
    check_attachment(upload)
    codes = [RegionCode.parse(code, field="regions") for code in regions]
    today = issued_on or timezone.localdate()
    units = _units(acting_user, level, codes, "")
    units = [(pk, region) for pk, region in units if pk != issuer.pk]
    if not units:
        raise ValidationError({"regions": _("所选范围内没有可下发的下级单位。")})
    directive = Directive(
        issuer=issuer,
        issuer_region_code=issuer.region_id,
        issued_by=acting_user,
        title=title.strip(),
        body=body,
        category=category,
        priority=priority,
        due_days=due_days,
        due_rule=due_rule,
        ack_days=ack_days,
        cadence=cadence,
    )
    obligations.obligation_set(directive, "directive_due", today)
    directive.save()
    due = _directive_due(directive)
    rows = _copies(
        directive, units, parent_of=lambda region: (None, issuer.pk, 0), today=today, due=due
    )
    DirectiveTarget.objects.bulk_create(rows, batch_size=BATCH)
    count = len(rows)
    for next_level in range(level + 1, through + 1):
        count += _send_down(directive, acting_user, codes, next_level, today=today, due=due)
    if upload is not None:
        Attachment.objects.create(
            directive=directive,
            region_code=issuer.region_id,
            file=upload,
            name=upload.name[:200],
            uploaded_by=acting_user,
        )
    event(
        directive,
        "issued",
        acting_user=acting_user,
        unit_name=issuer.name,
        note=_("下发至%(level)s单位 %(n)s 个") % {"level": LEVEL_NAMES[level], "n": count},
    )
    audit_record(
        action="directive.issue",
        actor=acting_user,
        obj=directive,
        region_code=issuer.region_id,
        detail={"level": level, "through_level": through, "targets": count},
    )
    notify_units(
        dict(units),
        directive=directive,
        kind=Notification.Kind.DIRECTIVE_RECEIVED,
        key=f"directive:{directive.pk}:received",
        params={"due": str(rows[0].ack_due)},
    )
    return directive


def _send_down(
    directive: Directive, user: Any, codes, level: int, *, today: date, due: dict
) -> int:
    """The copies at `level`, each under the copy of the nearest unit above it (one read of the
    copies above, one read of the units, batched inserts)."""
    above = {
        region: (pk, unit_id, depth)
        for pk, unit_id, region, depth in DirectiveTarget.objects.unscoped(
            reason="The copies of a directive being issued, read by its issuer's act."
        )
        .filter(directive=directive, level__lt=level)
        .values_list("pk", "unit_id", "region_code", "depth")
    }
    by_prefix = {RegionCode(region).prefix: value for region, value in above.items()}

    def parent_of(region: str):
        for up in range(level - 1, -1, -1):
            found = by_prefix.get(region[: PREFIX_LENGTH[up]])
            if found is not None:
                return found[0], found[1], found[2] + 1
        return None, directive.issuer_id, 0

    units = _units(user, level, codes, "", exclude_directive=directive)
    rows = _copies(directive, units, parent_of=parent_of, today=today, due=due)
    DirectiveTarget.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


@transaction.atomic
def target_cascade(
    *,
    target: DirectiveTarget,
    acting_user: Any,
    level: int,
    regions: Sequence[str] = (),
    instructions: str = "",
    due_date: date | None = None,
) -> list[DirectiveTarget]:
    """Send the unit's copy on to its own subordinates at `level` (转发/分解), with the unit's
    instructions and an internal deadline no later than its own. Only leading units inside the
    unit's own region (and the user's jurisdiction) can receive it."""
    if not has_perm(acting_user, "directives.handle"):
        raise PermissionDenied("directives.handle")
    unit = require_relation(target=target, acting_user=acting_user, relation="unit")
    target = (
        DirectiveTarget.objects.unscoped(
            reason="Locked again for the write; fetched through scoping."
        )
        .select_for_update()
        .get(pk=target.pk)
    )
    if target.status not in ("acknowledged", "in_progress"):
        raise ValidationError({"__all__": _("签收后才能转发。")})
    directive = target.directive
    if directive.status != Directive.Status.OPEN:
        raise ValidationError({"__all__": _("该督办事项已归档。")})
    if level <= target.level or level not in LEVEL_NAMES:
        raise ValidationError({"level": _("只能转发给下级单位。")})
    if due_date is not None and target.due_date is not None and due_date > target.due_date:
        raise ValidationError(
            {
                "due_date": _("内部期限不得晚于本单位的办结期限（%(due)s）。")
                % {"due": target.due_date}
            }
        )
    codes = [RegionCode.parse(code, field="regions") for code in regions]
    inside = RegionCode(unit.region_id).prefix
    units = _units(acting_user, level, codes, inside, exclude_directive=directive)
    units = [(pk, region) for pk, region in units if pk != unit.pk]
    if not units:
        raise ValidationError({"regions": _("所选范围内没有可转发的下级单位。")})
    today = timezone.localdate()
    if due_date is None:
        due = {
            "due_from": target.due_from,
            "due_days": target.due_days,
            "due_rule": target.due_rule,
            "due_date": target.due_date,
            "due_provisional": target.due_provisional,
        }
    else:
        due = {"due_date": due_date, "due_provisional": False}
    rows = _copies(
        directive,
        units,
        parent_of=lambda region: (target.pk, unit.pk, target.depth + 1),
        today=today,
        instructions=instructions,
        due=due,
    )
    created = DirectiveTarget.objects.bulk_create(rows, batch_size=BATCH)
    before = target.status
    target.status = "in_progress"
    target.overdue = False
    target.save(update_fields=["status", "overdue"])
    event(
        directive,
        "cascaded",
        acting_user=acting_user,
        target=target,
        from_status=before,
        to_status=target.status,
        note=_("转发至%(level)s单位 %(n)s 个%(due)s")
        % {
            "level": LEVEL_NAMES[level],
            "n": len(rows),
            "due": _("，内部期限 %s") % due_date if due_date else "",
        },
    )
    audit_record(
        action="directive.cascade",
        actor=acting_user,
        obj=target,
        region_code=target.region_code,
        detail={"level": level, "targets": len(rows), "due_date": str(due_date or "")},
    )
    notify_units(
        dict(units),
        directive=directive,
        kind=Notification.Kind.DIRECTIVE_RECEIVED,
        key=f"directive:{directive.pk}:received",
        params={"due": str(rows[0].ack_due)},
    )
    return created

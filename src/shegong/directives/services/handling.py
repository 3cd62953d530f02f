"""A copy's life after it is received: 签收, 进展报告, 提交办结, 办结/退回; 催办, the daily sweep
of overdue copies, and closing (归档) a directive with its roll-up frozen."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.attachments import check_attachment
from shegong.core.audit import audit_record
from shegong.core.permissions import has_perm
from shegong.directives.models import Attachment, Directive, DirectiveTarget, ProgressReport
from shegong.directives.services._common import (
    acting_unit,
    event,
    notify_units,
    require_relation,
)
from shegong.inbox.models import Notification

S = DirectiveTarget.Status
LATE = "Every late copy of the directive; the caller narrows it to the user's jurisdiction."
LOCKED = "The row is locked again for the write; the caller fetched it through scoping."
WORKING = (S.ACKNOWLEDGED, S.IN_PROGRESS, S.RETURNED)


def _locked(target: DirectiveTarget) -> DirectiveTarget:
    fresh = DirectiveTarget.objects.unscoped(reason=LOCKED)
    fresh = (
        fresh.select_for_update(of=("self",)).select_related("directive", "unit").get(pk=target.pk)
    )
    if fresh.directive.status != Directive.Status.OPEN:
        raise ValidationError({"__all__": _("该督办事项已归档。")})
    return fresh


def _move(
    target: DirectiveTarget,
    to: str,
    *,
    acting_user: Any,
    kind: str,
    note: str = "",
    fields: tuple[str, ...] = (),
) -> DirectiveTarget:
    before = target.status
    target.status = to
    target.overdue = False
    target.save(update_fields=["status", "overdue", *fields])
    event(
        target.directive,
        kind,
        acting_user=acting_user,
        target=target,
        from_status=before,
        to_status=to,
        note=note,
    )
    audit_record(
        action=f"directive.{kind}",
        actor=acting_user,
        obj=target,
        region_code=target.region_code,
        detail={"from": before, "to": to},
    )
    return target


def _check(target: DirectiveTarget, acting_user: Any, perm: str, relation: str, sources) -> None:
    if not has_perm(acting_user, perm):
        raise PermissionDenied(perm)
    require_relation(target=target, acting_user=acting_user, relation=relation)
    if target.status not in sources:
        raise ValidationError(
            {"__all__": _("当前状态（%(s)s）不能办理。") % {"s": target.get_status_display()}}
        )


@transaction.atomic
def target_acknowledge(*, target: DirectiveTarget, acting_user: Any) -> DirectiveTarget:
    """签收: the receiving unit confirms it has the directive."""
    target = _locked(target)
    _check(target, acting_user, "directives.handle", "unit", (S.RECEIVED,))
    target.acknowledged_at = timezone.now()
    return _move(
        target,
        S.ACKNOWLEDGED,
        acting_user=acting_user,
        kind="acknowledged",
        fields=("acknowledged_at",),
    )


def _report(target, acting_user, text, figures, attachment, *, is_completion) -> ProgressReport:
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写报告内容。")})
    check_attachment(attachment)
    report = ProgressReport.objects.create(
        target=target,
        region_code=target.region_code,
        text=text.strip(),
        figures=figures or {},
        is_completion=is_completion,
        reported_by=acting_user,
    )
    if attachment is not None:
        Attachment.objects.create(
            directive=target.directive,
            report=report,
            region_code=target.region_code,
            file=attachment,
            name=attachment.name[:200],
            uploaded_by=acting_user,
        )
    return report


@transaction.atomic
def progress_report(
    *,
    target: DirectiveTarget,
    acting_user: Any,
    text: str,
    figures: dict | None = None,
    attachment: Any = None,
) -> ProgressReport:
    """进展报告 on the unit's own copy."""
    target = _locked(target)
    _check(target, acting_user, "directives.handle", "unit", WORKING)
    report = _report(target, acting_user, text, figures, attachment, is_completion=False)
    _move(target, S.IN_PROGRESS, acting_user=acting_user, kind="progress", note=report.text[:200])
    return report


@transaction.atomic
def target_complete(
    *,
    target: DirectiveTarget,
    acting_user: Any,
    text: str,
    figures: dict | None = None,
    attachment: Any = None,
) -> ProgressReport:
    """提交办结: the completion report, for the sending unit to accept or return."""
    target = _locked(target)
    _check(target, acting_user, "directives.handle", "unit", WORKING)
    report = _report(target, acting_user, text, figures, attachment, is_completion=True)
    target.submitted_at = timezone.now()
    _move(
        target,
        S.SUBMITTED,
        acting_user=acting_user,
        kind="submitted",
        note=report.text[:200],
        fields=("submitted_at",),
    )
    notify_units(
        {target.sender_id: target.region_code},
        directive=target.directive,
        kind=Notification.Kind.DIRECTIVE_SUBMITTED,
        key=f"directive-target:{target.pk}:submitted:{report.pk}",
        params={"unit": target.unit.name},
    )
    return report


@transaction.atomic
def completion_accept(*, target: DirectiveTarget, acting_user: Any) -> DirectiveTarget:
    """办结: the sending unit accepts the completion report."""
    target = _locked(target)
    _check(target, acting_user, "directives.review", "sender", (S.SUBMITTED,))
    target.completed_at = timezone.now()
    target.return_reason = ""
    return _move(
        target,
        S.COMPLETED,
        acting_user=acting_user,
        kind="accepted",
        fields=("completed_at", "return_reason"),
    )


@transaction.atomic
def completion_return(*, target: DirectiveTarget, acting_user: Any, reason: str) -> DirectiveTarget:
    """退回: the sending unit returns the completion report with its reason."""
    target = _locked(target)
    _check(target, acting_user, "directives.review", "sender", (S.SUBMITTED,))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由。")})
    target.return_reason = reason.strip()
    _move(
        target,
        S.RETURNED,
        acting_user=acting_user,
        kind="returned",
        note=target.return_reason,
        fields=("return_reason",),
    )
    notify_units(
        {target.unit_id: target.region_code},
        directive=target.directive,
        kind=Notification.Kind.DIRECTIVE_REMINDED,
        key=f"directive-target:{target.pk}:returned:{timezone.now():%Y%m%d%H%M%S}",
        params={"unit": target.unit.name},
    )
    return target


def _laggards(directive: Directive, today: date):
    """The open copies that are late: not acknowledged in time, or not done by their due date."""
    return (
        DirectiveTarget.objects.unscoped(reason=LATE)
        .filter(directive=directive)
        .filter(
            Q(status=S.RECEIVED, ack_due__lt=today)
            | Q(status__in=(*WORKING, S.RECEIVED), due_date__lt=today)
            | Q(overdue=True)
        )
    )


@transaction.atomic
def remind_laggards(*, directive: Directive, acting_user: Any, prefix: str | None = None) -> int:
    """催办: one reminder to every late copy the user's unit sent, or anywhere in its subtree
    (`prefix`), at once. Returns how many copies were reminded."""
    unit = acting_unit(acting_user=acting_user, perm="directives.review")
    today = timezone.localdate()
    late = _laggards(directive, today).visible_to(acting_user)
    if prefix:
        late = late.in_subtree(prefix)
    pairs = dict(late.values_list("unit_id", "region_code"))
    if not pairs:
        raise ValidationError({"__all__": _("没有需要催办的单位。")})
    now = timezone.now()
    late.update(reminded_at=now)
    event(
        directive,
        "reminded",
        acting_user=acting_user,
        unit_name=unit.name,
        region_code=unit.region_id,
        note=_("向 %(n)s 个逾期或未签收单位发出催办") % {"n": len(pairs)},
    )
    audit_record(
        action="directive.remind",
        actor=acting_user,
        obj=directive,
        region_code=unit.region_id,
        detail={"targets": len(pairs)},
    )
    notify_units(
        pairs,
        directive=directive,
        kind=Notification.Kind.DIRECTIVE_REMINDED,
        key=f"directive:{directive.pk}:remind:{now:%Y%m%d%H%M%S}",
        params={"unit": unit.name},
    )
    return len(pairs)


@transaction.atomic
def directive_close(*, directive: Directive, acting_user: Any) -> Directive:
    """归档: close the directive and freeze its national roll-up (by province or child region of
    the issuer) in the directive itself."""
    from shegong.directives.selectors import rollup_rows

    unit = acting_unit(acting_user=acting_user, perm="directives.issue")
    directive = Directive.objects.unscoped(reason=LOCKED).select_for_update().get(pk=directive.pk)
    if directive.issuer_id != unit.pk:
        raise PermissionDenied("directives.issue as issuer")
    if directive.status != Directive.Status.OPEN:
        raise ValidationError({"__all__": _("该督办事项已归档。")})
    rows = rollup_rows(directive=directive, prefix=_prefix(directive.issuer_region_code))
    directive.rollup = {
        "at": timezone.now().isoformat(timespec="seconds"),
        "rows": [row.as_dict() for row in rows],
    }
    directive.status = Directive.Status.CLOSED
    directive.closed_at = timezone.now()
    directive.save(update_fields=["rollup", "status", "closed_at"])
    event(directive, "closed", acting_user=acting_user, unit_name=unit.name)
    audit_record(
        action="directive.close",
        actor=acting_user,
        obj=directive,
        region_code=directive.issuer_region_code,
    )
    return directive


def _prefix(code: str) -> str:
    from shegong.core.regioncode import RegionCode

    return RegionCode(code).prefix

"""Writes for assistance (帮扶): recording help given, and the steps of a home adaptation project
(people.workflow.ADAPTATION)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.errors import ApplicationError
from shegong.core.permissions import has_perm
from shegong.core.validation import check_past_event_date
from shegong.people.models import (
    AdaptationStatus,
    Assistance,
    AssistanceKind,
    Resident,
)


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

"""What every matter service shares: the gate of a transition, the timeline event, the save."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.errors import ApplicationError
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import is_superior_organ
from shegong.petitions.models import (
    Matter,
    MatterEvent,
)
from shegong.petitions.workflow import TRANSITIONS


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
        "mediation_consent": _("调解意愿"),
        "agreement": _("达成调解协议"),
        "public_rate": _("信访人评价"),
        "confirmation": _("司法确认"),
        "rating_review": _("不满意评价复核"),
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


def _check_action(action: str, matter: Matter, user) -> None:
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
    if transition.actor == "reviewer" and not is_superior_organ(
        _org_of(user), of=matter.handling_org
    ):
        raise ApplicationError(
            _("复查、复核由原办理单位的上一级机关办理，本单位不能办理。"), code="not_reviewer"
        )


def _save(matter: Matter, user, fields: list[str]) -> None:
    matter._history_user = user if getattr(user, "is_authenticated", False) else None
    matter.save(update_fields=[*fields, "updated_at"])

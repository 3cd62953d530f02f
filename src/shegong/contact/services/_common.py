"""What every contact service shares: the acting unit and the relation checks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from shegong.contact.models import Meeting
from shegong.core.permissions import has_perm
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import unit_of


def acting_unit(*, acting_user: Any, perm: str) -> Organisation:
    """The unit the user acts for, once their role grants `perm`."""
    if not has_perm(acting_user, perm):
        raise PermissionDenied(perm)
    unit = unit_of(fetched_by=acting_user)
    if unit is None:
        raise ValidationError({"__all__": _("您没有所属单位，不能办理联系群众工作。")})
    return unit


def require_organiser(*, meeting: Meeting, acting_user: Any) -> Organisation:
    """The user's unit, when it organised the meeting (managing its invitees and items)."""
    unit = acting_unit(acting_user=acting_user, perm="contact.manage")
    if unit.pk != meeting.organiser_id:
        raise PermissionDenied("contact.organiser")
    return unit


def require_open(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"__all__": _("会议已取消。")})


def history_user(*, acting_user: Any):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None

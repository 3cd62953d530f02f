"""Planning a meeting, inviting people, recording attendance, minutes and attachments."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.contact.models import Attachment, Invitation, Meeting
from shegong.contact.services._common import (
    acting_unit,
    history_user,
    require_open,
    require_organiser,
)
from shegong.core.attachments import check_attachment

Status = Meeting.Status
OWN_MEETING = (
    "The invitations of a meeting its organiser was authorised for; the meeting was fetched "
    "through scoping and its invitations share its region."
)


def _check_status(meeting: Meeting, *allowed: str) -> None:
    if meeting.status not in allowed:
        raise ValidationError(
            {
                "__all__": _("会议当前为“%(s)s”，不能进行此操作。")
                % {"s": meeting.get_status_display()}
            }
        )


def _save(meeting: Meeting, acting_user: Any, fields: list[str], reason: str = "") -> None:
    meeting._history_user = history_user(acting_user=acting_user)
    if reason:
        meeting._change_reason = reason
    meeting.save(update_fields=fields)


@transaction.atomic
def meeting_plan(
    *,
    acting_user: Any,
    kind: str,
    title: str,
    held_on: date,
    place: str,
    agenda: str = "",
) -> Meeting:
    """A department or station plans a meeting (计划召开), in its own region."""
    unit = acting_unit(acting_user=acting_user, perm="contact.manage")
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": _("请选择会议类型。")})
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写会议名称。")})
    if not (place or "").strip():
        raise ValidationError({"place": _("请填写会议地点。")})
    meeting = Meeting(
        organiser=unit,
        region_code=unit.region_id,
        kind=kind,
        title=title.strip()[:200],
        held_on=held_on,
        place=place.strip()[:200],
        agenda=(agenda or "").strip(),
        planned_by=history_user(acting_user=acting_user),
    )
    meeting.full_clean()
    meeting._history_user = history_user(acting_user=acting_user)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_hold(*, meeting: Meeting, acting_user: Any) -> Meeting:
    require_organiser(meeting=meeting, acting_user=acting_user)
    _check_status(meeting, Status.PLANNED)
    meeting.status = Status.HELD
    _save(meeting, acting_user, ["status"], _("已召开"))
    return meeting


@transaction.atomic
def meeting_minutes_record(
    *, meeting: Meeting, acting_user: Any, minutes: str, summary: str = "", attachment=None
) -> Meeting:
    """The minutes (纪要), the public summary, and a file; the meeting is then closed."""
    require_organiser(meeting=meeting, acting_user=acting_user)
    _check_status(meeting, Status.HELD)
    if not (minutes or "").strip():
        raise ValidationError({"minutes": _("请填写会议纪要。")})
    if attachment:
        check_attachment(attachment)
    meeting.minutes = minutes.strip()
    meeting.summary = (summary or "").strip()
    meeting.status = Status.CLOSED
    _save(meeting, acting_user, ["minutes", "summary", "status"], _("记录会议纪要"))
    if attachment:
        attachment_add(meeting=meeting, upload=attachment, acting_user=acting_user)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, acting_user: Any, reason: str) -> Meeting:
    require_organiser(meeting=meeting, acting_user=acting_user)
    _check_status(meeting, Status.PLANNED)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写取消原因。")})
    meeting.status = Status.CANCELLED
    meeting.cancel_reason = reason.strip()
    _save(meeting, acting_user, ["status", "cancel_reason"], _("取消会议"))
    return meeting


@transaction.atomic
def attachment_add(*, meeting: Meeting, upload, acting_user: Any) -> Attachment:
    """A file for the meeting (the one 20 MB rule of core.attachments)."""
    require_organiser(meeting=meeting, acting_user=acting_user)
    check_attachment(upload)
    return Attachment.objects.create(
        meeting=meeting,
        region_code=meeting.region_code,
        name=(getattr(upload, "name", "") or "file")[:200],
        file=upload,
        uploaded_by=history_user(acting_user=acting_user),
    )


REFERENCE = {
    Invitation.Kind.ACCOUNT: "user",
    Invitation.Kind.VOLUNTEER: "volunteer",
    Invitation.Kind.ORGANISATION: "organisation",
    Invitation.Kind.RESIDENT: "resident",
}


@transaction.atomic
def invitation_add(*, meeting: Meeting, acting_user: Any, kind: str, reference: Any) -> Invitation:
    """Invite someone by their record: an account, a volunteer, an organisation's contact or a
    resident, each fetched by the caller through its scoped selector (never typed again)."""
    require_organiser(meeting=meeting, acting_user=acting_user)
    require_open(meeting)
    _check_status(meeting, Status.PLANNED, Status.HELD)
    field = REFERENCE.get(kind)
    if field is None:
        raise ValidationError({"kind": _("请选择受邀人类型。")})
    if reference is None:
        raise ValidationError({"reference": _("请选择受邀人。")})
    existing = Invitation.objects.unscoped(reason=OWN_MEETING).filter(
        meeting=meeting, kind=kind, **{field: reference}
    )
    if existing.exists():
        raise ValidationError({"reference": _("此人已在邀请名单中。")})
    invitation = Invitation(
        meeting=meeting, region_code=meeting.region_code, kind=kind, **{field: reference}
    )
    invitation._history_user = history_user(acting_user=acting_user)
    invitation.save()
    return invitation


@transaction.atomic
def attendance_record(*, meeting: Meeting, acting_user: Any, present: list[int]) -> int:
    """Who came: `present` are invitation ids of this meeting; every other invitee is absent.
    Returns the number present."""
    require_organiser(meeting=meeting, acting_user=acting_user)
    _check_status(meeting, Status.HELD, Status.CLOSED)
    invitations = list(Invitation.objects.unscoped(reason=OWN_MEETING).filter(meeting=meeting))
    known = {i.pk for i in invitations}
    unknown = set(present) - known
    if unknown:
        raise ValidationError({"present": _("出席人不在本次会议的邀请名单中。")})
    changed = []
    for invitation in invitations:
        attended = invitation.pk in present
        if invitation.attended is not attended:
            invitation.attended = attended
            invitation._history_user = history_user(acting_user=acting_user)
            changed.append(invitation)
    if changed:
        Invitation.objects.bulk_update(changed, ["attended"])
        Invitation.history.bulk_history_create(
            changed, default_user=history_user(acting_user=acting_user)
        )
    return sum(1 for i in invitations if i.pk in present)

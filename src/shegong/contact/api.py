"""Contact API: meetings (plan, invite, attendance, items) and raised items with their actions.
Scoped like every list: a unit outside a meeting's region gets 404."""

from ninja import Status
from ninja.pagination import paginate

from shegong.contact import selectors, services
from shegong.contact.models import Invitation
from shegong.contact.schemas import (
    ContactAttendanceIn,
    ContactAttendanceOut,
    ContactInvitationIn,
    ContactInvitationOut,
    ContactMeetingIn,
    ContactMeetingOut,
    RaisedItemIn,
    RaisedItemOut,
)
from shegong.contact.workflow import ITEM, MEETING
from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Pagination, Text
from shegong.core.workflow.api import action_route

router = Router(tags=["contact 联系群众"])

_CANDIDATES = {
    Invitation.Kind.ACCOUNT: selectors.invitee_accounts,
    Invitation.Kind.VOLUNTEER: selectors.invitee_volunteers,
    Invitation.Kind.ORGANISATION: selectors.invitee_organisations,
    Invitation.Kind.RESIDENT: selectors.invitee_residents,
}


@router.get("/meetings", response=list[ContactMeetingOut], summary="Meetings the caller sees")
@scoped("contact.view")
@paginate(Pagination, page_size=50)
def meeting_list(request, kind: Text(16) = "", status: Text(16) = "", month: Text(7) = ""):
    return selectors.meeting_list(fetched_by=request.user, kind=kind, status=status, month=month)


@router.post("/meetings", response={201: ContactMeetingOut}, summary="Plan a meeting")
@scoped("contact.manage")
def meeting_plan(request, payload: ContactMeetingIn):
    return Status(201, services.meeting_plan(acting_user=request.user, **payload.dict()))


@router.get("/meetings/{int:meeting_id}", response=ContactMeetingOut)
@scoped("contact.view")
def meeting_detail(request, meeting_id: int):
    return selectors.get_meeting_for(fetched_by=request.user, pk=meeting_id)


@router.get("/meetings/{int:meeting_id}/invitations", response=list[ContactInvitationOut])
@scoped("contact.view")
def meeting_invitations(request, meeting_id: int):
    meeting = selectors.get_meeting_for(fetched_by=request.user, pk=meeting_id)
    return list(selectors.invitations_of(fetched_by=request.user, meeting=meeting)[:2000])


@router.post("/meetings/{int:meeting_id}/invitations", response={201: ContactInvitationOut})
@scoped("contact.manage")
def invitation_add(request, meeting_id: int, payload: ContactInvitationIn):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    meeting = selectors.get_meeting_for(fetched_by=request.user, pk=meeting_id)
    reference = _CANDIDATES[payload.kind](fetched_by=request.user).filter(pk=payload.id).first()
    if reference is None:
        raise ValidationError({"id": _("未找到该受邀人，或不在您的辖区范围内。")})
    invitation = services.invitation_add(
        meeting=meeting, acting_user=request.user, kind=payload.kind, reference=reference
    )
    return Status(201, invitation)


@router.post("/meetings/{int:meeting_id}/attendance", response=ContactAttendanceOut)
@scoped("contact.manage")
def attendance_record(request, meeting_id: int, payload: ContactAttendanceIn):
    meeting = selectors.get_meeting_for(fetched_by=request.user, pk=meeting_id)
    n = services.attendance_record(
        meeting=meeting, acting_user=request.user, present=list(payload.present)
    )
    return {"present": n}


@router.get("/meetings/{int:meeting_id}/items", response=list[RaisedItemOut])
@scoped("contact.view")
def meeting_items(request, meeting_id: int):
    meeting = selectors.get_meeting_for(fetched_by=request.user, pk=meeting_id)
    return list(selectors.items_of(fetched_by=request.user, meeting=meeting)[:2000])


@router.post("/meetings/{int:meeting_id}/items", response={201: RaisedItemOut})
@scoped("contact.manage")
def item_record(request, meeting_id: int, payload: RaisedItemIn):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    meeting = selectors.get_meeting_for(fetched_by=request.user, pk=meeting_id)
    raiser = (
        selectors.invitations_of(fetched_by=request.user, meeting=meeting)
        .filter(pk=payload.raised_by)
        .first()
    )
    if raiser is None:
        raise ValidationError({"raised_by": _("反映人不在本次会议的邀请名单中。")})
    item = services.item_record(
        meeting=meeting,
        acting_user=request.user,
        raiser=raiser,
        text=payload.text,
        consent_publish=payload.consent_publish,
    )
    return Status(201, item)


action_route(router, MEETING, path="/meetings", response=ContactMeetingOut)


@router.get("/items", response=list[RaisedItemOut], summary="Raised items the caller sees")
@scoped("contact.view")
@paginate(Pagination, page_size=50)
def item_list(request, status: Text(16) = "", overdue: bool = False):
    return selectors.item_list(fetched_by=request.user, status=status, overdue=overdue)


@router.get("/items/{int:item_id}", response=RaisedItemOut)
@scoped("contact.view")
def item_detail(request, item_id: int):
    return selectors.get_item_for(fetched_by=request.user, pk=item_id)


action_route(router, ITEM, path="/items", response=RaisedItemOut)

"""Raised items (群众反映事项): recorded, assigned with a working-day deadline, answered, fed
back to who raised it (inbox when they have an account; with the meeting's public summary when
they agreed), or converted into a petitions matter in one step."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.contact.models import Invitation, Meeting, RaisedItem
from shegong.contact.services._common import acting_unit, history_user, require_organiser
from shegong.orgs.models import Organisation
from shegong.workdays import obligations

Status = RaisedItem.Status
DUE_KEY = "contact_item_due"
DEFAULT_DUE_DAYS = 15  # working days, as a reply to a petition's request (信访工作条例 Art. 32)


def _check_status(item: RaisedItem, *allowed: str) -> None:
    if item.status not in allowed:
        raise ValidationError(
            {"__all__": _("事项当前为“%(s)s”，不能进行此操作。") % {"s": item.get_status_display()}}
        )


def _save(item: RaisedItem, acting_user: Any, fields: list[str], reason: str) -> None:
    item._history_user = history_user(acting_user=acting_user)
    item._change_reason = reason
    item.save(update_fields=fields)


def unit_may_answer(unit: Organisation, region_code: str) -> bool:
    """A responsible unit lies in the meeting's county, on the path from the county down to the
    meeting's place or below it: so it sees the item it must answer."""
    place = unit.region_id or ""
    if place[:6] != region_code[:6]:
        return False
    from shegong.core.regioncode import RegionCode

    meeting_code = RegionCode(region_code)
    unit_code = RegionCode(place)
    return meeting_code.within(unit_code.prefix) or unit_code.within(meeting_code.prefix)


@transaction.atomic
def item_record(
    *,
    meeting: Meeting,
    acting_user: Any,
    raiser: Invitation,
    text: str,
    consent_publish: bool = False,
) -> RaisedItem:
    """An item raised at the meeting by a participant (an invitee of this meeting)."""
    require_organiser(meeting=meeting, acting_user=acting_user)
    if meeting.status not in (Meeting.Status.HELD, Meeting.Status.CLOSED):
        raise ValidationError({"__all__": _("会议召开后才能登记群众反映事项。")})
    if raiser.meeting_id != meeting.pk:
        raise ValidationError({"raised_by": _("反映人不在本次会议的邀请名单中。")})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写反映内容。")})
    item = RaisedItem(
        meeting=meeting,
        region_code=meeting.region_code,
        raised_by=raiser,
        text=text.strip(),
        consent_publish=bool(consent_publish),
    )
    item._history_user = history_user(acting_user=acting_user)
    item.save()
    if raiser.attended is not True:  # who raised an item was there
        raiser.attended = True
        raiser._history_user = history_user(acting_user=acting_user)
        raiser.save(update_fields=["attended"])
    return item


def _members(unit: Organisation) -> list[int]:
    from shegong.accounts.models import Membership

    return list(
        Membership.objects.unscoped(reason=NOTIFY)
        .filter(organisation=unit, is_active=True, user__is_active=True)
        .values_list("user_id", flat=True)
    )


NOTIFY = "The members of an item's responsible unit are told by the system, whoever assigns it."


@transaction.atomic
def item_assign(
    *, item: RaisedItem, acting_user: Any, unit: Organisation, due_days: int = DEFAULT_DUE_DAYS
) -> RaisedItem:
    """Assign to a responsible unit; the deadline counts working days from today."""
    require_organiser(meeting=item.meeting, acting_user=acting_user)
    _check_status(item, Status.RAISED)
    if unit is None or not unit_may_answer(unit, item.region_code):
        raise ValidationError({"unit": _("责任单位须为会议所在县（区）内、能办理该事项的单位。")})
    if not due_days or due_days < 1 or due_days > 60:
        raise ValidationError({"due_days": _("办理时限须为 1 至 60 个工作日。")})
    item.unit = unit
    item.assigned_on = timezone.localdate()
    item.due_days = due_days
    obligations.obligation_set(item, DUE_KEY)
    item.status = Status.ASSIGNED
    _save(
        item,
        acting_user,
        ["unit", "assigned_on", "due_days", "due_date", "due_provisional", "status"],
        _("交办 %(u)s") % {"u": unit.name},
    )
    recipients = _members(unit)
    params = {"title": item.text[:60], "unit": unit.name, "due": item.due_date.isoformat()}
    url = reverse("contact:item", args=[item.pk])

    def send() -> None:
        from shegong.inbox.services import notify

        notify(
            recipient_ids=recipients,
            region_code=item.region_code,
            kind="contact_assigned",
            params=params,
            url=url,
            key=f"contact_assigned:{item.pk}:{unit.pk}",
        )

    transaction.on_commit(send)
    return item


@transaction.atomic
def item_answer(*, item: RaisedItem, acting_user: Any, answer: str) -> RaisedItem:
    """The responsible unit answers; on time when answered on or before the deadline."""
    unit = acting_unit(acting_user=acting_user, perm="contact.answer")
    if unit.pk != item.unit_id:
        raise PermissionDenied("contact.unit")
    _check_status(item, Status.ASSIGNED)
    if not (answer or "").strip():
        raise ValidationError({"answer": _("请填写答复内容。")})
    today = timezone.localdate()
    item.answer = answer.strip()
    item.answered_on = today
    item.on_time = item.due_date is None or today <= item.due_date
    item.status = Status.ANSWERED
    _save(item, acting_user, ["answer", "answered_on", "on_time", "status"], _("答复"))
    return item


@transaction.atomic
def item_feed_back(*, item: RaisedItem, acting_user: Any) -> RaisedItem:
    """The answer goes back to who raised it: to their inbox when they have an account; it is
    published with the meeting's summary when they agreed (`consent_publish`)."""
    require_organiser(meeting=item.meeting, acting_user=acting_user)
    _check_status(item, Status.ANSWERED)
    item.fed_back_at = timezone.now()
    item.status = Status.FED_BACK
    _save(item, acting_user, ["fed_back_at", "status"], _("反馈给反映人"))
    account = item.raised_by.account_id
    if account:
        params = {"meeting": item.meeting.title[:60], "answer": item.answer[:200]}
        url = reverse("contact:answer", args=[item.pk])

        def send() -> None:
            from shegong.inbox.services import notify

            notify(
                recipient_ids=[account],
                region_code=item.region_code,
                kind="contact_answered",
                params=params,
                url=url,
                key=f"contact_answered:{item.pk}",
            )

        transaction.on_commit(send)
    return item


def _petitioner(invitation: Invitation) -> dict[str, Any]:
    if invitation.kind == Invitation.Kind.RESIDENT and invitation.resident is not None:
        r = invitation.resident
        return {"name": r.name, "phone": r.phone, "resident_id": r.pk}
    if invitation.kind == Invitation.Kind.VOLUNTEER and invitation.volunteer is not None:
        return {"name": invitation.volunteer.name, "phone": invitation.volunteer.phone}
    if invitation.kind == Invitation.Kind.ORGANISATION and invitation.organisation is not None:
        org = invitation.organisation
        return {"name": org.contact_person or org.name, "phone": org.phone}
    return {"name": invitation.display_name}


@transaction.atomic
def item_convert(*, item: RaisedItem, acting_user: Any, kind: str, category) -> RaisedItem:
    """A dispute or petition raised at the meeting becomes a matter (channel 群众接待会) through
    petitions' own registration, in one step; the item keeps the link, the matter shows it."""
    from shegong.petitions.models import Channel, Kind
    from shegong.petitions.services import matter_register

    require_organiser(meeting=item.meeting, acting_user=acting_user)
    _check_status(item, Status.RAISED, Status.ASSIGNED)
    if kind not in (Kind.DISPUTE, Kind.PETITION, Kind.REQUEST, Kind.COMPLAINT):
        raise ValidationError({"kind": _("请选择类型。")})
    meeting = item.meeting
    matter = matter_register(
        acting_user=acting_user,
        kind=kind,
        channel=Channel.MEETING,
        region_code=meeting.region_code,
        category=category,
        title=item.text[:30],
        request=item.text,
        facts=_("%(d)s 联系群众会议“%(t)s”上反映。") % {"d": meeting.held_on, "t": meeting.title},
        petitioners=[_petitioner(item.raised_by)],
        received_on=meeting.held_on,
        review_choice="repeat",
    )
    item.matter = matter
    item.status = Status.CONVERTED
    _save(item, acting_user, ["matter", "status"], _("转为信访事项 %(n)s") % {"n": matter.number})
    return item

"""The lifecycles of mass-contact meetings and raised items, in the one format of core.workflow.

Meeting: planned → held (召开) → closed (记录纪要); planned → cancelled (取消).
Item: raised → assigned (交办, deadline on the working-day calendar) → answered (答复) →
fed back (反馈 to who raised it); raised or assigned → converted (转为信访事项).

Who may act is the permission and a relation: "organiser" — the user's unit organised the
meeting; "unit" — the user's unit is the item's responsible unit. Pages take the transitions at
`/contact/meetings/<pk>/actions/<action>/` and `/contact/items/<pk>/actions/<action>/`, the API
at `POST /api/v1/contact/meetings/{pk}/actions/{action}` and `…/items/{pk}/actions/{action}`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.contact.models import Meeting, RaisedItem
from shegong.core.workflow import Lifecycle, Transition

_S = "shegong.contact.services."
_F = "shegong.contact.forms."
_HISTORY = "contact.HistoricalMeeting"
_ITEM_HISTORY = "contact.HistoricalRaisedItem"

M = Meeting.Status
PLANNED, HELD, CLOSED, CANCELLED = M.PLANNED.value, M.HELD.value, M.CLOSED.value, M.CANCELLED.value
I = RaisedItem.Status  # noqa: E741
RAISED, ASSIGNED, ANSWERED = I.RAISED.value, I.ASSIGNED.value, I.ANSWERED.value
FED_BACK, CONVERTED = I.FED_BACK.value, I.CONVERTED.value

MANAGE = "contact.manage"
ANSWER = "contact.answer"

MEETING = Lifecycle(
    key="contact.meeting",
    label=_("联系群众会议"),
    model="contact.Meeting",
    states=M,
    object_arg="meeting",
    fetch="shegong.contact.selectors.get_meeting_for",
    view_perm="contact.view",
    url_name="contact:meeting_transition",
    actors="shegong.contact.workflow.meeting_actors",
    transitions=(
        Transition(
            "hold",
            _("确认已召开"),
            (PLANNED,),
            HELD,
            MANAGE,
            _S + "meeting_hold",
            actor="organiser",
            records=_HISTORY,
            style="success",
            done=_("已确认召开，请登记出席情况和群众反映事项。"),
        ),
        Transition(
            "minutes",
            _("记录会议纪要"),
            (HELD,),
            CLOSED,
            MANAGE,
            _S + "meeting_minutes_record",
            form=_F + "MinutesForm",
            actor="organiser",
            records=_HISTORY,
            done=_("已记录会议纪要。"),
        ),
        Transition(
            "cancel",
            _("取消会议"),
            (PLANNED,),
            CANCELLED,
            MANAGE,
            _S + "meeting_cancel",
            form=_F + "CancelForm",
            actor="organiser",
            records=_HISTORY,
            style="outline-danger",
            done=_("会议已取消。"),
        ),
    ),
)

ITEM = Lifecycle(
    key="contact.item",
    label=_("群众反映事项"),
    model="contact.RaisedItem",
    states=I,
    object_arg="item",
    fetch="shegong.contact.selectors.get_item_for",
    view_perm="contact.view",
    url_name="contact:item_transition",
    actors="shegong.contact.workflow.item_actors",
    transitions=(
        Transition(
            "assign",
            _("交办"),
            (RAISED,),
            ASSIGNED,
            MANAGE,
            _S + "item_assign",
            form=_F + "AssignForm",
            actor="organiser",
            records=_ITEM_HISTORY,
            help=_("答复期限按工作日计算（法定节假日和调休按工作日历）。"),
            done=_("已交办。"),
        ),
        Transition(
            "answer",
            _("答复"),
            (ASSIGNED,),
            ANSWERED,
            ANSWER,
            _S + "item_answer",
            form=_F + "AnswerForm",
            actor="unit",
            records=_ITEM_HISTORY,
            style="success",
            done=_("已答复。"),
        ),
        Transition(
            "feed_back",
            _("反馈给反映人"),
            (ANSWERED,),
            FED_BACK,
            MANAGE,
            _S + "item_feed_back",
            actor="organiser",
            records=_ITEM_HISTORY,
            style="success",
            done=_("已反馈给反映人。"),
        ),
        Transition(
            "convert",
            _("转为信访事项"),
            (RAISED, ASSIGNED),
            CONVERTED,
            MANAGE,
            _S + "item_convert",
            form=_F + "ConvertForm",
            actor="organiser",
            records=_ITEM_HISTORY,
            style="outline-danger",
            help=_("属于矛盾纠纷或信访诉求的事项，转入信访事项办理，并保留关联。"),
            done=_("已转为信访事项。"),
        ),
    ),
)

LIFECYCLES = (MEETING, ITEM)


def _unit_id(user) -> int | None:
    membership = getattr(user, "active_membership", None)
    return membership.organisation_id if membership is not None else None


def meeting_actors(meeting, user) -> set[str]:
    """ "organiser" when the user acts for the unit that organised the meeting."""
    unit = _unit_id(user)
    return {"organiser"} if unit is not None and unit == meeting.organiser_id else set()


def item_actors(item, user) -> set[str]:
    """ "organiser" for the meeting's unit, "unit" for the item's responsible unit."""
    unit = _unit_id(user)
    if unit is None:
        return set()
    found = set()
    if unit == item.meeting.organiser_id:
        found.add("organiser")
    if unit == item.unit_id:
        found.add("unit")
    return found

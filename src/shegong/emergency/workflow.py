"""The lifecycle of an emergency event, in the one format of core.workflow.

declared (已发布, its tasks made) → sweeping (排查中: workers told, volunteers mobilised) →
closed (已结束); a declared event may be closed without a sweep (called off). The declaring
department's staff take the transitions: the relation "declarer" — the user acts for the unit
that declared it. Pages: `/emergency/<pk>/actions/<action>/`; API:
`POST /api/v1/emergency/events/{pk}/actions/{action}`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import Lifecycle, Transition
from shegong.emergency.models import EmergencyEvent

_S = "shegong.emergency.services."
_F = "shegong.emergency.forms."
_HISTORY = "emergency.HistoricalEmergencyEvent"

E = EmergencyEvent.Status
DECLARED, SWEEPING, CLOSED = E.DECLARED.value, E.SWEEPING.value, E.CLOSED.value
DECLARE = "emergency.declare"

EVENT = Lifecycle(
    key="emergency.event",
    label=_("应急事件"),
    model="emergency.EmergencyEvent",
    states=E,
    object_arg="event",
    fetch="shegong.emergency.selectors.get_event_for",
    view_perm="emergency.view",
    url_name="emergency:transition",
    actors="shegong.emergency.workflow.event_actors",
    transitions=(
        Transition(
            "start",
            _("开始排查"),
            (DECLARED,),
            SWEEPING,
            DECLARE,
            _S + "event_start",
            actor="declarer",
            records=_HISTORY,
            style="success",
            help=_("通知各责任社工，并按设置动员志愿者（发布志愿活动和班次）。"),
            done=_("已开始排查，已通知责任社工。"),
        ),
        Transition(
            "close",
            _("结束排查"),
            (DECLARED, SWEEPING),
            CLOSED,
            DECLARE,
            _S + "event_close",
            form=_F + "CloseForm",
            actor="declarer",
            records=_HISTORY,
            style="outline-danger",
            done=_("排查已结束。"),
        ),
    ),
)

LIFECYCLES = (EVENT,)


def event_actors(event, user) -> set[str]:
    """ "declarer" when the user acts for the unit that declared the event."""
    membership = getattr(user, "active_membership", None)
    if membership is not None and membership.organisation_id == event.declarer_id:
        return {"declarer"}
    return set()

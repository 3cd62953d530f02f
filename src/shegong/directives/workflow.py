"""The lifecycle of a directive's copy (承办件), declared in the one format of core.workflow.

received → acknowledged (签收) → in_progress (转发/分解, 进展报告) → submitted (提交办结)
→ completed (办结) or returned (退回, then reported on and submitted again).

Who may act is the permission and a relation to the copy (`target_actors`): "unit" — the
user's unit is the receiving unit; "sender" — the user's unit sent the copy (the issuer of a
top-level copy, the cascading unit of a cascaded one). Pages take the transitions at
`/directives/targets/<pk>/actions/<action>/`, the API at
`POST /api/v1/directives/targets/{pk}/actions/{action}`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import Lifecycle, Transition
from shegong.directives.models import DirectiveTarget

_S = "shegong.directives.services."
_F = "shegong.directives.forms."
_HISTORY = "directives.Event"

Status = DirectiveTarget.Status
RECEIVED = Status.RECEIVED.value
ACKNOWLEDGED = Status.ACKNOWLEDGED.value
IN_PROGRESS = Status.IN_PROGRESS.value
SUBMITTED = Status.SUBMITTED.value
COMPLETED = Status.COMPLETED.value
RETURNED = Status.RETURNED.value
WORKING = (ACKNOWLEDGED, IN_PROGRESS, RETURNED)

HANDLE = "directives.handle"
REVIEW = "directives.review"

TARGET = Lifecycle(
    key="directives.target",
    label=_("承办件"),
    model="directives.DirectiveTarget",
    states=Status,
    object_arg="target",
    fetch="shegong.directives.selectors.get_target_for",
    view_perm="directives.view",
    url_name="directives:target_transition",
    actors="shegong.directives.workflow.target_actors",
    transitions=(
        Transition(
            "acknowledge",
            _("签收"),
            (RECEIVED,),
            ACKNOWLEDGED,
            HANDLE,
            _S + "target_acknowledge",
            actor="unit",
            records=_HISTORY,
            style="success",
            done=_("已签收。"),
        ),
        Transition(
            "cascade",
            _("转发/分解"),
            (ACKNOWLEDGED, IN_PROGRESS),
            IN_PROGRESS,
            HANDLE,
            _S + "target_cascade",
            form=_F + "CascadeForm",
            actor="unit",
            records=_HISTORY,
            style="secondary",
            help=_("只能转发给本辖区内的下级单位；内部期限不得晚于本单位的办结期限。"),
            inputs=lambda data, target: data,
            done=lambda targets: _("已转发给 %(n)s 个单位。") % {"n": len(targets)},
        ),
        Transition(
            "report",
            _("报告进展"),
            (ACKNOWLEDGED, IN_PROGRESS, RETURNED),
            IN_PROGRESS,
            HANDLE,
            _S + "progress_report",
            form=_F + "ReportForm",
            actor="unit",
            records=_HISTORY,
            style="secondary",
            done=_("已报告进展。"),
        ),
        Transition(
            "complete",
            _("提交办结"),
            WORKING,
            SUBMITTED,
            HANDLE,
            _S + "target_complete",
            form=_F + "ReportForm",
            actor="unit",
            records=_HISTORY,
            done=_("已提交办结，等待交办单位审核。"),
        ),
        Transition(
            "accept",
            _("办结"),
            (SUBMITTED,),
            COMPLETED,
            REVIEW,
            _S + "completion_accept",
            actor="sender",
            records=_HISTORY,
            style="success",
            done=_("已办结。"),
        ),
        Transition(
            "return",
            _("退回"),
            (SUBMITTED,),
            RETURNED,
            REVIEW,
            _S + "completion_return",
            form=_F + "ReturnForm",
            actor="sender",
            records=_HISTORY,
            style="outline-danger",
            done=_("已退回。"),
        ),
    ),
)

LIFECYCLES = (TARGET,)


def target_actors(target, user) -> set[str]:
    """ "unit" when the user acts for the receiving unit, "sender" when for the sending unit."""
    membership = getattr(user, "active_membership", None)
    if membership is None:
        return set()
    found = set()
    if membership.organisation_id == target.unit_id:
        found.add("unit")
    if membership.organisation_id == target.sender_id:
        found.add("sender")
    return found

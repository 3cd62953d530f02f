"""The lifecycle of a matter, declared as data (django-oscar's `pipeline` style).

`TRANSITIONS[action] = Transition(sources, target, perm, actor)`: a service for `action` checks
the matter's status is one of `sources`, moves it to `target` (None: status unchanged) and
writes the timeline event. `actor` says whose action it is: "dispatcher" (a unit that routes in
the matter's jurisdiction), "handler" (the unit the matter was routed to), "leader", "anyone"
(a user who may see the matter and holds `perm`) or "public" (the petitioner, no login).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTERED = "registered", _("待分流")
    ASSIGNED = "assigned", _("已交办待受理")
    ACCEPTED = "accepted", _("办理中")
    MEDIATING = "mediating", _("调解中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")
    REVIEW = "review", _("复查中")
    REREVIEW = "rereview", _("复核中")
    ROUTED_OUT = "routed_out", _("已导入法定途径")
    MERGED = "merged", _("重复件已并入")


OPEN_STATUSES = (
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.ACCEPTED,
    Status.MEDIATING,
    Status.REPLIED,
    Status.REVIEW,
    Status.REREVIEW,
)
TERMINAL_STATUSES = (Status.CLOSED, Status.ROUTED_OUT, Status.MERGED)

# The deadline that runs in each state (keys of DeadlineSetting); no entry: no deadline.
STAGE_OF_STATUS = {
    Status.REGISTERED: "register",
    Status.ASSIGNED: "accept",
    Status.ACCEPTED: "reply",
    Status.MEDIATING: "reply",
    Status.REVIEW: "review_answer",
    Status.REREVIEW: "rereview_answer",
}


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None
    perm: str
    actor: str
    label: str


S = Status
TRANSITIONS: dict[str, Transition] = {
    "route": Transition((S.REGISTERED,), S.ASSIGNED, "petitions.route", "dispatcher", _("交办")),
    "route_out": Transition(
        (S.REGISTERED,), S.ROUTED_OUT, "petitions.route", "dispatcher", _("导入法定途径")
    ),
    "accept": Transition((S.ASSIGNED,), S.ACCEPTED, "petitions.handle", "handler", _("受理")),
    "object": Transition(
        (S.ASSIGNED,), S.REGISTERED, "petitions.handle", "handler", _("提出异议退回")
    ),
    "start_mediation": Transition(
        (S.ACCEPTED,), S.MEDIATING, "petitions.handle", "handler", _("转入调解")
    ),
    "end_mediation": Transition(
        (S.MEDIATING,), S.ACCEPTED, "petitions.mediate", "anyone", _("调解结束")
    ),
    "extend": Transition(
        (S.ACCEPTED, S.MEDIATING), None, "petitions.approve_extension", "leader", _("延期")
    ),
    "reply": Transition(
        (S.ACCEPTED, S.MEDIATING), S.REPLIED, "petitions.handle", "handler", _("出具处理意见书")
    ),
    "close": Transition((S.REPLIED,), S.CLOSED, "petitions.handle", "handler", _("办结")),
    "request_review": Transition(
        (S.CLOSED,), S.REVIEW, "petitions.register", "anyone", _("申请复查")
    ),
    "answer_review": Transition((S.REVIEW,), S.CLOSED, "petitions.review", "anyone", _("复查答复")),
    "request_rereview": Transition(
        (S.CLOSED,), S.REREVIEW, "petitions.register", "anyone", _("申请复核")
    ),
    "answer_rereview": Transition(
        (S.REREVIEW,), S.CLOSED, "petitions.review", "anyone", _("复核答复")
    ),
    "hearing": Transition(
        (S.REVIEW, S.REREVIEW), None, "petitions.review", "anyone", _("听证（不计入期限）")
    ),
    "supervise": Transition(OPEN_STATUSES, None, "petitions.supervise", "anyone", _("督办")),
    "escalate_tier": Transition(
        (S.REGISTERED, S.ACCEPTED, S.MEDIATING), None, "petitions.route", "anyone", _("提级处理")
    ),
    "assign_leader": Transition(
        OPEN_STATUSES, None, "petitions.supervise", "anyone", _("领导包案")
    ),
    "follow_up": Transition((S.CLOSED,), None, "petitions.followup", "anyone", _("回访")),
    "rate": Transition((S.CLOSED, S.REPLIED), None, "petitions.followup", "anyone", _("评价")),
    "merge": Transition(
        (S.REGISTERED, S.ASSIGNED, S.ACCEPTED), S.MERGED, "petitions.route", "dispatcher", _("并单")
    ),
    "note": Transition(tuple(Status.values), None, "petitions.view", "anyone", _("内部备注")),
}


def allowed(action: str, status: str) -> bool:
    return status in TRANSITIONS[action].sources

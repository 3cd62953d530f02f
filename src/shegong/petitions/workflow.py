"""The lifecycle of a matter (信访事项), declared in the one format of core.workflow.

Each transition names its source and target states (None: the state does not change), the
permission it needs, its form and the service that performs it (`service(matter=…,
acting_user=…, **form data)`; the service checks again, saves and writes the timeline event).

`actor` names what must hold between the user and the matter beyond the permission (computed by
`matter_actors` below): "handler" (the user's unit is the one the matter was routed to),
"superior" (a department above the handling unit), and the standing of the matter that decides
whether an action is on offer at all: "mediable" (a dispute, to its handler), "extendable" (not
extended yet), "first_review"/"second_review" (which review the petitioner may still ask for),
"escalable" (handled below county level), "reviewer" (the superior organ of the unit that
replied: only it reviews and re-reviews, Arts. 35–36; see `superior_organ_of`), "consented" (a
mediation both sides agreed to, 人民调解法 Art. 17). A transition without `actor` is open to whoever holds
the permission inside the matter's jurisdiction (the fetch already refused everyone else).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import ANY_STATE, Lifecycle, Transition


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


class MediationOutcome(models.TextChoices):
    """The state of a mediation (models.Mediation.Outcome)."""

    PENDING = "pending", _("调解中")
    AGREEMENT = "agreement", _("达成协议")
    FAILED = "failed", _("调解不成")
    WITHDRAWN = "withdrawn", _("撤回")
    REFUSED = "refused", _("当事人拒绝调解")


# The deadline that runs in each state (keys of DeadlineSetting); no entry: no deadline.
STAGE_OF_STATUS = {
    Status.REGISTERED: "register",
    Status.ASSIGNED: "accept",
    Status.ACCEPTED: "reply",
    Status.MEDIATING: "reply",
    Status.REVIEW: "review_answer",
    Status.REREVIEW: "rereview_answer",
}


_S = "shegong.petitions.services."
_F = "shegong.petitions.forms."
_EVENT = "petitions.MatterEvent"
S = Status

MATTER = Lifecycle(
    key="petitions.matter",
    label=_("信访事项"),
    model="petitions.Matter",
    states=Status,
    object_arg="matter",
    fetch="shegong.petitions.selectors.get_matter_for",
    view_perm="petitions.view",
    url_name="petitions:action",
    actors="shegong.petitions.workflow.matter_actors",
    hints="shegong.petitions.workflow.matter_hints",
    transitions=(
        Transition(
            "route",
            _("交办"),
            (S.REGISTERED,),
            S.ASSIGNED,
            "petitions.route",
            _S + "matter_route",
            form=_F + "RouteForm",
            records=_EVENT,
            button=_("确认交办"),
        ),
        Transition(
            "route_out",
            _("导入法定途径"),
            (S.REGISTERED,),
            S.ROUTED_OUT,
            "petitions.route",
            _S + "matter_route_out",
            form=_F + "RouteOutForm",
            records=_EVENT,
            button=_("书面告知并结束"),
            style="outline-secondary",
        ),
        Transition(
            "merge",
            _("并单"),
            (S.REGISTERED, S.ASSIGNED, S.ACCEPTED),
            S.MERGED,
            "petitions.route",
            _S + "matter_merge",
            form=_F + "MergeForm",
            records=_EVENT,
            button=_("并入"),
            style="outline-secondary",
        ),
        Transition(
            "accept",
            _("受理"),
            (S.ASSIGNED,),
            S.ACCEPTED,
            "petitions.handle",
            _S + "matter_accept",
            actor="handler",
            records=_EVENT,
            button=_("受理并告知信访人"),
        ),
        Transition(
            "object",
            _("提出异议退回"),
            (S.ASSIGNED,),
            S.REGISTERED,
            "petitions.handle",
            _S + "matter_object",
            form=_F + "ReasonForm",
            actor="handler",
            records=_EVENT,
            button=_("退回"),
            style="outline-danger",
            help=_("收到交办后 5 个工作日内可提出异议。"),
        ),
        Transition(
            "start_mediation",
            _("转入调解"),
            (S.ACCEPTED,),
            S.MEDIATING,
            "petitions.handle",
            _S + "mediation_start",
            form=_F + "MediationStartForm",
            actor="mediable",
            records=_EVENT,
            button=_("开始调解"),
            style="outline-primary",
        ),
        # Taken on the mediation page, when the mediation is concluded (mediation_conclude).
        Transition(
            "end_mediation",
            _("调解结束"),
            (S.MEDIATING,),
            S.ACCEPTED,
            "petitions.mediate",
            _S + "mediation_conclude",
            records=_EVENT,
            offered=False,
        ),
        Transition(
            "reply",
            _("出具处理意见书"),
            (S.ACCEPTED, S.MEDIATING),
            S.REPLIED,
            "petitions.handle",
            _S + "matter_reply",
            form=_F + "ReplyForm",
            actor="handler",
            records=_EVENT,
            button=_("答复"),
        ),
        Transition(
            "extend",
            _("延期"),
            (S.ACCEPTED, S.MEDIATING),
            None,
            "petitions.approve_extension",
            _S + "matter_extend",
            form=_F + "ExtendForm",
            actor="extendable",
            records=_EVENT,
            button=_("批准延期"),
            style="outline-warning",
        ),
        Transition(
            "close",
            _("办结"),
            (S.REPLIED,),
            S.CLOSED,
            "petitions.handle",
            _S + "matter_close",
            actor="handler",
            records=_EVENT,
        ),
        Transition(
            "follow_up",
            _("回访"),
            (S.CLOSED,),
            None,
            "petitions.followup",
            _S + "followup_record",
            form=_F + "FollowUpForm",
            records=_EVENT,
            button=_("记录回访"),
        ),
        Transition(
            "request_review",
            _("申请复查"),
            (S.CLOSED,),
            S.REVIEW,
            "petitions.register",
            _S + "matter_request_review",
            form=_F + "ReasonForm",
            actor="first_review",
            records=_EVENT,
            button=_("登记申请"),
            style="outline-secondary",
        ),
        Transition(
            "request_rereview",
            _("申请复核"),
            (S.CLOSED,),
            S.REREVIEW,
            "petitions.register",
            _S + "matter_request_review",
            form=_F + "ReasonForm",
            actor="second_review",
            records=_EVENT,
            button=_("登记申请"),
            style="outline-secondary",
        ),
        Transition(
            "answer_review",
            _("复查答复"),
            (S.REVIEW,),
            S.CLOSED,
            "petitions.review",
            _S + "matter_answer_review",
            form=_F + "ReplyForm",
            actor="reviewer",
            records=_EVENT,
            button=_("答复"),
        ),
        Transition(
            "answer_rereview",
            _("复核答复"),
            (S.REREVIEW,),
            S.CLOSED,
            "petitions.review",
            _S + "matter_answer_review",
            form=_F + "ReplyForm",
            actor="reviewer",
            records=_EVENT,
            button=_("答复"),
        ),
        # Hearing time is excluded from the re-review answer period only (Art. 36); a hearing
        # during a review is recorded and its period runs on (Art. 35 excludes nothing).
        Transition(
            "hearing",
            _("听证"),
            (S.REVIEW, S.REREVIEW),
            None,
            "petitions.review",
            _S + "matter_hearing",
            form=_F + "HearingForm",
            actor="reviewer",
            records=_EVENT,
            button=_("记录听证"),
            style="outline-secondary",
        ),
        Transition(
            "supervise",
            _("督办"),
            OPEN_STATUSES,
            None,
            "petitions.supervise",
            _S + "matter_supervise",
            form=_F + "SuperviseForm",
            actor="superior",
            records=_EVENT,
            style="outline-purple",
        ),
        Transition(
            "escalate_tier",
            _("提级处理"),
            (S.REGISTERED, S.ACCEPTED, S.MEDIATING),
            None,
            "petitions.route",
            _S + "matter_escalate_tier",
            form=_F + "ReasonForm",
            actor="escalable",
            records=_EVENT,
            button=_("提级"),
            style="outline-secondary",
        ),
        Transition(
            "assign_leader",
            _("领导包案"),
            OPEN_STATUSES,
            None,
            "petitions.supervise",
            _S + "matter_assign_leader",
            form=_F + "LeaderForm",
            records=_EVENT,
            button=_("指定"),
            style="outline-secondary",
        ),
        # The petitioner rates the handling on the public tracking page (matter_rate_public).
        Transition(
            "rate",
            _("评价"),
            (S.CLOSED, S.REPLIED),
            None,
            "petitions.followup",
            _S + "matter_rate_public",
            records=_EVENT,
            offered=False,
        ),
        Transition(
            "note",
            _("内部备注"),
            ANY_STATE,
            None,
            "petitions.view",
            _S + "matter_note",
            form=_F + "NoteForm",
            records=_EVENT,
            button=_("保存备注"),
            style="outline-secondary",
        ),
    ),
)


def _to_mediation(result, mediation) -> str:
    from django.urls import reverse

    return reverse("petitions:mediation", args=[mediation.pk])


def _conclude(outcome: str):
    """The service's inputs for ending a mediation with `outcome` (the agreement's fields when
    the parties agree)."""

    def inputs(data: dict, mediation) -> dict:
        return {
            "outcome": outcome,
            "note": data.get("note") or "",
            "agreement": data if outcome == MediationOutcome.AGREEMENT else None,
        }

    return inputs


def _decision(decision: str):
    """The consent service's inputs for a party's `decision` (consent or refusal)."""

    def inputs(data: dict, mediation) -> dict:
        return {**data, "decision": decision}

    return inputs


def _end(name: str, label, target: str, **extra) -> Transition:
    return Transition(
        name,
        label,
        (MediationOutcome.PENDING,),
        target,
        "petitions.mediate",
        _S + "mediation_conclude",
        form=_F + "MediationConcludeForm",
        records=_EVENT,
        inputs=_conclude(target),
        done=_("调解已结束。"),
        next_url=_to_mediation,
        **extra,
    )


# A people's mediation of a dispute (人民调解), started by the matter's start_mediation.
MEDIATION = Lifecycle(
    key="petitions.mediation",
    label=_("调解"),
    model="petitions.Mediation",
    states=MediationOutcome,
    state_field="outcome",
    object_arg="mediation",
    fetch="shegong.petitions.selectors.mediation_for",
    view_perm="petitions.view",
    url_name="petitions:mediation_transition",
    actors="shegong.petitions.workflow.mediation_actors",
    transitions=(
        # 人民调解法 Art. 17: each party's willingness is recorded; a refusal ends the mediation.
        Transition(
            "consent",
            _("当事人同意调解"),
            (MediationOutcome.PENDING,),
            None,
            "petitions.mediate",
            _S + "mediation_record_consent",
            form=_F + "MediationConsentForm",
            records=_EVENT,
            inputs=_decision("consent"),
            done=_("已记录当事人同意调解。"),
            next_url=_to_mediation,
            style="outline-primary",
        ),
        Transition(
            "refuse",
            _("当事人拒绝调解"),
            (MediationOutcome.PENDING,),
            MediationOutcome.REFUSED,
            "petitions.mediate",
            _S + "mediation_record_consent",
            form=_F + "MediationConsentForm",
            records=_EVENT,
            inputs=_decision("refuse"),
            done=_("当事人拒绝调解，调解已结束。"),
            next_url=_to_mediation,
            style="outline-danger",
        ),
        Transition(
            "session",
            _("记录调解会"),
            (MediationOutcome.PENDING,),
            None,
            "petitions.mediate",
            _S + "mediation_add_session",
            form=_F + "MediationSessionForm",
            actor="consented",
            records=_EVENT,
            done=_("已记录调解会。"),
            next_url=_to_mediation,
            style="outline-primary",
        ),
        _end(
            "agreement",
            _("达成协议"),
            MediationOutcome.AGREEMENT,
            style="success",
            actor="consented",
        ),
        _end("fail", _("调解不成"), MediationOutcome.FAILED, style="outline-danger"),
        _end("withdraw", _("撤回"), MediationOutcome.WITHDRAWN, style="outline-secondary"),
    ),
)

LIFECYCLES = (MATTER, MEDIATION)

# The transitions by name (the services' own checks and the timeline labels read them).
TRANSITIONS: dict[str, Transition] = MATTER.by_name


def matter_actors(matter, user) -> set[str]:
    """What holds between `user` and `matter` beyond the permission (workflow.MATTER's actors):
    the user's relation to it and the matter's standing that puts an action on offer."""
    from shegong.core.scoping import jurisdiction_of
    from shegong.orgs.selectors import is_superior_organ
    from shegong.petitions.models import Extension, Kind, Tier

    membership = getattr(user, "active_membership", None)
    relations: set[str] = set()
    if membership is None:
        return relations
    if membership.role == "sysadmin" or membership.organisation_id == matter.handling_org_id:
        relations.add("handler")
        if matter.kind == Kind.DISPUTE:
            relations.add("mediable")
    handling = matter.handling_org
    if handling is not None and jurisdiction_of(user).level < handling.region.level:
        relations.add("superior")
    if is_superior_organ(membership.organisation, of=handling):
        relations.add("reviewer")
    if not Extension.objects.filter(matter=matter).exists():
        relations.add("extendable")
    if not matter.chain_ended:
        relations.add({0: "first_review", 1: "second_review"}.get(matter.review_level, ""))
    if matter.tier > Tier.COUNTY:
        relations.add("escalable")
    relations.discard("")
    return relations


def mediation_actors(mediation, user) -> set[str]:
    """ "consented": both parties agreed to the mediation (人民调解法 Art. 17), so sessions and
    an agreement are on offer."""
    from shegong.petitions.services.mediation import mediation_consented

    return {"consented"} if mediation_consented(mediation) else set()


def matter_hints(matter, user) -> dict[str, str]:
    """A line shown with an action's form: the statutory procedure of the routing rule, the
    last day of the objection period."""
    from django.utils.translation import gettext

    from shegong.petitions.selectors import routing_rule_for

    hints: dict[str, str] = {}
    rule = routing_rule_for(matter.category, matter.tier)
    if rule is not None and rule.statutory_procedure:
        hints["route_out"] = rule.statutory_procedure
    if matter.status == Status.REGISTERED:
        duty = _duty_hint(matter, user)
        if duty:
            hints["route"] = duty
    if matter.objection_due:
        hints["object"] = gettext("异议截止 %s") % matter.objection_due.isoformat()
        if matter.objection_due_provisional:
            hints["object"] += gettext("（暂定）")
    return hints


def _duty_hint(matter, user) -> str:
    """The units of the matter's county whose published duty list (职责清单) matches its title
    and request, as the routing form's hint (read only; the user's jurisdiction bounds it)."""
    from django.utils.translation import gettext

    from shegong.orgs.selectors import duty_holders

    holders = duty_holders(
        fetched_by=user,
        text=f"{matter.title} {matter.request}",
        within=matter.county_code,
        limit=3,
    )
    if not holders:
        return ""
    names = gettext("、").join(f"{h.organisation.name}（{h.items[0].title}）" for h in holders)
    return gettext("按职责清单，可能承办的单位：%s") % names

"""Matters of 天河区 (registered at 五山街道), handled by the county department itself — or, for
the review (复查/复核) transitions, by 五山街道's station, so that the county department acting
is the superior organ of the unit that replied (信访工作条例 Arts. 35–36)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from shegong.core.workflow import Transition
from shegong.petitions import services
from shegong.petitions.models import Category, Matter, Mediation, Tier
from shegong.petitions.workflow import MATTER, MEDIATION, Status
from tests.factories import OrganisationFactory
from tests.lifecycles import HOME_COUNTY, Scenario

STREET = "440106001000"  # 五山街道
REPLY = {"reply_kind": "support", "text": "经查属实，已督促有关单位依法处理。"}

# The steps that bring a new matter to each state (`review_level` 1: a first review answered).
ROUTE = {
    Status.REGISTERED: (),
    Status.ASSIGNED: ("route",),
    Status.ACCEPTED: ("route", "accept"),
    Status.MEDIATING: ("route", "accept", "start_mediation"),
    Status.REPLIED: ("route", "accept", "reply"),
    Status.CLOSED: ("route", "accept", "reply", "close"),
    Status.REVIEW: ("route", "accept", "reply", "close", "request_review"),
    Status.REREVIEW: (
        *("route", "accept", "reply", "close"),
        *("request_review", "answer_review", "request_review"),
    ),
}

# What each transition's form needs, and for one that keeps the state, what it changes.
PAYLOADS = {
    "route_out": {
        "procedure": "劳动人事争议仲裁",
        "notice": "请向劳动人事争议仲裁委员会申请仲裁。",
    },
    "object": {"reason": "不属本单位职责"},
    "reply": REPLY,
    "answer_review": REPLY,
    "answer_rereview": REPLY,
    "extend": {"days": 10, "reason": "需调取工程款支付凭证"},
    "follow_up": {"method": "phone", "notes": "电话回访，信访人表示已收到款项。", "rating": ""},
    "request_review": {"reason": "信访人对处理意见不服"},
    "request_rereview": {"reason": "信访人对复查意见不服"},
    "hearing": {"days": 5, "note": "公开听证"},
    "escalate_tier": {"reason": "街道多次协调未果"},
    "note": {"text": "信访人情绪激动，注意稳控"},
}
EFFECTS = {
    "extend": lambda m: m.extended_days,
    "follow_up": lambda m: m.followed_up_on,
    "hearing": lambda m: m.events.filter(action="hearing").count(),
    "supervise": lambda m: m.is_supervised,
    "escalate_tier": lambda m: m.tier,
    "assign_leader": lambda m: m.lead_leader_id,
    "note": lambda m: m.events.filter(action="note").count(),
}


class MatterBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        leader = make_member("dept_leader", HOME_COUNTY, name="天河区委社会工作部")
        department = leader.active_membership.organisation
        committee = OrganisationFactory(
            name="五山街道人民调解委员会", kind="mediation_committee", region_id=STREET
        )
        # A matter supervised from above, or reviewed by the superior organ, is handled by a
        # township's station (whose worker takes the handling steps).
        handler, handler_user = department, leader
        reviewed = transition.name in ("request_rereview", "answer_review", "answer_rereview")
        reviewed = reviewed or transition.name == "hearing"
        if transition.name == "supervise":
            handler = OrganisationFactory(
                name="五山街道社工站", kind="sw_station", region_id=STREET
            )
        elif reviewed:
            handler_user = make_member(
                "station_worker", STREET, kind="sw_station", name="五山街道社工站"
            )
            handler = handler_user.active_membership.organisation
        dispute = transition.name == "start_mediation" or transition.sources[0] == Status.MEDIATING
        matter = services.matter_register(
            acting_user=leader,
            kind="dispute" if dispute else "complaint",
            channel="visit",
            region_code=STREET,
            category=Category.objects.get(code="labour.wages"),
            title="工地拖欠农民工工资",
            request="请求督促某建筑公司支付拖欠的三个月工资共计四万五千元",
            petitioners=[{"name": "张建国", "phone": "13800138000"}],
            tier=Tier.TOWNSHIP if transition.name == "escalate_tier" else Tier.COUNTY,
        )
        source = transition.sources[0]
        if source not in ROUTE:  # any state
            source = Status.REGISTERED
        if transition.name == "supervise":  # supervised once routed
            source = Status.ASSIGNED
        if transition.name == "request_rereview":
            source = Status.REVIEW
        steps = ROUTE[source]
        if transition.name == "request_rereview":
            steps = (*steps, "answer_review")
        for step in steps:
            user = handler_user if step in ("accept", "reply", "close") else leader
            self._take(step, matter, user, handler, committee)
            matter.refresh_from_db()
        payload = dict(PAYLOADS.get(transition.name, {}))
        if transition.name == "route":
            payload = {"organisation": department.pk, "note": ""}
        elif transition.name == "start_mediation":
            payload = {"committee": committee.pk, "mediators": "黄调解"}
        elif transition.name == "merge":
            payload = {"target": self._another(leader).number}
        elif transition.name == "supervise":
            due = timezone.localdate() + timedelta(days=7)
            payload = {"due_date": due.isoformat(), "note": "请加快办理"}
        elif transition.name == "assign_leader":
            payload = {"leader": leader.pk}
        return Scenario(
            subject=matter, actor=leader, payload=payload, effect=EFFECTS.get(transition.name)
        )

    @staticmethod
    def _take(step, matter, user, handler, committee) -> None:
        if step == "route":
            services.matter_route(matter=matter, organisation=handler, acting_user=user)
        elif step == "accept":
            services.matter_accept(matter=matter, acting_user=user)
        elif step == "start_mediation":
            services.mediation_start(
                matter=matter, acting_user=user, committee=committee, mediators="黄调解"
            )
        elif step == "reply":
            services.matter_reply(matter=matter, acting_user=user, **REPLY)
        elif step == "close":
            services.matter_close(matter=matter, acting_user=user)
        elif step == "request_review":
            services.matter_request_review(matter=matter, acting_user=user, reason="不服")
        elif step == "answer_review":
            services.matter_answer_review(matter=matter, acting_user=user, **REPLY)

    @staticmethod
    def _another(user) -> Matter:
        """An open matter of the same county for a duplicate to join."""
        return services.matter_register(
            acting_user=user,
            kind="complaint",
            channel="visit",
            region_code=STREET,
            category=Category.objects.get(code="labour.wages"),
            title="小区噪音扰民",
            request="楼下商铺夜间施工噪音扰民，请求依法处理",
            petitioners=[{"name": "李梅", "phone": "13900139000"}],
        )


class MediationBuilder:
    """A dispute of 天河区 in mediation by the 五山街道 committee; the county leader records it."""

    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        mediating = MATTER.by_name["end_mediation"]  # a matter in mediation
        matter_scenario = MatterBuilder().scenario(mediating, make_member=make_member)
        mediation = Mediation.objects.get(matter=matter_scenario.subject)
        payload = {"note": "双方意见分歧较大"}
        effect = None
        if transition.name in ("session", "agreement"):  # both parties consented (Art. 17)
            for side, party in (("applicant", "张建国"), ("other", "某建筑公司")):
                services.mediation_record_consent(
                    mediation=mediation,
                    acting_user=matter_scenario.actor,
                    side=side,
                    party=party,
                    decision="consent",
                    given_on=timezone.localdate(),
                    method="written",
                )
        if transition.name in ("consent", "refuse"):
            payload = {
                "side": "other",
                "party": "某建筑公司",
                "given_on": timezone.localdate().isoformat(),
                "method": "phone",
                "note": "",
            }
            effect = lambda m: m.consents.count()  # noqa: E731
        elif transition.name == "session":
            payload = {
                "held_on": timezone.localdate().isoformat(),
                "place": "调解室",
                "participants": "张建国、某建筑公司代理人",
                "record": "双方陈述意见",
            }
            effect = lambda m: m.sessions.count()  # noqa: E731
        elif transition.name == "agreement":
            payload = {
                "note": "",
                "parties": "张建国\n某建筑公司",
                "facts": "拖欠三个月工资",
                "disputed_points": "欠薪数额",
                "terms": "公司于十日内支付四万五千元",
                "performance_manner": "银行转账",
                "performance_deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
            }
        return Scenario(
            subject=mediation, actor=matter_scenario.actor, payload=payload, effect=effect
        )


class PetitionsBuilder:
    """One builder for the module's lifecycles (builder_for reads one `BUILDER` per module)."""

    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        if transition in MEDIATION.transitions:
            return MediationBuilder().scenario(transition, make_member=make_member)
        return MatterBuilder().scenario(transition, make_member=make_member)


BUILDER = PetitionsBuilder()

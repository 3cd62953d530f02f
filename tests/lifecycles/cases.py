"""Cases of the 五山街道 social work office (天河区), its supervisor approving plans and closures."""

from __future__ import annotations

from datetime import date

from shegong.cases import services, workflow
from shegong.cases.models import Case
from shegong.core.workflow import Transition
from shegong.people import services as people_services
from shegong.people.models import Category
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Region
from tests.factories import MembershipFactory
from tests.lifecycles import Scenario

TOWNSHIP = "440106001000"  # 五山街道, in HOME_COUNTY
VILLAGE = "440106001001"

# The moves that bring a new case (at intake) to each state.
ROUTE = {
    workflow.INTAKE: (),
    workflow.ASSESSMENT: ("assessment",),
    workflow.PLANNING: ("assessment", "planning"),
    workflow.INTERVENTION: ("assessment", "planning", "intervention"),
    workflow.EVALUATION: ("assessment", "planning", "intervention", "evaluation"),
    workflow.CLOSED: ("closed",),
}


class CaseBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        return self.scenario_with_case(transition, make_member=make_member)[0]

    def scenario_with_case(self, transition: Transition, *, make_member):
        """The scenario, and the station's supervisor (who reviews the case)."""
        # The 五山街道 social work office holds its cases (a department sees every case of its
        # jurisdiction, so a colleague without the permission is refused, not shown a 404).
        worker = make_member(
            "station_worker", TOWNSHIP, kind="sw_department", name="五山街道社会工作办公室"
        )
        station = worker.active_membership.organisation
        supervisor = MembershipFactory(organisation=station, role="supervisor").user
        supervisor.active_membership = supervisor.memberships.get()
        resident = people_services.resident_create(
            acting_user=worker,
            name="何阿姨",
            id_number=make_id_number("440106", date(1945, 3, 8), 7, "F"),
            region=Region.objects.get(code=VILLAGE),
            categories=[Category.objects.get(code="living_alone")],
            confirm_duplicates=True,
        )
        case: Case = services.case_open(
            acting_user=worker, resident=resident, title="独居老人照护", source="self"
        )
        for target in ROUTE[transition.sources[0]]:
            self._prepare(case, target, worker, supervisor)
            services.case_transition(
                case=case, to_status=target, acting_user=worker, note="按程序办理"
            )
        self._prepare(case, transition.target, worker, supervisor)
        case.refresh_from_db()
        return Scenario(subject=case, actor=worker, payload={"note": "按程序办理"}), supervisor

    def _prepare(self, case, target, worker, supervisor):
        """What a move to `target` needs besides the note: goals and an approved plan before
        the intervention, a service record before the evaluation, an approved closure."""
        if target == workflow.INTERVENTION and case.status == workflow.PLANNING:
            services.goal_add(case=case, acting_user=worker, text="保障一日三餐")
            self._approved(case, "plan", worker, supervisor)
        if target == workflow.EVALUATION:
            services.record_add(
                case=case,
                acting_user=worker,
                served_on=date.today(),
                kind="home",
                content="上门送餐",
            )
        if target == workflow.CLOSED and case.status == workflow.EVALUATION:
            self._approved(case, "closure", worker, supervisor, closure_reason="服务目标达成")

    @staticmethod
    def _approved(case, kind, worker, supervisor, **extra):
        review = services.review_request(case=case, kind=kind, acting_user=worker, **extra)
        services.review_decide(review=review, acting_user=supervisor, approve=True)


class ReviewBuilder:
    """A plan review of a 五山街道 case, waiting for the station's supervisor."""

    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        assessed = workflow.CASE.by_name["plan"]  # a case in assessment
        case_scenario, supervisor = CaseBuilder().scenario_with_case(
            assessed, make_member=make_member
        )
        case, worker = case_scenario.subject, case_scenario.actor
        services.case_transition(
            case=case, to_status=workflow.PLANNING, acting_user=worker, note="评估完成"
        )
        services.goal_add(case=case, acting_user=worker, text="每周探访一次")
        review = services.review_request(case=case, kind="plan", acting_user=worker)
        return Scenario(subject=review, actor=supervisor, payload={"comment": "请补充探访安排"})


class ReferralBuilder:
    """A 五山街道 case referred to the 员村街道 social work station, which answers."""

    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        at_intake = workflow.CASE.by_name["assess"]
        case_scenario = CaseBuilder().scenario(at_intake, make_member=make_member)
        receiver = make_member("station_worker", "440106002000", kind="sw_station")
        referral = services.referral_create(
            case=case_scenario.subject,
            acting_user=case_scenario.actor,
            to_organisation=receiver.active_membership.organisation,
            reason="搬迁至员村街道",
        )
        return Scenario(subject=referral, actor=receiver, payload={"reason": "不在服务范围"})


class CasesBuilder:
    """One builder for the module's lifecycles (builder_for reads one `BUILDER` per module)."""

    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        if transition in workflow.REVIEW.transitions:
            return ReviewBuilder().scenario(transition, make_member=make_member)
        if transition in workflow.REFERRAL.transitions:
            return ReferralBuilder().scenario(transition, make_member=make_member)
        return CaseBuilder().scenario(transition, make_member=make_member)


BUILDER = CasesBuilder()

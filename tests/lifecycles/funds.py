"""Allocation plans of the 天河区 department, paying its townships' stations."""

from __future__ import annotations

from shegong.core.workflow import Transition
from shegong.funds import services, workflow
from shegong.funds.models import AllocationPlan, FundSource
from shegong.orgs.models import Organisation
from shegong.regions.models import Region
from tests.lifecycles import HOME_COUNTY, Scenario

# The services that bring a plan from a draft to each state (plans are made as drafts).
ROUTE = {
    workflow.DRAFT: (),
    workflow.SUBMITTED: ("submit",),
    workflow.APPROVED: ("submit", "approve"),
    workflow.DISBURSED: ("submit", "approve", "disburse"),
}


class PlanBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        leader = make_member("dept_leader", HOME_COUNTY, name="天河区委社会工作部")
        department = leader.active_membership.organisation
        townships = Region.objects.filter(parent_id=HOME_COUNTY).order_by("code")[:3]
        for township in townships:
            Organisation.objects.create(
                name=f"{township.name}社工站", kind="sw_station", region_id=township.code
            )
        services.appropriation_post(
            posted_by=None,
            organisation=department,
            source=FundSource.LOCAL,
            amount=1_000_000_00,
            memo="年初预算",
        )
        plan: AllocationPlan = services.plan_create(
            created_by=leader, title="社工站运营资金", period=2026, pot=300_000_00, source="local"
        )
        for step in ROUTE[transition.sources[0]]:
            getattr(services, f"plan_{step}")(plan=plan, acting_user=leader)
        plan.refresh_from_db()
        return Scenario(subject=plan, actor=leader, payload={"note": "按程序办理"})


BUILDER = PlanBuilder()

"""Allocation plans of the 天河区 department, paying its townships' stations, and each
station's confirmation that the money arrived."""

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
            acting_user=None,
            organisation=department,
            source=FundSource.LOCAL,
            amount=1_000_000_00,
            memo="年初预算",
        )
        plan: AllocationPlan = services.plan_create(
            acting_user=leader, title="社工站运营资金", period=2026, pot=300_000_00, source="local"
        )
        for step in ROUTE[transition.sources[0]]:
            getattr(services, f"plan_{step}")(plan=plan, acting_user=leader)
        plan.refresh_from_db()
        return Scenario(subject=plan, actor=leader, payload={"note": "按程序办理"})


class ReceiptBuilder:
    """A disbursed plan of the 天河区 department; the subject is one township's pending receipt,
    confirmed by the department's leader (the township lies in the leader's jurisdiction)."""

    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        leader = make_member("dept_leader", HOME_COUNTY, name="天河区委社会工作部")
        department = leader.active_membership.organisation
        townships = list(Region.objects.filter(parent_id=HOME_COUNTY).order_by("code"))
        Organisation.objects.bulk_create(
            [
                Organisation(name=f"{t.name}社工站", kind="sw_station", region_id=t.code)
                for t in townships
            ]
        )
        services.appropriation_post(
            acting_user=None,
            organisation=department,
            source=FundSource.LOCAL,
            amount=1_000_000_00,
            memo="年初预算",
        )
        plan = services.plan_create(
            acting_user=leader, title="社工站运营资金", period=2026, pot=300_000_00, source="local"
        )
        for step in ROUTE[workflow.DISBURSED]:
            getattr(services, f"plan_{step}")(plan=plan, acting_user=leader)
        recipient = plan.recipients.filter(amount__gt=0).order_by("region_code").first()
        return Scenario(subject=recipient, actor=leader, payload={})


class FundsBuilder:
    """One builder for the module's lifecycles (builder_for reads one `BUILDER` per module)."""

    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        if transition in workflow.RECEIPT.transitions:
            return ReceiptBuilder().scenario(transition, make_member=make_member)
        return PlanBuilder().scenario(transition, make_member=make_member)


BUILDER = FundsBuilder()

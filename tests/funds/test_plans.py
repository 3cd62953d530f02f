"""Allocation plans: drafted from indicators, both methods, workflow, disbursement, receipts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from shegong.funds import services, workflow
from shegong.funds.models import (
    Account,
    AllocationPlan,
    EntryKind,
    JournalEntry,
    Method,
    PlanStatusChange,
    PopulationFigure,
)


@pytest.fixture
def plan(province_leader, fund):
    fund(province_leader, 10_000_000, source="provincial")
    PopulationFigure.objects.create(region_code="440100000000", year=2025, population=18_827_000)
    PopulationFigure.objects.create(region_code="440300000000", year=2025, population=17_798_000)
    return services.plan_create(
        acting_user=province_leader,
        title="2026年度社工站运营资金",
        period=2026,
        pot=5_000_000_00,
        source="provincial",
        equity_bound=60,
    )


def test_plan_covers_every_city_with_visible_indicator_sources(plan):
    recipients = list(plan.recipients.all())
    assert len(recipients) == 21  # Guangdong has 21 prefecture-level cities
    keys = {i.key: i for i in plan.indicators.all()}
    assert "population" in keys and "人口" in keys["population"].source
    # the other registries are read only when their tables exist; missing apps give no indicator
    assert all(i.source for i in keys.values())
    assert plan.solver_status == "optimal"
    assert sum(r.amount_proportional for r in recipients) == plan.pot
    assert sum(r.amount_optimised for r in recipients) == plan.pot


def test_weights_and_bounds_change_the_optimised_result(plan, province_leader):
    gz = plan.recipients.get(region_code="440100000000")
    services.plan_update_inputs(
        plan=plan,
        acting_user=province_leader,
        bounds={gz.pk: {"cap": 100_000_00}},
        equity_bound=100,
    )
    gz.refresh_from_db()
    assert gz.amount_optimised <= 100_000_00
    assert "cap" in gz.binding and "吸纳能力上限" in gz.explanation


def test_conflicting_bounds_are_named_and_block_submission(plan, province_leader):
    gz = plan.recipients.get(region_code="440100000000")
    services.plan_update_inputs(
        plan=plan,
        acting_user=province_leader,
        bounds={gz.pk: {"floor": 300_000_00, "cap": 200_000_00}},
        equity_bound=100,
    )
    plan.refresh_from_db()
    assert plan.solver_status == "infeasible"
    assert (
        "广州市：保底 300,000.00 高于 吸纳能力上限 200,000.00" in plan.solver_message["conflicts"]
    )
    with pytest.raises(ValidationError):
        services.plan_submit(plan=plan, acting_user=province_leader)


def test_workflow_to_disbursement_and_receipt(plan, province_leader, city_leader):
    services.plan_submit(plan=plan, acting_user=province_leader)
    services.plan_approve(plan=plan, acting_user=province_leader)
    source = plan.source_account
    source.refresh_from_db()
    before = source.balance
    services.plan_disburse(plan=plan, acting_user=province_leader)
    plan.refresh_from_db()
    assert plan.status == workflow.DISBURSED
    source.refresh_from_db()
    assert before - source.balance == plan.pot
    entries = JournalEntry.objects.filter(kind=EntryKind.DISBURSEMENT, plan_recipient__plan=plan)
    assert entries.count() == plan.recipients.filter(amount__gt=0).count()
    gz = plan.recipients.get(region_code="440100000000")
    gz_account = Account.objects.get(
        organisation=gz.organisation, kind="holding", source="provincial"
    )
    assert gz_account.balance == gz.amount
    services.receipt_confirm(recipient=gz, acting_user=city_leader)
    gz.refresh_from_db()
    assert gz.confirmed_at is not None
    with pytest.raises(ValidationError):
        services.receipt_confirm(recipient=gz, acting_user=city_leader)
    actions = list(PlanStatusChange.objects.filter(plan=plan).values_list("action", flat=True))
    assert actions[:4] == ["create", "submit", "approve", "disburse"]
    assert "confirm_receipt" in actions


def test_only_the_leader_approves_and_disbursing_twice_is_refused(
    plan, province_leader, make_member
):
    staff = make_member("dept_staff", "440000000000")
    services.plan_submit(plan=plan, acting_user=staff)
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(plan=plan, acting_user=staff)
    assert "角色" in str(exc.value)
    services.plan_approve(plan=plan, acting_user=province_leader)
    services.plan_disburse(plan=plan, acting_user=province_leader)
    with pytest.raises(ValidationError):
        services.plan_disburse(plan=plan, acting_user=province_leader)


def test_disbursement_beyond_the_source_balance_is_refused(province_leader, fund):
    fund(province_leader, 100, source="provincial")
    plan = services.plan_create(
        acting_user=province_leader,
        title="超额方案",
        period=2026,
        pot=1_000_000,
        source="provincial",
    )
    services.plan_submit(plan=plan, acting_user=province_leader)
    services.plan_approve(plan=plan, acting_user=province_leader)
    before = JournalEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.plan_disburse(plan=plan, acting_user=province_leader)
    assert "余额" in str(exc.value)
    assert JournalEntry.objects.count() == before
    plan.refresh_from_db()
    assert plan.status == workflow.APPROVED


def test_copy_from_last_period_keeps_bounds_and_shows_change(plan, province_leader):
    gz = plan.recipients.get(region_code="440100000000")
    services.plan_update_inputs(
        plan=plan, acting_user=province_leader, bounds={gz.pk: {"floor": 10_000_00}}
    )
    services.plan_submit(plan=plan, acting_user=province_leader)
    services.plan_approve(plan=plan, acting_user=province_leader)
    copy = services.plan_copy(plan=plan, acting_user=province_leader)
    assert copy.period == 2027 and copy.copied_from_id == plan.pk
    gz_new = copy.recipients.get(region_code="440100000000")
    gz.refresh_from_db()
    assert gz_new.floor == 10_000_00
    assert gz_new.last_period_amount == gz.amount


def test_personnel_plan_places_whole_posts(province_leader):
    plan = services.plan_create(
        acting_user=province_leader, title="新增社工岗位", period=2026, pot=100, resource="posts"
    )
    amounts = list(plan.recipients.values_list("amount", flat=True))
    assert sum(amounts) == 100 and all(isinstance(a, int) for a in amounts)
    assert plan.method == Method.OPTIMISED


def test_a_township_department_cannot_draft_and_a_plan_needs_a_department(make_member):
    station = make_member("station_worker", "440106001000", kind="sw_station")
    with pytest.raises(ValidationError):
        services.plan_create(acting_user=station, title="x", period=2026, pot=100)
    assert AllocationPlan.objects.count() == 0

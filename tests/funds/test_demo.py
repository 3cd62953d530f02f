"""The demo: flows down to stations, plans in every state, the pairing and traced donations."""

from __future__ import annotations

import io

from shegong.funds import demo, selectors, services, workflow
from shegong.funds.models import Account, AllocationPlan, JournalEntry, Pairing


def _user(username):
    from shegong.accounts.models import User

    user = User.objects.get(username=username)
    user.active_membership = user.memberships.first()
    return user


def test_demo_is_idempotent_and_every_balance_verifies(demo_loaded):
    counts = (JournalEntry.objects.count(), AllocationPlan.objects.count())
    demo.load(stdout=io.StringIO())
    assert (JournalEntry.objects.count(), AllocationPlan.objects.count()) == counts
    assert all(selectors.account_verify(a).ok for a in Account.objects.all())


def test_demo_has_a_plan_in_every_state_and_the_pairing(demo_loaded):
    states = set(AllocationPlan.objects.values_list("status", flat=True))
    assert set(workflow.STATES) <= states
    pairing = Pairing.objects.get(partner_region="522722000000", region_code="440100000000")
    assert 0 < selectors.pairing_delivered(pairing) < pairing.agreed_amount


def test_demo_users_can_walk_the_journey(demo_loaded):
    guangzhou = _user("guangzhou")
    pending = selectors.receipts_for(fetched_by=guangzhou, pending_only=True)
    assert pending.filter(region_code="440100000000").exists()
    services.receipt_confirm(recipient=pending.first(), acting_user=guangzhou)
    guangdong = _user("guangdong")
    plan = services.plan_create(
        acting_user=guangdong, title="演练方案", period=2030, pot=1_000_000_00, source="provincial"
    )
    assert plan.recipients.count() == 21 and plan.solver_status == "optimal"
    flows = selectors.sankey(fetched_by=_user("central"))
    names = {n["name"] for n in flows["nodes"]}
    assert {"中央", "广东省", "广州市", "天河区", "荔波县"} <= names


def test_demo_donations_are_traced_to_assistance(demo_loaded):
    tianhe = _user("tianhe")
    donations = list(selectors.donation_list(fetched_by=tianhe))
    restricted = [d for d in donations if d.restricted_purpose]
    assert restricted
    for d in restricted:
        trace = selectors.donation_trace(d)
        assert trace.uses and all(u.purpose == d.restricted_purpose for u in trace.uses)
        assert trace.used + trace.remaining == d.amount

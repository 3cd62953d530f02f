"""Paired assistance (对口协作/对口支援): agreements between the departments of two places and
the horizontal transfers against them — balanced ledger entries, both sides see them, only the
giver pays, refusals across jurisdiction and role; the API calls the same services."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404

from shegong.funds import selectors, services
from shegong.funds.models import EntryKind, FundSource, JournalEntry, Pairing
from shegong.regions.models import Region
from tests.api.conftest import TokenClient, token_for

LIBO = "522722000000"  # 贵州省荔波县, paired with 天河区


@pytest.fixture
def libo_user(make_member):
    return make_member("dept_staff", LIBO, name="荔波县委社会工作部")


@pytest.fixture
def third_user(make_member):
    return make_member("dept_leader", "440105000000", name="海珠区委社会工作部")


@pytest.fixture
def pairing(county_user, libo_user, fund):
    fund(county_user, 100_000)
    return services.pairing_agree(
        acting_user=county_user,
        receiver_region=Region.objects.get(code=LIBO),
        year=2026,
        agreed_amount=50_000_00,
        title="天河—荔波对口协作",
    )


def _giver_account(user):
    return services.account_for(organisation=user.active_membership.organisation, source="local")


def test_an_agreement_is_seen_on_both_sides_and_nowhere_else(
    pairing, county_user, libo_user, third_user
):
    assert pairing.region_code == "440106000000" and pairing.partner_region == LIBO
    assert pairing.receiver == libo_user.active_membership.organisation
    for user in (county_user, libo_user):
        assert list(selectors.pairing_list(fetched_by=user)) == [pairing]
        assert selectors.get_pairing_for(fetched_by=user, pk=pairing.pk) == pairing
    assert list(selectors.pairing_list(fetched_by=third_user)) == []
    with pytest.raises(Http404):
        selectors.get_pairing_for(fetched_by=third_user, pk=pairing.pk)


def test_a_transfer_is_one_balanced_entry_from_giver_to_receiver(pairing, county_user, libo_user):
    giver = _giver_account(county_user)
    before = giver.balance
    entry = services.pairing_transfer(
        pairing=pairing, acting_user=county_user, amount=20_000_00, memo="首期协作资金"
    )
    assert entry.kind == EntryKind.PAIRING and entry.pairing == pairing
    lines = list(entry.lines.select_related("account"))
    assert sum(ln.debit for ln in lines) == sum(ln.credit for ln in lines) == 20_000_00
    [credit] = [ln for ln in lines if ln.credit]
    [debit] = [ln for ln in lines if ln.debit]
    assert credit.account == giver
    assert debit.account.organisation == libo_user.active_membership.organisation
    assert debit.account.source == FundSource.OTHER
    giver.refresh_from_db()
    debit.account.refresh_from_db()
    assert giver.balance == before - 20_000_00 and debit.account.balance == 20_000_00
    assert selectors.pairing_delivered(pairing) == 20_000_00
    # the receiver's side sees the entry too
    assert list(selectors.pairing_entries(pairing)) == [entry]
    totals = entry.lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]


def test_more_than_agreed_is_refused_and_nothing_is_posted(pairing, county_user):
    services.pairing_transfer(
        pairing=pairing, acting_user=county_user, amount=40_000_00, memo="第一期"
    )
    count = JournalEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.pairing_transfer(
            pairing=pairing, acting_user=county_user, amount=10_000_01, memo="超额"
        )
    assert "超出协议年度资金" in exc.value.message_dict["amount"][0]
    assert JournalEntry.objects.count() == count
    assert selectors.pairing_delivered(pairing) == 40_000_00


def test_only_the_giver_pays(pairing, libo_user, third_user):
    count = JournalEntry.objects.count()
    for user in (libo_user, third_user):
        with pytest.raises(ValidationError) as exc:
            services.pairing_transfer(pairing=pairing, acting_user=user, amount=100, memo="x")
        assert "只有支援方" in exc.value.message_dict["pairing"][0]
    assert JournalEntry.objects.count() == count


def test_a_retry_with_the_same_key_posts_once(pairing, county_user):
    first = services.pairing_transfer(
        pairing=pairing, acting_user=county_user, amount=100_00, memo="m", idempotency_key="k1"
    )
    again = services.pairing_transfer(
        pairing=pairing, acting_user=county_user, amount=100_00, memo="m", idempotency_key="k1"
    )
    assert again.pk == first.pk and selectors.pairing_delivered(pairing) == 100_00


def test_refusals_when_agreeing(county_user, libo_user, pairing):
    region = Region.objects.get(code=LIBO)
    with pytest.raises(ValidationError) as exc:  # the same pair and year twice
        services.pairing_agree(
            acting_user=county_user, receiver_region=region, year=2026, agreed_amount=100
        )
    assert "year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a region without a department
        services.pairing_agree(
            acting_user=county_user,
            receiver_region=Region.objects.get(code="522701000000"),
            year=2026,
            agreed_amount=100,
        )
    assert "没有社会工作部门" in exc.value.message_dict["receiver_region"][0]
    with pytest.raises(ValidationError) as exc:  # a giver outside the jurisdiction
        services.pairing_create(
            acting_user=county_user,
            giver=libo_user.active_membership.organisation,
            receiver=county_user.active_membership.organisation,
            year=2027,
            agreed_amount=100,
        )
    assert "giver" in exc.value.message_dict
    with pytest.raises(ValidationError):  # fractions of a fen
        services.pairing_agree(
            acting_user=libo_user,
            receiver_region=Region.objects.get(code="440106000000"),
            year=2027,
            agreed_amount="1.001",
        )
    assert Pairing.objects.count() == 1


# ---- the API -----------------------------------------------------------------------------------


def _post_with(api, path, body, headers=None):
    return api.client.post(
        path,
        json.dumps(body),
        content_type="application/json",
        headers={**api.headers, **(headers or {})},
    )


def test_the_api_agrees_transfers_and_shows_both_sides(client, county_user, libo_user, fund):
    fund(county_user, 100_000)
    giver = TokenClient(client, token_for(county_user))
    response = giver.post(
        "/api/v1/funds/pairings",
        {"receiver_region": "荔波县", "year": 2026, "agreed_amount": 30_000_00},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["partner_region"] == LIBO and body["remaining"] == 30_000_00
    pk = body["id"]
    response = _post_with(
        giver,
        f"/api/v1/funds/pairings/{pk}/transfers",
        {"amount": 10_000_00, "memo": "首期"},
        {"Idempotency-Key": "api-1"},
    )
    assert response.status_code == 201 and response.json()["kind"] == "pairing"
    lines = response.json()["lines"]
    assert sum(ln["debit"] for ln in lines) == sum(ln["credit"] for ln in lines) == 10_000_00
    replay = _post_with(
        giver,
        f"/api/v1/funds/pairings/{pk}/transfers",
        {"amount": 10_000_00, "memo": "首期"},
        {"Idempotency-Key": "api-1"},
    )
    assert replay.status_code == 200 and replay.json()["id"] == response.json()["id"]
    receiver = TokenClient(client, token_for(libo_user))
    seen = receiver.get(f"/api/v1/funds/pairings/{pk}").json()
    assert seen["delivered"] == 10_000_00 and len(seen["entries"]) == 1
    assert [p["id"] for p in receiver.get("/api/v1/funds/pairings").json()["items"]] == [pk]
    refused = receiver.post(f"/api/v1/funds/pairings/{pk}/transfers", {"amount": 100})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "pairing"
    over = giver.post(f"/api/v1/funds/pairings/{pk}/transfers", {"amount": 20_000_01})
    assert over.status_code == 422 and over.json()["errors"][0]["field"] == "amount"
    assert selectors.pairing_delivered(Pairing.objects.get(pk=pk)) == 10_000_00


def test_the_api_refuses_another_county_and_a_role_without_the_permission(
    client, pairing, third_user, make_member
):
    third = TokenClient(client, token_for(third_user))
    assert third.get(f"/api/v1/funds/pairings/{pairing.pk}").status_code == 404
    assert third.get("/api/v1/funds/pairings").json()["items"] == []
    count = JournalEntry.objects.count()
    refused = third.post(f"/api/v1/funds/pairings/{pairing.pk}/transfers", {"amount": 100})
    assert refused.status_code == 404
    supervisor = make_member("supervisor", "440106000000", name="天河区委社会工作部")
    reader = TokenClient(client, token_for(supervisor))
    assert reader.get(f"/api/v1/funds/pairings/{pairing.pk}").status_code == 200
    for path, body in (
        (f"/api/v1/funds/pairings/{pairing.pk}/transfers", {"amount": 100}),
        ("/api/v1/funds/pairings", {"receiver_region": "荔波县", "year": 2027, "agreed_amount": 1}),
    ):
        assert reader.post(path, body).status_code == 403
    assert JournalEntry.objects.count() == count and Pairing.objects.count() == 1

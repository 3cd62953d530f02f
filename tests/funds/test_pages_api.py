"""Done-when 2 through the pages and the API: refusals with clear errors, idempotent retries."""

from __future__ import annotations

import pytest

from shegong.funds import services
from shegong.funds.models import JournalEntry


@pytest.fixture
def accounts(county_user, fund):
    a = fund(county_user, 1_000)
    b = services.account_for(
        organisation=county_user.active_membership.organisation, source="local", purpose="children"
    )
    return a, b


def _form(a, b, amount, key="form-key-1"):
    return {
        "from_account": a.pk,
        "to_account": b.pk,
        "amount": amount,
        "memo": "儿童关爱经费",
        "idempotency_key": key,
    }


def test_form_refuses_fractional_fen_with_the_error_next_to_the_field(login, county_user, accounts):
    a, b = accounts
    client = login(county_user)
    before = JournalEntry.objects.count()
    response = client.post("/funds/entries/new/", _form(a, b, "10.005"))
    assert response.status_code == 200
    assert "最多精确到分" in response.content.decode()
    assert 'data-testid="error-amount"' in response.content.decode()
    response = client.post("/funds/entries/new/", _form(a, b, "-5"))
    assert "大于零" in response.content.decode()
    assert JournalEntry.objects.count() == before


def test_form_resubmitted_with_the_same_key_posts_once(login, county_user, accounts):
    a, b = accounts
    client = login(county_user)
    first = client.post("/funds/entries/new/", _form(a, b, "120.50"))
    second = client.post("/funds/entries/new/", _form(a, b, "120.50"), follow=True)
    assert first.status_code == 302
    assert "未重复记账" in second.content.decode()
    a.refresh_from_db()
    assert a.balance == 1_000_00 - 120_50
    assert JournalEntry.objects.filter(kind="transfer").count() == 1


def test_form_refuses_an_account_outside_the_jurisdiction(
    login, county_user, other_county_user, accounts, fund
):
    a, _b = accounts
    theirs = fund(other_county_user, 10)
    client = login(county_user)
    response = client.post("/funds/entries/new/", _form(theirs, a, "1.00"))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode() or "辖区" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.balance == 10_00


def test_api_posting_is_idempotent_and_refuses_bad_entries(login, county_user, accounts):
    a, b = accounts
    client = login(county_user)
    body = {
        "memo": "接口转账",
        "lines": [{"account_id": b.pk, "debit": 250}, {"account_id": a.pk, "credit": 250}],
    }
    first = client.post(
        "/api/v1/funds/entries",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "abc-1"},
    )
    again = client.post(
        "/api/v1/funds/entries",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "abc-1"},
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    before = JournalEntry.objects.count()
    unbalanced = {
        "memo": "错",
        "lines": [{"account_id": b.pk, "debit": 250}, {"account_id": a.pk, "credit": 200}],
    }
    response = client.post("/api/v1/funds/entries", unbalanced, content_type="application/json")
    assert response.status_code in (400, 422)
    assert "借贷不平衡" in response.json()["errors"][0]["reason"]
    fractional = {
        "memo": "错",
        "lines": [{"account_id": b.pk, "debit": 2.5}, {"account_id": a.pk, "credit": 2.5}],
    }
    response = client.post("/api/v1/funds/entries", fractional, content_type="application/json")
    assert response.status_code in (400, 422)
    negative = {
        "memo": "错",
        "lines": [{"account_id": b.pk, "debit": -5}, {"account_id": a.pk, "credit": -5}],
    }
    response = client.post("/api/v1/funds/entries", negative, content_type="application/json")
    assert response.status_code in (400, 422)
    assert JournalEntry.objects.count() == before
    verify = client.get(f"/api/v1/funds/accounts/{a.pk}/verify").json()
    assert verify["ok"] and verify["stored"] == 1_000_00 - 250


def test_every_funds_page_renders_for_the_department(login, province_leader, fund):
    fund(province_leader, 1_000_000, source="provincial")
    plan = services.plan_create(
        acting_user=province_leader, title="方案", period=2026, pot=100_000_00, source="provincial"
    )
    client = login(province_leader)
    for url in (
        "/funds/",
        "/funds/plans/",
        f"/funds/plans/{plan.pk}/",
        "/funds/plans/new/",
        "/funds/receipts/",
        "/funds/pairings/",
        "/funds/donations/",
        "/funds/donations/new/",
        "/funds/reports/",
        "/funds/population/",
        "/funds/entries/new/",
        "/api/v1/funds/plans",
        f"/api/v1/funds/plans/{plan.pk}",
    ):
        assert client.get(url).status_code == 200, url
    export = client.get("/funds/reports/export/")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_anonymous_users_are_sent_to_login(client):
    assert client.get("/funds/").status_code == 302
    assert client.get("/api/v1/funds/accounts").status_code == 401


def test_api_plan_workflow_and_donation_idempotency(login, province_leader, fund):
    fund(province_leader, 1_000_000, source="provincial")
    client = login(province_leader)
    created = client.post(
        "/api/v1/funds/plans",
        {"title": "接口方案", "period": 2026, "pot": 50_000_000, "source": "provincial"},
        content_type="application/json",
    )
    assert created.status_code == 201
    plan = created.json()
    gz = next(r for r in plan["recipients"] if r["region_code"] == "440100000000")
    patched = client.patch(
        f"/api/v1/funds/plans/{plan['id']}",
        {"equity_bound": 100, "bounds": [{"recipient_id": gz["id"], "cap": 1_000_000}]},
        content_type="application/json",
    ).json()
    gz = next(r for r in patched["recipients"] if r["region_code"] == "440100000000")
    assert gz["amount_optimised"] <= 1_000_000
    for action in ("submit", "approve", "disburse"):
        response = client.post(
            f"/api/v1/funds/plans/{plan['id']}/actions",
            {"action": action},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    assert response.json()["status"] == "disbursed"
    body = {
        "donor_name": "李先生",
        "amount": 100_00,
        "received_on": "2026-03-01",
        "restricted_purpose": "children",
    }
    first = client.post(
        "/api/v1/funds/donations",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "don-1"},
    )
    again = client.post(
        "/api/v1/funds/donations",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "don-1"},
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    wrong = client.post(
        f"/api/v1/funds/donations/{first.json()['id']}/uses",
        {
            "target": "project",
            "purpose": "elderly",
            "beneficiary_region": "440100000000",
            "description": "挪用",
            "amount": 50_00,
            "used_on": "2026-03-02",
        },
        content_type="application/json",
    )
    assert wrong.status_code in (400, 422)
    assert wrong.json()["errors"][0]["field"] == "purpose"

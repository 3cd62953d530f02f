"""Pages and API of reporting: scoped (a unit outside the report's subtree gets 404 on pages and
API), the fill page names the field and the rule, locked figures are refused, Excel both ways."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shegong.reporting import services
from tests.reporting.conftest import PERIOD, fill

pytestmark = pytest.mark.django_db


def test_fill_page_names_the_field_and_the_rule(chain, login):
    worker = chain.stations[0]
    s = services.submission_open(acting_user=worker, form=chain.form, period_start=PERIOD)
    client = login(worker)
    page = client.get(reverse("reporting:submission", args=[s.pk]))
    assert page.status_code == 200 and "prefilled-visits" in page.content.decode()
    response = client.post(
        reverse("reporting:submission", args=[s.pk]),
        {"served": "10", "women": "12", "rate": "", "visits": "0", "do": "submit"},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "error-women" in text and "其中数不大于总数" in text
    s.refresh_from_db()
    assert s.status == "draft"
    response = client.post(
        reverse("reporting:submission", args=[s.pk]),
        {"served": "10", "women": "4", "rate": "", "visits": "0", "do": "submit"},
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == "submitted"


def test_approved_values_cannot_be_edited_on_the_page_or_the_api(chain, login):
    worker = chain.stations[0]
    s = fill(chain, worker, {"served": "10", "women": "4"})
    services.submission_forward(submission=s, acting_user=chain.county)
    client = login(worker)
    response = client.post(
        reverse("reporting:submission", args=[s.pk]), {"served": "99", "do": "save"}
    )
    assert response.status_code == 422 and "已锁定" in response.content.decode()
    response = client.put(
        f"/api/v1/reporting/submissions/{s.pk}/values",
        {"values": {"served": "99"}},
        content_type="application/json",
    )
    assert response.status_code == 422 and "已锁定" in response.json()["errors"][0]["reason"]
    values = client.get(f"/api/v1/reporting/submissions/{s.pk}/values").json()
    assert next(v for v in values if v["code"] == "served")["value"] in ("10", "10.0000", 10)


def test_outside_the_subtree_pages_and_api_are_404(chain, login, make_member):
    s = fill(chain, chain.stations[0], {"served": "10", "women": "4"})
    city_form = services.form_create(
        acting_user=chain.city,
        department=chain.city.active_membership.organisation,
        name="广州月报",
    )
    # 英德 (another city) reads neither 天河's submission nor 广州's form, nor acts on them.
    client = login(chain.other_county)
    for url in (
        reverse("reporting:submission", args=[s.pk]),
        reverse("reporting:form", args=[city_form.pk]),
        reverse("reporting:aggregate", args=[city_form.pk]),
        reverse("reporting:completeness", args=[city_form.pk]),
        f"/api/v1/reporting/submissions/{s.pk}",
        f"/api/v1/reporting/submissions/{s.pk}/values",
        f"/api/v1/reporting/forms/{city_form.pk}",
        f"/api/v1/reporting/forms/{city_form.pk}/aggregate?period=2026-10",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/api/v1/reporting/submissions/{s.pk}/actions/return",
        {"note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert (
        client.post(
            reverse("reporting:submission_transition", args=[s.pk, "forward"]), {"note": ""}
        ).status_code
        == 404
    )
    listed = client.get("/api/v1/reporting/submissions").json()
    assert [row["id"] for row in listed["items"]] == []
    # The province (the defining department) sees every submission of its subtree.
    client = login(chain.province)
    assert client.get(f"/api/v1/reporting/submissions/{s.pk}").status_code == 200


def test_api_approval_chain_and_rollups(chain, login):
    s = fill(chain, chain.stations[0], {"served": "10", "women": "4"})
    client = login(chain.county)
    r = client.post(
        f"/api/v1/reporting/submissions/{s.pk}/actions/forward",
        {"note": "同意"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "reviewing"
    client = login(chain.province)
    agg = client.get(f"/api/v1/reporting/forms/{chain.form.pk}/aggregate?period=2026-10").json()
    assert agg["prefix"] == "44" and float(agg["total"]["sums"]["served"]) == 10
    comp = client.get(
        f"/api/v1/reporting/forms/{chain.form.pk}/completeness?period=2026-10&prefix=4401"
    ).json()
    assert comp["total"]["expected"] == 2 and comp["total"]["received"] == 1


def test_excel_export_blank_and_filled_and_import(chain, login):
    worker = chain.stations[0]
    s = services.submission_open(acting_user=worker, form=chain.form, period_start=PERIOD)
    client = login(worker)
    blank = client.get(reverse("reporting:export", args=[chain.form.pk]))
    assert blank.status_code == 200
    rows = list(load_workbook(io.BytesIO(blank.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "指标代码" and [r[0] for r in rows[1:]] == [
        "served",
        "women",
        "rate",
        "visits",
    ]
    # Fill it offline; one bad row.
    wb = Workbook()
    ws = wb.active
    ws.append(["指标代码", "指标名称", "类型", "填报要求", "数值"])
    ws.append(["served", "服务人次", "", "", 20])
    ws.append(["women", "其中女性", "", "", "abc"])
    ws.append(["nope", "?", "", "", 1])
    buffer = io.BytesIO()
    wb.save(buffer)

    def upload(all_or_nothing):
        buffer.seek(0)
        data = {"file": io.BytesIO(buffer.getvalue())}
        data["file"].name = "月报.xlsx"
        if all_or_nothing:
            data["all_or_nothing"] = "on"
        return client.post(reverse("reporting:import", args=[s.pk]), data)

    response = upload(True)
    text = response.content.decode()
    assert "未导入任何数据" in text and "第 3 行" in text and "第 4 行" in text
    assert not s.values.filter(element__code="served").exists()
    response = upload(False)
    assert s.values.get(element__code="served").value == 20
    filled = client.get(reverse("reporting:export", args=[chain.form.pk]) + f"?submission={s.pk}")
    rows = list(load_workbook(io.BytesIO(filled.content)).active.iter_rows(values_only=True))
    assert rows[1][4] in ("20", 20)

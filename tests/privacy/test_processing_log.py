"""The per-resident processing log: a supervisor (or department leader) sees and exports, in
time order, every change, reveal and export that touched the resident, the visits, referrals and
consent events — scoped like the resident, and nothing about anyone else."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from shegong.cases import services as cases
from shegong.core.models import AuditLog
from shegong.people import services as people

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(station_worker, make_resident, record_consent, open_case, partner, login):
    resident = make_resident(station_worker, name="黄桂兰", phone="13700001111")
    bystander = make_resident(station_worker, name="邻居陈伯", phone="13700002222")
    people.resident_update(
        resident=resident, acting_user=station_worker, data={"address": "五山路 8 号"}
    )
    people.visit_record(
        resident=resident, acting_user=station_worker, visited_on=date.today(), mode="home"
    )
    people.visit_record(
        resident=bystander, acting_user=station_worker, visited_on=date.today(), mode="phone"
    )
    client = login(station_worker)
    client.post(f"/people/{resident.pk}/reveal/")
    client.post(f"/people/{bystander.pk}/reveal/")
    client.get("/people/export/")
    record_consent(resident, "referral")
    cases.referral_create(
        case=open_case(resident),
        acting_user=station_worker,
        to_organisation=partner.active_membership.organisation,
        reason="康复辅具评估",
    )
    return resident, bystander


def test_a_supervisor_exports_the_log_with_every_kind_of_event_and_nobody_else(
    history, supervisor, login
):
    resident, bystander = history
    client = login(supervisor)
    page = client.get(f"/privacy/residents/{resident.pk}/log/")
    assert page.status_code == 200
    html = page.content.decode()
    for testid in (
        "log-change",
        "log-access",
        "log-export",
        "log-visit",
        "log-referral",
        "log-consent",
    ):
        assert f'data-testid="{testid}"' in html, testid

    response = client.get(f"/privacy/residents/{resident.pk}/log/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    kinds = {row[1] for row in rows}
    assert {"变更", "查看敏感信息", "导出", "探访", "转介", "同意记录"} <= kinds
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)  # in time order
    text = " ".join(str(v) for row in rows for v in row if v)
    assert "住址" in text  # which field changed
    assert "康复辅具" not in text  # what changed is not copied into the log, only that it did
    assert "邻居陈伯" not in text and bystander.phone not in text
    reveals = [row for row in rows if row[1] == "查看敏感信息"]
    assert len(reveals) == 1  # the reveal of the neighbour's number is not this resident's
    assert AuditLog.objects.filter(
        action="export", detail__list="processing_log", detail__resident=resident.pk
    ).exists()


def test_the_log_is_scoped_like_the_resident_and_limited_to_supervisors_and_leaders(
    history, station_worker, other_county_supervisor, login, make_member
):
    resident, _ = history
    assert (
        login(other_county_supervisor).get(f"/privacy/residents/{resident.pk}/log/").status_code
        == 404
    )
    assert (
        login(other_county_supervisor)
        .get(f"/privacy/residents/{resident.pk}/log/export/")
        .status_code
        == 404
    )
    assert (
        login(other_county_supervisor)
        .get(f"/api/v1/privacy/residents/{resident.pk}/processing-log")
        .status_code
        == 404
    )
    assert login(station_worker).get(f"/privacy/residents/{resident.pk}/log/").status_code == 403
    leader = make_member("dept_leader", "440106000000")
    entries = login(leader).get(f"/api/v1/privacy/residents/{resident.pk}/processing-log").json()
    assert {e["category"] for e in entries} >= {"change", "visit", "referral", "consent"}

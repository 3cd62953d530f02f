"""The careers API: rounds and applications (with the lifecycle's actions), appraisals with the
cap, conduct records; scoped like the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shegong.careers import services, workflow
from tests.careers.factories import make_worker
from tests.lifecycles.careers import application_in


@pytest.mark.django_db
def test_apply_and_act_through_the_api(make_member, client, login):
    province = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
    login(province)
    today = timezone.localdate()
    response = client.post(
        "/api/v1/careers/rounds",
        {
            "title": "广东省助理社会工作师评审",
            "level": "assistant",
            "year": today.year,
            "closes_on": (today + timedelta(days=20)).isoformat(),
            "min_education": "college",
            "min_years": 2,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]
    staff = make_member("org_staff", "440106000000", kind="sw_organisation", name="启智社工")
    worker = make_worker(staff.active_membership.organisation)
    client.logout()
    login(staff)
    assert client.get("/api/v1/careers/rounds").json()["count"] == 1
    response = client.post(
        f"/api/v1/careers/rounds/{round_id}/applications",
        {
            "worker_id": worker.pk,
            "years_in_social_work": 1,
            "exam_passed_on": (today - timedelta(days=30)).isoformat(),
            "achievements": "社区项目",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "年限" in str(response.json())
    response = client.post(
        f"/api/v1/careers/rounds/{round_id}/applications",
        {
            "worker_id": worker.pk,
            "years_in_social_work": 3,
            "exam_passed_on": (today - timedelta(days=30)).isoformat(),
            "achievements": "社区项目",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(
        f"/api/v1/careers/applications/{pk}/actions/confirm", {}, content_type="application/json"
    )
    assert response.json()["status"] == workflow.CONFIRMED


@pytest.mark.django_db
def test_another_county_cannot_see_applications(make_member, client, login):
    application, _staff, _panel = application_in(workflow.NOTICE, make_member=make_member)
    outsider = make_member("dept_leader", "441881000000")
    login(outsider)
    assert client.get(f"/api/v1/careers/applications/{application.pk}").status_code == 404
    assert client.get("/api/v1/careers/applications").json()["items"] == []
    assert client.get(f"/careers/applications/{application.pk}/").status_code == 404
    body = client.get(f"/api/v1/careers/applications/{application.pk}")
    assert body.status_code == 404


@pytest.mark.django_db
def test_grade_cap_through_the_api(make_member, client, login):

    leader = make_member("dept_leader", "440106000000", name="天河区委社会工作部")
    station = make_member(
        "station_worker", "440106001000", kind="sw_station", name="五山街道社工站"
    ).active_membership.organisation
    for n in range(5):
        make_worker(station, name=f"社工{n}")
    scheme = services.scheme_create(acting_user=leader, name="年度考核")
    login(leader)
    response = client.post(
        f"/api/v1/careers/schemes/{scheme.pk}/run",
        {"period": "2026", "start": "2026-01-01", "end": "2026-12-31"},
        content_type="application/json",
    )
    assert response.json() == {"appraised": 5}
    items = client.get("/api/v1/careers/appraisals?period=2026").json()["items"]
    assert len(items) == 5
    first, second = items[0]["id"], items[1]["id"]
    ok = client.post(
        f"/api/v1/careers/appraisals/{first}/grade", {"grade": "excellent"},
        content_type="application/json",
    )  # fmt: skip
    assert ok.status_code == 200 and ok.json()["grade"] == "excellent"
    refused = client.post(
        f"/api/v1/careers/appraisals/{second}/grade", {"grade": "excellent"},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code in (400, 422)
    assert "上限" in str(refused.json())

"""/api/v1/workforce/: a county user registers a worker, a certificate and its registration,
runs a course, pairs a mentor and records a practice session on a visit; another county's
workers are 404 and absent from every list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.volunteers.helpers import resident_id
from tests.workforce.helpers import employer, make_visit, make_worker

pytestmark = pytest.mark.django_db
J = "application/json"


def test_api_journey(county_user, login):
    client = login(county_user)
    org = employer()
    r = client.post(
        "/api/v1/workforce/profiles",
        {
            "name": "API社工",
            "id_number": resident_id("440106", date(1994, 3, 3), 901),
            "employer_id": org.pk,
            "education": "bachelor",
            "social_work_major": True,
            "social_work_start_date": "2023-12-31",
        },
        content_type=J,
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["region_code"] == org.region_id
    assert "*" in r.json()["id_number_masked"]
    r = client.get(f"/api/v1/workforce/profiles/{pk}/eligibility?year=2026")
    assert r.json()["level"] == "social_worker"
    issued = (date.today() - timedelta(days=20)).isoformat()
    r = client.post(
        f"/api/v1/workforce/profiles/{pk}/certificates",
        {"level": "assistant", "number": "API-001", "issued_on": issued},
        content_type=J,
    )
    assert r.status_code == 201
    r = client.post(
        f"/api/v1/workforce/profiles/{pk}/registrations",
        {"certificate_id": r.json()["id"], "registered_on": date.today().isoformat()},
        content_type=J,
    )
    assert r.status_code == 201 and float(r.json()["ce_needed"]) == 72
    r = client.post(
        "/api/v1/workforce/courses",
        {
            "title": "个案管理",
            "organiser_id": county_user.active_membership.organisation.pk,
            "kind": "theory",
            "starts_on": date.today().isoformat(),
            "ends_on": date.today().isoformat(),
            "hours": "8",
            "capacity": 5,
        },
        content_type=J,
    )
    course = r.json()["id"]
    r = client.post(
        f"/api/v1/workforce/courses/{course}/enrolments", {"worker_id": pk}, content_type=J
    )
    enrolment = r.json()["id"]
    r = client.post(
        f"/api/v1/workforce/enrolments/{enrolment}/attendance", {"attended": True}, content_type=J
    )
    assert r.json()["status"] == "completed"
    r = client.get(f"/api/v1/workforce/profiles/{pk}/registrations")
    assert float(r.json()[0]["ce_needed"]) == 64
    mentor = make_worker(county_user, level="social_worker")
    r = client.post(
        "/api/v1/workforce/mentoring/pairs",
        {"mentor_id": mentor.pk, "mentee_id": pk, "goals": "独立开展探访"},
        content_type=J,
    )
    assert r.status_code == 201
    pair = r.json()["id"]
    r = client.post(
        f"/api/v1/workforce/mentoring/pairs/{pair}/sessions",
        {"held_on": date.today().isoformat(), "kind": "practice", "hours": "2", "topic": "探访"},
        content_type=J,
    )
    assert r.status_code == 422  # a practice session needs a visit or a case
    visit = make_visit(county_user)
    r = client.post(
        f"/api/v1/workforce/mentoring/pairs/{pair}/sessions",
        {
            "held_on": date.today().isoformat(),
            "kind": "practice",
            "hours": "2",
            "topic": "探访",
            "visit_id": visit.pk,
        },
        content_type=J,
    )
    assert r.status_code == 201 and r.json()["visit_id"] == visit.pk
    r = client.get("/api/v1/workforce/pipeline")
    assert r.status_code == 200


def test_another_countys_workers_are_404_on_the_api(county_user, other_county_user, login):
    theirs = make_worker(other_county_user, name="英德社工", level="assistant")
    mine = make_worker(county_user, name="天河社工")
    client = login(county_user)
    for path in (
        f"/api/v1/workforce/profiles/{theirs.pk}",
        f"/api/v1/workforce/profiles/{theirs.pk}/certificates",
        f"/api/v1/workforce/profiles/{theirs.pk}/registrations",
        f"/api/v1/workforce/profiles/{theirs.pk}/eligibility",
    ):
        assert client.get(path).status_code == 404, path
    r = client.post(
        "/api/v1/workforce/mentoring/pairs",
        {"mentor_id": theirs.pk, "mentee_id": mine.pk, "goals": "跨县"},
        content_type=J,
    )
    assert r.status_code == 404
    names = [p["name"] for p in client.get("/api/v1/workforce/profiles").json()["items"]]
    assert names == ["天河社工"]

"""Health, readiness and metrics for the operator (issue 18), in-process on either database:
`/healthz` answers; `/readyz` fails without a fresh worker heartbeat, with too little disk, and
passes when all is well, showing details only to the operator; `/metrics` is the operator's
only (the same 404 as an unknown address for anybody else) and carries request counts, the task
queue and sign-in failures; every response has a request id and one JSON log line."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from shegong.ops.logging import JsonFormatter
from shegong.ops.models import WorkerHeartbeat
from shegong.ops.services import heartbeat_record
from shegong.ops.tasks import worker_heartbeat_task

TOKEN = "probe-metrics-token-0123456789abcdef"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_needs_a_fresh_heartbeat_and_shows_details_to_the_operator_only(client, settings):
    settings.SHEGONG_METRICS_TOKEN = TOKEN
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"] == {
        "database": {"ok": True},
        "migrations": {"ok": True},
        "worker": {"ok": False},
        "disk": {"ok": True},
    }
    assert worker_heartbeat_task.call() == heartbeat_record().worker  # what the worker runs
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=10))
    stale = client.get("/readyz", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert stale.status_code == 503
    detail = stale.json()["checks"]["worker"]["detail"]
    assert "last heartbeat 6" in detail and "limit 180 s" in detail  # 600 s ago


@pytest.mark.django_db
def test_readyz_fails_when_the_disk_is_nearly_full(client, settings):
    heartbeat_record()
    settings.SHEGONG_MIN_FREE_DISK_MB = 10**12  # more than any disk has
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"] == {"ok": False}
    assert response.json()["checks"]["worker"] == {"ok": True}


@pytest.mark.django_db
def test_metrics_are_for_the_operator_only(client, settings, make_member, login):
    settings.SHEGONG_METRICS_TOKEN = TOKEN
    client.get("/healthz")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    login(make_member("dept_leader", "000000000000"))  # a national leader is not the operator
    assert client.get("/metrics").status_code == 404
    client.logout()
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'shegong_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert "shegong_http_request_duration_seconds_bucket" in text
    for name in (
        "shegong_task_queue_waiting",
        "shegong_task_queue_oldest_wait_seconds",
        "shegong_task_failed_last_day",
        "shegong_signin_failures_total",
    ):
        assert f"\n{name} " in text, name
    settings.SHEGONG_METRICS_TOKEN = ""  # no token configured: no bearer gets in
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
def test_failed_sign_ins_and_waiting_tasks_are_counted(client, settings):
    from shegong.core.models import AuditLog

    settings.SHEGONG_METRICS_TOKEN = TOKEN
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong password"})
    assert AuditLog.objects.filter(action=AuditLog.Action.LOGIN_FAILED).count() == 1
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "\nshegong_signin_failures_total 1.0\n" in text


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_the_heartbeat_books_its_next_run_and_the_scheduler_books_it_once(client, settings):
    from django_tasks_db.models import DBTaskResult

    call_command("scheduler", "--once", stdout=StringIO())
    call_command("scheduler", "--once", stdout=StringIO())  # again: nothing more
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path="shegong.ops.tasks.worker_heartbeat_task"
    )
    assert waiting.count() == 1
    booked = waiting.get()
    assert timezone.now() < booked.run_after <= timezone.now() + timedelta(minutes=1)


@pytest.mark.django_db
def test_every_response_has_a_request_id_and_one_json_log_line(client, caplog, make_member, login):
    user = make_member("dept_staff", "440106000000")
    login(user)
    with caplog.at_level(logging.INFO, logger="shegong.request"):
        response = client.get("/people/?q=陈阿真", HTTP_X_REQUEST_ID="probe-request-0001")
    assert response["X-Request-ID"] == "probe-request-0001"
    records = [r for r in caplog.records if r.name == "shegong.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "probe-request-0001"
    assert line["user_id"] == user.pk
    assert line["route"] == "people:list" and line["status"] == 200
    assert line["path"] == "/people/" and "陈阿真" not in json.dumps(line, ensure_ascii=False)
    assert isinstance(line["duration_ms"], float) and line["level"] == "INFO"
    odd = client.get("/healthz", HTTP_X_REQUEST_ID="not a token; drop table")
    assert odd["X-Request-ID"] != "not a token; drop table" and len(odd["X-Request-ID"]) == 32

"""Reads on replicas (issue 18), the rules on either database, without a replica: the lag rule,
where the router sends reads and writes, the middleware's choice and pin, the settings, and the
replicas' state on /readyz and /metrics. Against a real replica: tests/ops/test_replicas.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import router
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings

from shegong.core import dbrouting
from shegong.core.dbrouting import (
    PIN_COOKIE,
    ReplicaRouter,
    ReplicaRoutingMiddleware,
    ReplicaState,
    RequestRoute,
    lag_rule,
)
from shegong.people.models import Resident

REPO = Path(__file__).resolve().parents[2]
REPLICAS = override_settings(
    SHEGONG_REPLICA_ALIASES=["replica1"],
    DATABASE_ROUTERS=["shegong.core.dbrouting.ReplicaRouter"],
)


@pytest.fixture
def replica_in_use(settings):
    """A replica that the last check found current (no replica is asked)."""
    dbrouting.forget_states()
    dbrouting.record_state(
        ReplicaState("replica1", True, "current", 0.0, 0, checked_at=time.monotonic())
    )
    settings.SHEGONG_REPLICA_ALIASES = ["replica1"]
    settings.DATABASE_ROUTERS = ["shegong.core.dbrouting.ReplicaRouter"]
    yield
    dbrouting.forget_states()


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        # Replayed everything: current, however old its last transaction (an idle primary).
        ({"in_recovery": True, "lag_bytes": 0, "replay_age": 3600.0}, (True, 0.0)),
        ({"in_recovery": True, "lag_bytes": 8192, "replay_age": 1.5}, (True, 1.5)),
        ({"in_recovery": True, "lag_bytes": 8192, "replay_age": 12.0}, (False, 12.0)),
        # Promoted (or a primary by mistake): never read from it.
        ({"in_recovery": False, "lag_bytes": 0, "replay_age": 0.0}, (False, None)),
        ({"in_recovery": True, "lag_bytes": None, "replay_age": None}, (False, None)),
        ({"in_recovery": True, "lag_bytes": 100, "replay_age": None}, (False, None)),
    ],
)
def test_a_replica_lagging_beyond_the_limit_is_out(figures, expected):
    in_use, lag, reason = lag_rule(max_lag=5, **figures)
    assert (in_use, lag) == expected
    assert reason


def test_the_router_reads_on_the_request_replica_and_writes_on_the_primary():
    routing = ReplicaRouter()
    from django.contrib.sessions.models import Session

    from shegong.accounts.models import User

    # Outside a request (tasks, commands): the primary.
    assert routing.db_for_read(Resident) is None
    assert routing.db_for_write(Resident) == "default"
    token = dbrouting._route.set(RequestRoute(replica="replica1"))
    try:
        assert routing.db_for_read(Resident) == "replica1"
        # Sessions and accounts: always the primary (a signed-out session must not count).
        assert routing.db_for_read(Session) == "default"
        assert routing.db_for_read(User) == "default"
        assert routing.db_for_write(Session) == "default"
        assert dbrouting.current_route().wrote is False  # a session save does not pin
        assert routing.db_for_write(Resident) == "default"
        assert dbrouting.current_route().wrote is True
        assert routing.db_for_read(Resident) is None  # after a write: the primary
    finally:
        dbrouting._route.reset(token)
    with REPLICAS:
        assert routing.allow_migrate("replica1", "people") is False
        assert routing.allow_migrate("default", "people") is None


def test_inside_a_transaction_reads_stay_on_the_primary():
    from unittest import mock

    from django.db import connections

    token = dbrouting._route.set(RequestRoute(replica="replica1"))
    try:
        assert ReplicaRouter().db_for_read(Resident) == "replica1"
        # As inside `transaction.atomic()` (without a database: no test transaction around it).
        with mock.patch.object(connections["default"], "in_atomic_block", True):
            assert ReplicaRouter().db_for_read(Resident) == "default"
    finally:
        dbrouting._route.reset(token)


def _run(middleware_view, request):
    return ReplicaRoutingMiddleware(middleware_view)(request)


def test_without_replicas_the_middleware_removes_itself():
    with pytest.raises(MiddlewareNotUsed):
        ReplicaRoutingMiddleware(lambda request: HttpResponse())


def test_safe_requests_read_on_a_replica_and_writes_pin_the_browser(replica_in_use):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Resident))
        return HttpResponse()

    factory = RequestFactory()
    response = _run(view, factory.get("/people/"))
    assert seen == ["replica1"] and PIN_COOKIE not in response.cookies

    before = int(time.time())
    response = _run(view, factory.post("/people/new/"))
    after = int(time.time())
    assert seen[-1] == "default"
    pin = response.cookies[PIN_COOKIE]
    # Pinned for the setting's seconds from the request, however long the request took.
    pin_seconds = settings.SHEGONG_REPLICA_PIN_SECONDS
    assert before + pin_seconds <= int(pin.value) <= after + pin_seconds + 1
    assert pin["httponly"]

    pinned = factory.get("/people/")
    pinned.COOKIES[PIN_COOKIE] = pin.value
    _run(view, pinned)
    assert seen[-1] == "default"  # the next read of the browser that wrote

    expired = factory.get("/people/")
    expired.COOKIES[PIN_COOKIE] = str(int(time.time()) - 1)
    _run(view, expired)
    assert seen[-1] == "replica1"


def test_a_get_that_writes_pins_too(replica_in_use):
    def view(request):
        router.db_for_write(Resident)  # what a save does first
        return HttpResponse()

    response = RequestFactory().get("/people/")
    assert PIN_COOKIE in _run(view, response).cookies


def test_a_replica_out_sends_reads_to_the_primary(replica_in_use):
    dbrouting.mark_out("replica1", "failed mid-request (OperationalError)")
    seen = []

    def view(request):
        seen.append(router.db_for_read(Resident))
        return HttpResponse()

    _run(view, RequestFactory().get("/people/"))
    assert seen == ["default"]


def test_a_streamed_export_reads_where_its_request_did(replica_in_use):
    def view(request):
        return StreamingHttpResponse(router.db_for_read(Resident) for _ in range(2))

    response = _run(view, RequestFactory().get("/people/export/"))
    assert b"".join(response.streaming_content) == b"replica1replica1"


@pytest.mark.django_db
def test_readyz_and_metrics_show_the_replicas(client, settings, replica_in_use):
    from shegong.ops.services import heartbeat_record

    settings.SHEGONG_METRICS_TOKEN = "probe-metrics-token-0123456789abcdef"
    heartbeat_record()
    assert client.get("/readyz").json()["replicas"] == {"replica1": {"in_use": True}}
    dbrouting.mark_out("replica1", "unreachable (OperationalError)")
    operator = {"HTTP_AUTHORIZATION": "Bearer probe-metrics-token-0123456789abcdef"}
    response = client.get("/readyz", **operator)
    assert response.status_code == 200  # informational: a replica out does not fail readiness
    assert response.json()["replicas"]["replica1"]["in_use"] is False
    assert "unreachable" in response.json()["replicas"]["replica1"]["detail"]
    text = client.get("/metrics", **operator).content.decode()
    assert 'shegong_replica_in_use{replica="replica1"} 0.0' in text


def _settings_in_a_process(**environ) -> dict:
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'aliases': settings.SHEGONG_REPLICA_ALIASES, "
        "'routers': settings.DATABASE_ROUTERS, "
        "'replica1': settings.DATABASES.get('replica1', {})}, default=str))"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SHEGONG_REPLICA", "DATABASE_URL", "PYTEST"))
    }
    env.update(DJANGO_SETTINGS_MODULE="shegong.settings.test", **environ)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, text=True
    )
    return {"returncode": done.returncode, "stderr": done.stderr, "stdout": done.stdout}


def test_settings_make_each_replica_url_an_alias_and_refuse_sqlite():
    done = _settings_in_a_process()
    assert done["returncode"] == 0, done["stderr"]
    assert json.loads(done["stdout"]) == {"aliases": [], "routers": [], "replica1": {}}

    done = _settings_in_a_process(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/shegong",
        SHEGONG_REPLICA_URLS="postgres://postgres@127.0.0.1:5433/shegong",
    )
    assert done["returncode"] == 0, done["stderr"]
    conf = json.loads(done["stdout"])
    assert conf["aliases"] == ["replica1"]
    assert conf["routers"] == ["shegong.core.dbrouting.ReplicaRouter"]
    replica = conf["replica1"]
    assert (replica["PORT"], replica["NAME"]) == (5433, "shegong")
    assert replica["ENGINE"] == "shegong.core.replica_db"
    assert replica["TEST"]["MIRROR"] == "default"  # no test database of its own

    done = _settings_in_a_process(SHEGONG_REPLICA_URLS="postgres://postgres@127.0.0.1:5433/x")
    assert done["returncode"] != 0
    assert "read replicas need a PostgreSQL primary" in done["stderr"]

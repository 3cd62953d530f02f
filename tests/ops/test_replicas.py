"""Issue 18, Done-when 3: reads on a real streaming replica.

With the replica of `bench/replica.py` running (127.0.0.1:5433, a hot standby of the primary the
suite uses), the replica alias points at the test database under the same name there (physical
replication copies every database of the primary). Each test commits its data and waits until
the replica has replayed it, then shows:

- a list page (the residents list) read on the replica: its queries ran on the alias's
  connection, made to a server in recovery on the replica's port;
- a form posted (a new resident) written on the primary, and that person's next page read on
  the primary too, while the replica (its replay paused) does not have the new row yet, as
  another person's page shows;
- with the replica unreachable, the pages still work from the primary, whether the replica was
  believed well when the request began or failed mid-request.

Skipped without PostgreSQL or without a replica (start one: `python bench/replica.py start`);
a failure instead with SHEGONG_REQUIRE_REPLICA=1 (CI, after starting it)."""

from __future__ import annotations

import copy
import os
import socket
import time
from contextlib import contextmanager
from datetime import date

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.backends.signals import connection_created

from shegong.core import dbrouting
from shegong.core.dbrouting import PIN_COOKIE, ReplicaState
from shegong.people.synthetic import make_id_number

ALIAS = "replica1"
PORT = int(os.environ.get("SHEGONG_REPLICA_PORT", "5433"))
VILLAGE = "440106001001"  # 岳洲社区居委会, 五山街道, 天河区
REPLAY_TIMEOUT = 180  # seconds; a shared, busy machine may hold the replica back a while

pytestmark = pytest.mark.replica
# On each test (not the module): tests/conftest.py adds a plain django_db mark to transactional
# tests, which would be closer than the module's.
BOTH_DATABASES = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", ALIAS]
)


def _replica(database: str = "postgres"):
    primary = connection.settings_dict
    return psycopg.connect(
        host="127.0.0.1",
        port=PORT,
        dbname=database,
        user=primary["USER"] or "postgres",
        password=primary["PASSWORD"] or None,
        connect_timeout=3,
        autocommit=True,
    )


def _replica_problem() -> str | None:
    if connection.vendor != "postgresql":
        return "reads on replicas need PostgreSQL (this run is on SQLite)"
    try:
        with _replica() as conn:
            in_recovery = conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    except psycopg.Error as exc:
        return (
            f"no PostgreSQL replica at 127.0.0.1:{PORT} ({type(exc).__name__}); "
            "start one with `python bench/replica.py start`"
        )
    if not in_recovery:
        return f"the server at 127.0.0.1:{PORT} is not a replica (not in recovery)"
    return None


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """The alias `replica1`: the worker's test database, on the replica."""
    problem = _replica_problem()
    if problem:
        if os.environ.get("SHEGONG_REQUIRE_REPLICA") == "1" and connection.vendor == "postgresql":
            pytest.fail(f"the replica tests are required: {problem}")
        pytest.skip(problem)
    conf = copy.deepcopy(connections["default"].settings_dict)
    conf.update(
        ENGINE="shegong.core.replica_db",
        HOST="127.0.0.1",
        PORT=str(PORT),
        CONN_MAX_AGE=0,
        OPTIONS={"connect_timeout": 2},
    )
    conf["TEST"]["MIRROR"] = "default"  # never flushed nor created by the test machinery
    connections.settings[ALIAS] = conf
    # A transactional test without serialized rollback (the backup drill's) ends with a flush
    # that re-creates the content types under new ids, on which the serialized rows these tests
    # start from would collide: start from empty tables, as after a serialized test.
    with django_db_blocker.unblock():
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            database="default",
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
    yield ALIAS
    connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


@pytest.fixture
def routing(settings, replica_alias):
    settings.SHEGONG_REPLICA_ALIASES = [ALIAS]
    settings.DATABASE_ROUTERS = ["shegong.core.dbrouting.ReplicaRouter"]
    settings.SHEGONG_REPLICA_MAX_LAG_SECONDS = 600  # other work on this machine may hold it back
    settings.SHEGONG_REPLICA_CHECK_SECONDS = 0  # every request checks the replica
    settings.SHEGONG_REPLICA_PIN_SECONDS = 900
    dbrouting.forget_states()
    yield
    dbrouting.forget_states()
    connections[ALIAS].close()


def _wait_for_replay() -> None:
    """Until the replica has replayed everything the primary has written so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + REPLAY_TIMEOUT
    with _replica() as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()
            if row[0]:
                return
            time.sleep(0.1)
    pytest.fail(f"the replica did not replay up to {target} within {REPLAY_TIMEOUT} s")


@contextmanager
def _paused_replay():
    with _replica() as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            conn.execute("SELECT pg_wal_replay_resume()")


class Reads:
    """The statements each alias ran, and the server each new connection of the replica alias
    reached (in recovery? which port?)."""

    def __init__(self):
        self.sql: dict[str, list[str]] = {"default": [], ALIAS: []}
        self.servers: list[tuple[bool, int]] = []

    def on_connect(self, sender, connection, **kwargs):
        if connection.alias == ALIAS:
            row = connection.connection.execute(
                "SELECT pg_is_in_recovery(), inet_server_port()"
            ).fetchone()
            self.servers.append((row[0], row[1]))

    @contextmanager
    def recording(self):
        def wrapper(alias):
            def record(execute, sql, params, many, context):
                self.sql[alias].append(sql)
                return execute(sql, params, many, context)

            return record

        connection_created.connect(self.on_connect)
        try:
            with (
                connections["default"].execute_wrapper(wrapper("default")),
                connections[ALIAS].execute_wrapper(wrapper(ALIAS)),
            ):
                yield self
        finally:
            connection_created.disconnect(self.on_connect)

    def on(self, alias: str, table: str) -> int:
        return sum(table in sql for sql in self.sql[alias])


@pytest.fixture
def station_worker(make_member):
    return make_member("station_worker", "440106001000", kind="sw_station", name="五山街道社工站")


@pytest.fixture
def resident(station_worker):
    from shegong.people import services
    from shegong.people.models import Category
    from shegong.regions.models import Region

    return services.resident_create(
        acting_user=station_worker,
        name="黄桂英",
        id_number=make_id_number("440106", date(1941, 6, 1), 7, "F"),
        region=Region.objects.get(code=VILLAGE),
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
    )


@BOTH_DATABASES
def test_a_list_page_is_read_on_the_replica(routing, login, station_worker, resident, settings):
    settings.SHEGONG_METRICS_TOKEN = "probe-metrics-token-" + "r" * 16
    _wait_for_replay()
    client = login(station_worker)
    with Reads().recording() as reads:
        response = client.get("/people/")
    assert response.status_code == 200
    assert "黄桂英" in response.content.decode()
    assert reads.on(ALIAS, "people_resident") >= 1  # the list, read on the replica's alias
    assert reads.on("default", "people_resident") == 0
    assert reads.on(ALIAS, "django_session") == 0  # the session: on the primary, always
    assert reads.servers == [(True, PORT)]  # a server in recovery: the replica
    assert PIN_COOKIE not in response.cookies

    readyz = client.get("/readyz", HTTP_AUTHORIZATION=f"Bearer {settings.SHEGONG_METRICS_TOKEN}")
    state = readyz.json()["replicas"][ALIAS]
    assert state["in_use"] is True and state["lag_bytes"] >= 0
    metrics = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {settings.SHEGONG_METRICS_TOKEN}")
    assert f'shegong_replica_in_use{{replica="{ALIAS}"}} 1.0' in metrics.content.decode()


@BOTH_DATABASES
def test_a_write_and_the_writer_s_next_read_are_on_the_primary(
    routing, login, client, station_worker, make_member, resident
):
    from django.test import Client

    colleague = make_member("station_worker", "440106001000", kind="sw_station", name="同事社工站")
    _wait_for_replay()
    other = Client()
    other.force_login(colleague)
    session = other.session
    session["active_membership_id"] = colleague.active_membership.pk
    session.save()
    from tests.signin import verify_session

    verify_session(other, colleague)
    writer = login(station_worker)
    form = {
        "name": "李新来",
        "id_number": make_id_number("440106", date(1950, 2, 2), 5, "M"),
        "sex": "M",
        "birth_date": "1950-02-02",
        "region": VILLAGE,
        "categories": [],
        "confirm_duplicates": "on",
    }
    with _paused_replay():  # the replica stays behind until the end of this block
        with Reads().recording() as reads:
            posted = writer.post("/people/new/", form)
        assert posted.status_code == 302, posted.content.decode()[:2000]
        assert reads.sql[ALIAS] == [] and reads.servers == []  # the write: the primary only
        assert reads.on("default", "people_resident") >= 1
        assert PIN_COOKIE in posted.cookies  # the writer is pinned to the primary

        with Reads().recording() as reads:
            page = writer.get("/people/").content.decode()
        assert "李新来" in page  # the writer sees what they wrote ...
        assert reads.sql[ALIAS] == [] and reads.on("default", "people_resident") >= 1

        with Reads().recording() as reads:
            elsewhere = other.get("/people/").content.decode()
        # ... while a colleague, not pinned, reads the replica, which has not replayed it yet.
        assert reads.servers == [(True, PORT)] and reads.on(ALIAS, "people_resident") >= 1
        assert "黄桂英" in elsewhere and "李新来" not in elsewhere
    _wait_for_replay()
    assert "李新来" in other.get("/people/").content.decode()


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once closed


@BOTH_DATABASES
def test_with_the_replica_unreachable_pages_work_from_the_primary(
    routing, settings, login, station_worker, resident
):
    _wait_for_replay()
    client = login(station_worker)
    replica = connections[ALIAS]
    port = replica.settings_dict["PORT"]
    replica.close()
    replica.settings_dict["PORT"] = str(_dead_port())
    try:
        # Believed well when the request begins (its last check), unreachable when it connects.
        dbrouting.record_state(ReplicaState(ALIAS, True, "current", 0.0, 0, time.monotonic()))
        settings.SHEGONG_REPLICA_CHECK_SECONDS = 600
        with Reads().recording() as reads:
            response = client.get("/people/")
        assert response.status_code == 200 and "黄桂英" in response.content.decode()
        primary_port = int(connection.settings_dict["PORT"] or 5432)
        assert reads.servers == [(False, primary_port)]  # the alias's connection: the primary
        (state,) = dbrouting.replica_states()
        assert state.in_use is False and "unreachable" in state.reason

        # Out: the next pages do not try it at all; a check finds it still unreachable.
        settings.SHEGONG_REPLICA_CHECK_SECONDS = 0
        with Reads().recording() as reads:
            response = client.get("/people/")
        assert response.status_code == 200 and "黄桂英" in response.content.decode()
        assert reads.sql[ALIAS] == [] and reads.on("default", "people_resident") >= 1
        assert dbrouting.replica_states()[0].reason.startswith("unreachable")
    finally:
        replica.close()
        replica.settings_dict["PORT"] = port

    # Back: the next check finds it well and pages read on it again.
    with Reads().recording() as reads:
        client.get("/people/")
    assert reads.servers == [(True, PORT)]


@BOTH_DATABASES
def test_a_replica_failing_mid_request_is_replaced_by_the_primary(
    routing, settings, login, station_worker, resident
):
    _wait_for_replay()
    client = login(station_worker)
    replica = connections[ALIAS]
    replica.settings_dict["CONN_MAX_AGE"] = None  # a kept connection, as in production
    try:
        replica.ensure_connection()
        pid = replica.connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        with _replica() as conn:  # the replica ends that connection (as on a restart)
            conn.execute("SELECT pg_terminate_backend(%s)", [pid])
        settings.SHEGONG_REPLICA_CHECK_SECONDS = 600
        dbrouting.record_state(ReplicaState(ALIAS, True, "current", 0.0, 0, time.monotonic()))
        with Reads().recording() as reads:
            response = client.get("/people/")
        assert response.status_code == 200 and "黄桂英" in response.content.decode()
        assert reads.servers and reads.servers[-1][0] is False  # reconnected to the primary
        (state,) = dbrouting.replica_states()
        assert state.in_use is False and state.reason.startswith("failed mid-request")
    finally:
        replica.settings_dict["CONN_MAX_AGE"] = 0
        replica.close()

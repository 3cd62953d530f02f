"""Reads on PostgreSQL streaming replicas (docs/decisions/0019-reads-on-replicas.md).

With `SHEGONG_REPLICA_URLS` set, each replica is a database alias (`replica1`, `replica2`, …)
and three pieces decide where a query goes:

- `ReplicaRoutingMiddleware` decides per request: a safe request (GET, HEAD, OPTIONS: pages,
  exports, reports, API reads) of a browser not pinned to the primary reads from a healthy
  replica; anything else reads from the primary. A request that wrote (an unsafe method, or a
  write through the ORM during a GET) pins its browser to the primary for
  `SHEGONG_REPLICA_PIN_SECONDS` with a cookie, so that a person always reads what they have just
  written. The choice lives in a context variable for the request (and for a streamed
  response's iteration).
- `ReplicaRouter` applies it: writes always go to the primary; reads go to the request's replica
  unless the request has written, the primary is inside a transaction (`atomic`), or the model
  is one whose staleness would matter for security (sessions, users and memberships, second
  factors, the task queue, the operator's heartbeat). Outside a request (background tasks,
  management commands, the shell) nothing is set and everything uses the primary.
- The health of each replica: whether it is in recovery and how far it lags behind the primary
  (`lag_rule`), checked at most every `SHEGONG_REPLICA_CHECK_SECONDS` per process. A replica
  that lags more than `SHEGONG_REPLICA_MAX_LAG_SECONDS`, or does not answer, is out until a
  later check finds it well. A replica that fails in the middle of a request is marked out and
  the query runs on the primary instead (`shegong.core.replica_db`).

Without replicas the router is not installed and the middleware removes itself: everything is as
before. Never on SQLite (the settings refuse it).
"""

from __future__ import annotations

import contextvars
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

PIN_COOKIE = "shegong_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Read on the primary always: a replica's few seconds of lag would let a signed-out session, a
# deactivated account, a revoked membership or token, or a used one-time code count again.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "accounts", "otp_totp", "otp_static", "django_tasks_db", "ops"}
)


@dataclass
class RequestRoute:
    """Where this request reads: `replica` is the alias chosen for it, or None (primary)."""

    replica: str | None = None
    wrote: bool = False


_route: contextvars.ContextVar[RequestRoute | None] = contextvars.ContextVar(
    "shegong_request_route", default=None
)


def current_route() -> RequestRoute | None:
    return _route.get()


def replica_aliases() -> list[str]:
    return list(getattr(settings, "SHEGONG_REPLICA_ALIASES", []) or [])


# ---- the router --------------------------------------------------------------------------------


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is None or route.replica is None or route.wrote:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return route.replica

    def db_for_write(self, model, **hints):
        # Always the primary: an instance read from a replica is saved on the primary too
        # (without a router's answer Django would write where the instance came from).
        route = _route.get()
        if route is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            route.wrote = True  # this request's later reads, and the browser's next, on the primary
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        same = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in same and obj2._state.db in same:
            return True  # the same database, read through different connections
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db in replica_aliases():
            return False  # a replica replays the primary's schema
        return None


# ---- health: in recovery, and lag -------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaState:
    alias: str
    in_use: bool
    reason: str
    lag_seconds: float | None = None
    lag_bytes: int | None = None
    checked_at: float = field(default=0.0, compare=False)


def lag_rule(
    *, in_recovery: bool, lag_bytes: int | None, replay_age: float | None, max_lag: float
) -> tuple[bool, float | None, str]:
    """(in use, lag in seconds, why) for a replica's figures.

    `lag_bytes`: how much WAL the primary has written that the replica has not replayed.
    `replay_age`: seconds since the commit time of the last transaction the replica replayed.
    A replica that has replayed everything is current whatever the age of its last transaction
    (an idle primary writes nothing new). One behind is at most as stale as its last replayed
    transaction is old: after a long idle spell the first check after a write may overstate the
    lag and keep it out until the next check, erring on the side of fresh data."""
    if not in_recovery:
        # Promoted, or a primary given by mistake: its data part from the primary's.
        return False, None, "not in recovery"
    if lag_bytes is None:
        return False, None, "nothing replayed yet"
    if lag_bytes <= 0:
        return True, 0.0, "current"
    if replay_age is None:
        return False, None, "behind, nothing replayed yet"
    lag = max(replay_age, 0.0)
    if lag > max_lag:
        return False, lag, f"lags {lag:.1f} s (limit {max_lag:g} s)"
    return True, lag, f"lags {lag:.1f} s"


_states: dict[str, ReplicaState] = {}
_check_lock = threading.Lock()

REPLICA_FIGURES = (
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
    "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8"
)


def _connect_directly(alias: str):
    """A connection of its own to the replica (never the alias's, which falls back to the
    primary when the replica does not answer)."""
    import psycopg

    conf = connections[alias].settings_dict
    return psycopg.connect(
        host=conf["HOST"] or None,
        port=conf["PORT"] or None,
        dbname=conf["NAME"],
        user=conf["USER"] or None,
        password=conf["PASSWORD"] or None,
        connect_timeout=int(conf["OPTIONS"].get("connect_timeout", 2)),
        autocommit=True,
    )


def check_replica(alias: str) -> ReplicaState:
    """Ask the replica how far it has replayed and the primary how far that is behind."""
    import psycopg

    now = time.monotonic()
    try:
        with _connect_directly(alias) as conn:
            in_recovery, replay_lsn, replay_age = conn.execute(REPLICA_FIGURES).fetchone()
    except psycopg.Error as exc:
        return ReplicaState(alias, False, f"unreachable ({type(exc).__name__})", checked_at=now)
    lag_bytes = None
    if in_recovery and replay_lsn is not None:
        try:
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)", [replay_lsn]
                )
                lag_bytes = max(int(cursor.fetchone()[0]), 0)
        except DatabaseError as exc:  # the page's own queries will say what is wrong
            return ReplicaState(alias, False, f"lag unknown ({type(exc).__name__})", checked_at=now)
    in_use, lag, reason = lag_rule(
        in_recovery=in_recovery,
        lag_bytes=lag_bytes,
        replay_age=replay_age,
        max_lag=settings.SHEGONG_REPLICA_MAX_LAG_SECONDS,
    )
    return ReplicaState(alias, in_use, reason, lag, lag_bytes, checked_at=now)


def replica_states(*, refresh: bool = False) -> list[ReplicaState]:
    """Each replica's state, checked again when older than SHEGONG_REPLICA_CHECK_SECONDS (one
    request checks; the others meanwhile use the last result)."""
    aliases = replica_aliases()
    interval = settings.SHEGONG_REPLICA_CHECK_SECONDS
    now = time.monotonic()
    stale = [
        a for a in aliases if refresh or a not in _states or now - _states[a].checked_at >= interval
    ]
    if stale and _check_lock.acquire(blocking=refresh or any(a not in _states for a in stale)):
        try:
            for alias in stale:
                _states[alias] = check_replica(alias)
        finally:
            _check_lock.release()
    return [_states.get(a) or ReplicaState(a, False, "not checked yet") for a in aliases]


def mark_out(alias: str, reason: str) -> None:
    """Take a replica out until the next check (it failed in the middle of a request)."""
    _states[alias] = ReplicaState(alias, False, reason, checked_at=time.monotonic())


def record_state(state: ReplicaState) -> None:
    _states[state.alias] = state


def forget_states() -> None:
    _states.clear()


def pick_replica() -> str | None:
    """A replica in use, chosen at random among them, or None."""
    usable = [s.alias for s in replica_states() if s.in_use]
    return random.choice(usable) if usable else None  # noqa: S311 - spreading load


# ---- the middleware ----------------------------------------------------------------------------


def _pinned_until(request) -> float:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return 0.0


class ReplicaRoutingMiddleware:
    """Chooses where the request reads, and pins a browser that wrote to the primary."""

    def __init__(self, get_response):
        if not replica_aliases():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        now = time.time()
        replica = None
        if request.method in SAFE_METHODS and _pinned_until(request) <= now:
            replica = pick_replica()
        route = RequestRoute(replica=replica)
        request.read_from = replica or DEFAULT_DB_ALIAS  # for the request log
        token = _route.set(route)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        if getattr(response, "streaming", False):
            response.streaming_content = _iterate_in(route, response.streaming_content)
        if request.method not in SAFE_METHODS or route.wrote:
            pin = settings.SHEGONG_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(now + pin) + 1),
                max_age=pin + 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def _iterate_in(route: RequestRoute, chunks) -> Iterator:
    """A streamed response (an export) reads as its request did, while it is being sent."""
    iterator = iter(chunks)
    while True:
        token = _route.set(route)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _route.reset(token)
        yield chunk

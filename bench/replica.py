"""A PostgreSQL streaming replica of the local primary, for the replica tests and benches.

    python bench/replica.py start [--fix-hba]   # build it if missing, start it, wait until it
                                                # accepts connections and is in recovery
    python bench/replica.py status              # running? in recovery? how far behind?
    python bench/replica.py stop                # stop it (its data are kept for the next start)
    python bench/replica.py destroy             # stop it and remove its data directory

The replica is a second PostgreSQL 15 cluster on this machine: a copy of the primary
(127.0.0.1:5432) taken with `pg_basebackup -R` (which writes `standby.signal` and the
`primary_conninfo` to stream from), on port 5433, started as a hot standby. Every command may be
run again: `start` on a running replica only checks it; `stop` on a stopped one does nothing.

The primary must accept replication connections from 127.0.0.1. Debian's default pg_hba.conf
has `host all all 127.0.0.1/32 ...`, and "all" does not cover replication: the line
`host replication postgres 127.0.0.1/32 trust` is needed. `start` says so and stops; with
`--fix-hba` (this machine and CI, where the primary trusts local connections anyway) it appends
that line to the primary's pg_hba.conf and reloads the primary.

Run as root (the cluster's files belong to the postgres user: commands run through `runuser`)
or as postgres. Environment: SHEGONG_REPLICA_DATA (data directory, default
/tmp/shegong-replica-5433), SHEGONG_REPLICA_PORT (5433), SHEGONG_PRIMARY_HOST/PORT
(127.0.0.1:5432), PG_BIN (/usr/lib/postgresql/15/bin).

The replica replays the whole primary cluster (physical replication): every database on the
primary, test databases included, exists on the replica under the same name.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PRIMARY_HOST = os.environ.get("SHEGONG_PRIMARY_HOST", "127.0.0.1")
PRIMARY_PORT = int(os.environ.get("SHEGONG_PRIMARY_PORT", "5432"))
PORT = int(os.environ.get("SHEGONG_REPLICA_PORT", "5433"))
DATA = Path(os.environ.get("SHEGONG_REPLICA_DATA", f"/tmp/shegong-replica-{PORT}"))  # noqa: S108
LOG = DATA.with_name(DATA.name + ".log")
SUPERUSER = "postgres"
# The primary keeps the WAL its replica has not received yet in this slot, so that a replica
# that falls behind a busy primary catches up instead of finding the WAL recycled. `stop` drops
# it: a stopped replica must not make the primary keep WAL without end.
SLOT = f"shegong_replica_{PORT}"
HBA_LINE = f"host replication {SUPERUSER} 127.0.0.1/32 trust"
# Settings a hot standby must have at least as high as its primary's (it refuses to start else).
AT_LEAST_PRIMARY = [
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
]
WAIT_SECONDS = 120


class ReplicaError(RuntimeError):
    pass


def _as_postgres(args: list[str]) -> list[str]:
    if getpass.getuser() == SUPERUSER:
        return args
    if os.geteuid() != 0:
        raise ReplicaError("run this as root or as the postgres user")
    return ["runuser", "-u", SUPERUSER, "--", *args]


def _run(args: list[str], *, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(_as_postgres(args), capture_output=True, text=True, check=check)


def _sql(port: int, query: str, *, database: str = "postgres") -> str | None:
    """One value from `query` on 127.0.0.1:`port`, or None when the server does not answer."""
    done = subprocess.run(
        [
            str(PG_BIN / "psql"),
            "-X",
            "-At",
            "-h",
            "127.0.0.1" if port == PORT else PRIMARY_HOST,
            "-p",
            str(port),
            "-U",
            SUPERUSER,
            "-d",
            database,
            "-c",
            query,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PGCONNECT_TIMEOUT": "3"},
    )
    return done.stdout.strip() if done.returncode == 0 else None


def _running() -> bool:
    if not (DATA / "PG_VERSION").exists():
        return False
    return _run([str(PG_BIN / "pg_ctl"), "-D", str(DATA), "status"], check=False).returncode == 0


def _primary_ready() -> None:
    if _sql(PRIMARY_PORT, "SELECT 1") != "1":
        raise ReplicaError(f"the primary at {PRIMARY_HOST}:{PRIMARY_PORT} does not answer")
    if _sql(PRIMARY_PORT, "SHOW wal_level") not in {"replica", "logical"}:
        raise ReplicaError("the primary's wal_level must be 'replica' (or 'logical')")
    if int(_sql(PRIMARY_PORT, "SHOW max_wal_senders") or 0) < 2:
        raise ReplicaError("the primary's max_wal_senders must be at least 2")


def _replication_allowed() -> bool:
    rules = _sql(
        PRIMARY_PORT,
        "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NULL AND type = 'host' "
        "AND 'replication' = ANY(database) "
        "AND (user_name @> ARRAY['all'] OR user_name @> ARRAY['postgres']) "
        "AND CASE WHEN address IN ('all', 'samehost', 'samenet') THEN true "
        "WHEN address ~ '^[0-9.]+$' AND netmask ~ '^[0-9.]+$' "
        "THEN ('127.0.0.1'::inet & netmask::inet) = (address::inet & netmask::inet) "
        "ELSE false END",
    )
    return bool(rules) and int(rules) > 0


def _allow_replication(fix: bool) -> None:
    if _replication_allowed():
        return
    hba = _sql(PRIMARY_PORT, "SHOW hba_file")
    if not fix:
        raise ReplicaError(
            f"the primary does not accept replication connections from 127.0.0.1: add\n"
            f"    {HBA_LINE}\n"
            f"to {hba} and reload it (SELECT pg_reload_conf()), or run `start --fix-hba`."
        )
    with open(hba, "a", encoding="utf-8") as handle:  # noqa: PTH123 - root owns the file
        handle.write("\n# Added by shegong bench/replica.py: streaming to the local replica\n")
        handle.write(HBA_LINE + "\n")
    _sql(PRIMARY_PORT, "SELECT pg_reload_conf()")
    for _ in range(20):
        if _replication_allowed():
            print(f"added `{HBA_LINE}` to {hba} and reloaded the primary")
            return
        time.sleep(0.25)
    raise ReplicaError(f"added the replication line to {hba}, but the primary does not take it")


def _configuration() -> str:
    lines = [
        "# Written by shegong bench/replica.py: a hot standby of the local primary.",
        f"port = {PORT}",
        "listen_addresses = '127.0.0.1'",
        f"unix_socket_directories = '{DATA}'",
        "hot_standby = on",
        "hot_standby_feedback = on",  # long reads on the replica do not get cancelled
        "shared_buffers = 128MB",
        "dynamic_shared_memory_type = posix",
        "logging_collector = off",
        "log_line_prefix = '%m [%p] replica '",
    ]
    for name in AT_LEAST_PRIMARY:
        lines.append(f"{name} = {_sql(PRIMARY_PORT, f'SHOW {name}')}")
    return "\n".join(lines) + "\n"


def _build() -> None:
    """A fresh copy of the primary, set up as its standby."""
    if DATA.exists():
        shutil.rmtree(DATA)
    DATA.parent.mkdir(parents=True, exist_ok=True)
    _drop_slot()
    started = time.monotonic()
    print(f"pg_basebackup from {PRIMARY_HOST}:{PRIMARY_PORT} into {DATA} ...", flush=True)
    _run(["mkdir", "-m", "700", str(DATA)])
    done = _run(
        [
            str(PG_BIN / "pg_basebackup"),
            "-h",
            PRIMARY_HOST,
            "-p",
            str(PRIMARY_PORT),
            "-U",
            SUPERUSER,
            "-D",
            str(DATA),
            "-R",  # standby.signal + primary_conninfo (+ primary_slot_name)
            "-C",
            "-S",
            SLOT,
            "-X",
            "stream",
            "-c",
            "fast",
        ],
        check=False,
    )
    if done.returncode != 0:
        raise ReplicaError(f"pg_basebackup failed: {done.stderr.strip()}")
    files = {
        "postgresql.conf": _configuration(),
        "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
        "pg_ident.conf": "",
    }
    for name, text in files.items():
        subprocess.run(
            _as_postgres(["tee", str(DATA / name)]),
            input=text,
            capture_output=True,
            text=True,
            check=True,
        )
    print(f"copied in {time.monotonic() - started:.0f} s", flush=True)


def _drop_slot() -> None:
    _sql(
        PRIMARY_PORT,
        f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "  # noqa: S608
        f"WHERE slot_name = '{SLOT}' AND NOT active",
    )


def _ensure_slot() -> None:
    """The slot for a kept data directory (`stop` dropped it): from the replica's first
    connection on, the primary keeps what it has not received."""
    _sql(
        PRIMARY_PORT,
        f"SELECT pg_create_physical_replication_slot('{SLOT}') WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM pg_replication_slots WHERE slot_name = '{SLOT}')",
    )


def _wait_in_recovery() -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if _sql(PORT, "SELECT pg_is_in_recovery()") == "t":
            return
        time.sleep(0.5)
    raise ReplicaError(f"the replica did not answer in recovery within {WAIT_SECONDS} s; see {LOG}")


def _wait_streaming(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _sql(PORT, "SELECT status FROM pg_stat_wal_receiver") == "streaming":
            return True
        time.sleep(0.5)
    return False


def _pg_ctl_start() -> None:
    done = _run(
        [
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(DATA),
            "-l",
            str(LOG),
            "-w",
            "-t",
            str(WAIT_SECONDS),
            "start",
        ],
        check=False,
    )
    if done.returncode != 0:
        raise ReplicaError(f"the replica did not start: {done.stdout.strip()} (see {LOG})")


def start(*, fix_hba: bool = False) -> None:
    if not (PG_BIN / "pg_basebackup").exists():
        raise ReplicaError(f"PostgreSQL's programs are not in {PG_BIN} (set PG_BIN)")
    _primary_ready()
    if _running():
        if _sql(PORT, "SELECT pg_is_in_recovery()") == "t":
            print(f"the replica is running on port {PORT}, in recovery")
            return
        raise ReplicaError(
            f"a server runs on {DATA} but is not a replica in recovery (promoted?): "
            "`destroy` it, then `start` again"
        )
    _allow_replication(fix_hba)
    usable = (DATA / "PG_VERSION").exists() and (DATA / "standby.signal").exists()
    if usable:
        _ensure_slot()
    else:
        _build()
    _pg_ctl_start()
    _wait_in_recovery()
    if not _wait_streaming(30):
        # Kept from an earlier run, it may need WAL the primary has since recycled.
        print("the kept replica does not stream from the primary: building it afresh", flush=True)
        stop()
        _build()
        _pg_ctl_start()
        _wait_in_recovery()
        if not _wait_streaming(60):
            raise ReplicaError(f"the replica does not stream from the primary; see {LOG}")
    print(f"the replica is running on port {PORT}, in recovery, streaming from the primary")


def stop() -> None:
    if _running():
        _run([str(PG_BIN / "pg_ctl"), "-D", str(DATA), "-m", "fast", "-w", "stop"])
        print("the replica is stopped")
    else:
        print("the replica is not running")
    _drop_slot()


def destroy() -> None:
    stop()
    if DATA.exists():
        shutil.rmtree(DATA)
    LOG.unlink(missing_ok=True)
    print(f"removed {DATA}")


def status() -> int:
    if not _running():
        print(f"the replica is not running (data directory {DATA})")
        return 3
    in_recovery = _sql(PORT, "SELECT pg_is_in_recovery()")
    receiver = _sql(PORT, "SELECT status FROM pg_stat_wal_receiver") or "none"
    replay = _sql(PORT, "SELECT pg_last_wal_replay_lsn()")
    behind = _sql(PRIMARY_PORT, f"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{replay}')")
    print(
        f"the replica is running on port {PORT}: in recovery {in_recovery}, "
        f"WAL receiver {receiver}, replayed up to {replay}, {behind} bytes behind the primary"
    )
    return 0 if in_recovery == "t" else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status", "destroy"])
    parser.add_argument(
        "--fix-hba",
        action="store_true",
        help="add the replication line to the primary's pg_hba.conf and reload it, if missing",
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            start(fix_hba=args.fix_hba)
        elif args.command == "stop":
            stop()
        elif args.command == "destroy":
            destroy()
        else:
            return status()
    except (ReplicaError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", None) or ""
        print(f"replica: {exc} {detail}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

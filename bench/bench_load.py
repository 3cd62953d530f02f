"""Load test (issue 18): the working day of `bench/locustfile.py` against the production server
(gunicorn with deploy/gunicorn.conf.py, shegong.settings.production) and its background worker
on 127.0.0.1, on the national benchmark data set of bench/bench_indicators.py, with 1 and then 2
worker processes; bounded in users and time, it stops by itself.

    python3 -m venv var/locust && var/locust/bin/pip install locust==2.47.0   # the load generator
    .venv/bin/python -m bench.bench_indicators --db postgres --generate   # the data, once
    .venv/bin/python -m bench.bench_load --db postgres --workers 1 2 --users 40 --time 2m

The load generator lives in its own virtual environment (`--locust`), as it would on its own
machine: locust brings `brotli`, and with brotli installed WhiteNoise's collectstatic also
brotli-compresses every static file (270 MB of map data: many minutes more).

Steps: (1) the load-test accounts, made idempotently through the accounts services — national
and provincial leaders (dept_leader, with an authenticator), county staff of 天河区
(dept_staff), station social workers in 天河区's townships each holding due visits (assigned
through people.services.resident_update), an API client's read-only token
(accounts.services.token_create) — and the plan locust reads (accounts, tracking numbers, names
to search); (2) `collectstatic` into one static root kept between runs (var/loadtest/static);
(3) for each worker count: the server and `shegong db_worker`, the load average, locust
headless with CSV output, the CPU seconds used by the web workers, the background worker and
the database during the run; (4) where the time goes on the slowest pages: each timed in this
process through Django's test client as the same account, with the time spent in the database
and the number of queries; (5) bench/results/load.json and docs/performance/load.md.

`--db` picks a database as bench_indicators does (`--scale small` for its 2 % data set), or
`--database-url` any other. The field key is the one the data were made with (local settings
keep it in var/field.key; `--field-key-file`).
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = REPO / "var" / "loadtest"
RESULTS = REPO / "bench" / "results" / "load.json"
REPORT = REPO / "docs" / "performance" / "load.md"
# ---- (2)-(3) server, worker, locust ------------------------------------------------------------


def server_env(database_url: str, field_key: str, port: int, workers: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROMETHEUS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="shegong.settings.production",
        DATABASE_URL=database_url,
        DB_CONN_MAX_AGE="60",
        SECRET_KEY=secrets.token_urlsafe(60),
        SHEGONG_FIELD_KEY=field_key,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        ALLOWED_HOSTS="127.0.0.1",
        SHEGONG_VAR_DIR=str(VAR),
        SHEGONG_STATIC_ROOT=str(VAR / "static"),
        SHEGONG_BIND=f"127.0.0.1:{port}",
        SHEGONG_TRUSTED_PROXIES="127.0.0.1/32",  # locust's public visitors come "through" one
        WEB_CONCURRENCY=str(workers),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(REPO / "src"),
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    manifest = VAR / "static" / "staticfiles.json"
    if manifest.exists():
        return
    print("collectstatic (once; kept in var/loadtest/static)", flush=True)
    subprocess.run([str(BIN / "shegong"), "collectstatic", "--noinput", "-v0"], env=env, check=True)


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - 127.0.0.1
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds used) of a live process, from /proc (Linux)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _cmdline(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


class CpuMeter:
    """CPU seconds used during the run by the web processes, the background worker and the
    database backends of this database (sampled twice a second, so processes born during the
    run count too)."""

    def __init__(self, roots: dict[str, int], database: str) -> None:
        self.roots = roots
        self.database = database
        self.start: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self, first: bool = False) -> None:
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and (stat := _proc_stat(int(entry.name))) is not None:
                stats[int(entry.name)] = stat
        labels = {pid: label for label, pid in self.roots.items()}
        for pid, (ppid, used) in stats.items():
            label = labels.get(pid) or labels.get(ppid)
            if label is None:
                cmd = _cmdline(pid)
                if not (cmd.startswith("postgres:") and f" {self.database} " in cmd):
                    continue
                label = "database"
            if first:
                self.start[pid] = used
            self.start.setdefault(pid, 0.0)  # born during the run: all of its time counts
            self.last[pid] = (label, used)

    def _loop(self) -> None:
        while not self.stop.wait(0.5):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self._sample(first=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()

    def seconds(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for pid, (label, used) in self.last.items():
            out[label] = out.get(label, 0.0) + max(0.0, used - self.start.get(pid, 0.0))
        return {k: round(v, 1) for k, v in sorted(out.items())}


def run_once(args, env: dict[str, str], workers: int, port: int, database: str) -> dict:
    env = {**env, "WEB_CONCURRENCY": str(workers)}
    log_dir = VAR / f"w{workers}"
    log_dir.mkdir(parents=True, exist_ok=True)
    web_log = (log_dir / "web.log").open("w")
    worker_log = (log_dir / "worker.log").open("w")
    web = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(REPO / "deploy" / "gunicorn.conf.py")],
        env=env,
        cwd=REPO,
        stdout=web_log,
        stderr=subprocess.STDOUT,
    )
    tasks = subprocess.Popen(
        [str(BIN / "shegong"), "db_worker", "--no-reload"],
        env=env,
        cwd=REPO,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if _get(f"{base}/healthz") == 200:
                break
            if web.poll() is not None:
                raise SystemExit((log_dir / "web.log").read_text()[-3000:])
            time.sleep(0.5)
        else:
            raise SystemExit("the server did not answer /healthz")
        for path in ("/", "/portal/", "/accounts/login/"):  # each worker imports its modules
            for _ in range(workers):
                _get(base + path)
        time.sleep(2)
        load_before = [round(x, 2) for x in os.getloadavg()]
        prefix = log_dir / "locust"
        command = [
            args.locust,
            "-f",
            str(REPO / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            args.time,
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
        ]
        print(f"workers={workers}: load average {load_before}; {' '.join(command)}", flush=True)
        started = time.perf_counter()
        with CpuMeter({"web": web.pid, "background worker": tasks.pid}, database) as cpu:
            done = subprocess.run(
                command,
                env={**os.environ, "SHEGONG_LOAD_PLAN": str(VAR / "plan.json")},
                cwd=REPO,
                capture_output=True,
                text=True,
            )
        wall = time.perf_counter() - started
        load_after = [round(x, 2) for x in os.getloadavg()]
        (log_dir / "locust.out").write_text(done.stdout + done.stderr)
    finally:
        for proc in (tasks, web):
            proc.send_signal(signal.SIGTERM)
        for proc in (tasks, web):
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        web_log.close()
        worker_log.close()
    pages, total = _stats(Path(f"{prefix}_stats.csv"))
    failures = _failures(Path(f"{prefix}_failures.csv"))
    server_errors = [
        line for line in (log_dir / "web.log").read_text().splitlines() if '"status": 5' in line
    ]
    return {
        "workers": workers,
        "users": args.users,
        "spawn_rate": args.spawn_rate,
        "duration": args.time,
        "wall_seconds": round(wall, 1),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "locust_exit": done.returncode,
        "total": total,
        "pages": pages,
        "failures": failures,
        "server_5xx_lines": len(server_errors),
        "cpu_seconds": cpu.seconds(),
    }


def _stats(path: Path) -> tuple[list[dict], dict]:
    rows = list(csv.DictReader(path.open()))

    def row(r: dict) -> dict:
        def num(key: str) -> float:
            value = r.get(key) or "0"
            return 0.0 if value == "N/A" else float(value)

        return {
            "method": r["Type"],
            "page": r["Name"],
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "rps": round(num("Requests/s"), 2),
            "p50_ms": num("50%"),
            "p95_ms": num("95%"),
            "p99_ms": num("99%"),
            "mean_ms": round(num("Average Response Time"), 1),
        }

    pages = [row(r) for r in rows if r["Name"] != "Aggregated"]
    total = next((row(r) for r in rows if r["Name"] == "Aggregated"), {})
    return sorted(pages, key=lambda p: p["page"]), total


def _failures(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [
        {"page": r["Name"], "error": r["Error"][:300], "occurrences": int(r["Occurrences"])}
        for r in csv.DictReader(path.open())
    ]


# ---- (4) where the time goes -------------------------------------------------------------------


class DbTime:
    """Time spent inside the database driver, and the statements run."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.n += 1


def breakdown(plan: dict, runs: list[dict], *, slowest: int = 6) -> list[dict]:
    """The slowest pages (by p95 of the last run), each requested in this process as the same
    kind of account: total, database and the rest (Python: middleware, scoping, rendering)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from shegong.accounts.models import Membership, User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    pages = sorted(
        (p for p in runs[-1]["pages"] if p["method"] == "GET" and p["requests"] >= 3),
        key=lambda p: -p["p95_ms"],
    )
    urls = {
        "leader: indicators dashboard": ("leader", "/indicators/dashboard/"),
        "leader: indicators pivot": ("leader", "/indicators/pivot/"),
        "leader: reports": ("leader", "/indicators/reports/"),
        "leader: overdue visits roll-up": ("leader", "/people/visits/overdue/"),
        "leader: matters analysis": ("leader", "/petitions/analysis/"),
        "staff: matters list": ("staff", "/petitions/"),
        "staff: matters overdue": ("staff", "/petitions/?view=overdue"),
        "staff: matters awaiting follow-up": ("staff", "/petitions/?view=followup"),
        "staff: residents searched": ("staff", f"/people/?q={plan['names'][0]}"),
        "worker: due visits": ("worker", "/people/visits/mine/"),
        "public: portal home": (None, "/portal/"),
        "public: sites": (None, "/portal/sites/"),
        "public: activities": (None, "/portal/activities/"),
        "public: statistics": (None, "/portal/stats/"),
        "api: residents list": ("api", "/api/v1/people/residents?page=3"),
        "api: matters list": ("api", "/api/v1/petitions/matters?page=3"),
    }
    clients: dict = {}

    def client_for(role):
        if role in clients:
            return clients[role]
        client = Client()
        if role == "api":
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plan['api_token']}"
        elif role is not None:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            user = User.objects.get(username=plan["accounts"][role][0]["username"])
            client.force_login(user)
            session = client.session
            session["active_membership_id"] = Membership.objects.filter(user=user).first().pk
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is not None:
                session["otp_device_id"] = device.persistent_id
            session.save()
        clients[role] = client
        return client

    out = []
    for page in pages:
        if page["page"] not in urls or len(out) >= slowest:
            continue
        role, url = urls[page["page"]]
        client = client_for(role)
        status = client.get(url).status_code  # warm
        samples = []
        for _ in range(5):
            db = DbTime()
            with connection.execute_wrapper(db):
                started = time.perf_counter()
                client.get(url)
                total = time.perf_counter() - started
            samples.append((total, db.seconds, db.n))
        samples.sort()
        total, db_seconds, queries = samples[len(samples) // 2]
        out.append(
            {
                "page": page["page"],
                "url": re.sub(r"q=[^&]+", "q=<name>", url),
                "status": status,
                "load_p95_ms": page["p95_ms"],
                "alone_ms": round(total * 1000, 1),
                "db_ms": round(db_seconds * 1000, 1),
                "python_ms": round((total - db_seconds) * 1000, 1),
                "queries": queries,
            }
        )
    return out


# ---- (5) report --------------------------------------------------------------------------------


def report(result: dict) -> None:
    m = result["machine"]
    sizes = ", ".join(f"{k} {v:,}" for k, v in result["sizes"].items())
    lines = [
        "# Performance: load test (压力测试)",
        "",
        "Measured by `.venv/bin/python -m bench.bench_load "
        + result["arguments"]
        + "` (bench/bench_load.py, scenario bench/locustfile.py): gunicorn with",
        "deploy/gunicorn.conf.py and `shegong.settings.production` (persistent database",
        "connections, `DB_CONN_MAX_AGE=60`), `shegong db_worker`, PostgreSQL and locust all on the",
        "same machine (127.0.0.1), with the mix of a working day: station social workers (due",
        "visits, resident page, visit form and POST), county staff (matters lists, matter page,",
        "follow-up POST, residents search and page), leaders (indicators dashboard, pivot, reports,",
        "overdue-visits roll-up, matters analysis), the public (portal pages, petition form,",
        "public tracking) and an API client with a token (residents and matters, lists and reads).",
        "Times in ms as seen by locust (client side). The setup computes the indicators cache",
        "for the twelve last months when it lacks them, as the night job would have: in a first",
        "run (2026-12-07) with only one month cached, the national dashboard computed the eleven",
        "others while the leader waited, past gunicorn's 60 s timeout (its worker killed, a 500).",
        "",
        f"{m['date']}, {m['cpus']} CPUs shared with the load generator and the database, Python "
        f"{m['python']}, {m['database']}. Rows: {sizes}.",
        "",
    ]
    for run in result["runs"]:
        t = run["total"]
        cpu = ", ".join(f"{k} {v} s" for k, v in run["cpu_seconds"].items())
        lines += [
            f"## {run['workers']} worker process{'es' if run['workers'] > 1 else ''}",
            "",
            f"{run['users']} simulated users (spawned {run['spawn_rate']}/s), {run['duration']}: "
            f"**{t['rps']} requests/s**, {t['requests']:,} requests, **{t['failures']} errors** "
            f"({run['server_5xx_lines']} server errors in the log); overall p50 {t['p50_ms']:.0f} "
            f"ms, p95 {t['p95_ms']:.0f} ms, p99 {t['p99_ms']:.0f} ms. Load average "
            f"{' / '.join(map(str, run['load_average_before']))} before, "
            f"{' / '.join(map(str, run['load_average_after']))} after. CPU used during the "
            f"run: {cpu}.",
            "",
            "| page | requests | req/s | p50 | p95 | p99 | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {p['page']} ({p['method']}) | {p['requests']} | {p['rps']} | {p['p50_ms']:.0f} "
            f"| {p['p95_ms']:.0f} | {p['p99_ms']:.0f} | {p['failures']} |"
            for p in run["pages"]
        ]
        if run["failures"]:
            lines += ["", "Errors:", ""]
            lines += [f"- {f['page']}: {f['error']} × {f['occurrences']}" for f in run["failures"]]
        lines.append("")
    if result.get("breakdown"):
        lines += [
            "## Where the time goes",
            "",
            "The slowest pages of the last run, each requested alone in one process as the same",
            "kind of account (median of 5 after a warm-up): the time inside the database driver",
            "(queries and fetching rows) and the rest (Python: middleware, scoping, forms,",
            "templates).",
            "",
            "| page | p95 under load | alone | database | Python | queries |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {b['page']} | {b['load_p95_ms']:.0f} | {b['alone_ms']} | {b['db_ms']} | "
            f"{b['python_ms']} | {b['queries']} |"
            for b in result["breakdown"]
        ]
        lines.append("")
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def _sizes() -> dict[str, int]:
    from django.db import connection

    tables = {
        "residents": "people_resident",
        "visits": "people_visit",
        "matters": "petitions_matter",
        "service records": "volunteers_servicerecord",
    }
    sizes = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{table}'")  # noqa: S608
            row = cursor.fetchone()
            sizes[label] = int(row[0]) if row else -1
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["postgres"], default="postgres")
    parser.add_argument("--scale", choices=["national", "small"], default="national")
    parser.add_argument("--database-url", help="another PostgreSQL database than --db/--scale's")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--time", default="2m", help="locust's --run-time of each run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--field-key-file", default=str(REPO / "var" / "field.key"))
    parser.add_argument(
        "--locust",
        default=str(REPO / "var" / "locust" / "bin" / "locust"),
        help="locust in its own virtual environment (see the module's docstring)",
    )
    parser.add_argument("--setup-only", action="store_true")
    args = parser.parse_args(argv)

    from bench.bench_indicators import url_of

    database_url = args.database_url or url_of(args.db, args.scale)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    key_file = Path(args.field_key_file)
    field_key = os.environ.get("SHEGONG_FIELD_KEY") or (
        key_file.read_text().strip() if key_file.exists() else ""
    )
    if not field_key:
        field_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    os.environ["SHEGONG_FIELD_KEY"] = field_key
    import django

    django.setup()
    from bench.load_setup import setup
    from bench.timing import machine

    plan = setup()
    if args.setup_only:
        return
    env = server_env(database_url, field_key, args.port, args.workers[0])
    collectstatic(env)
    database = database_url.rsplit("/", 1)[-1]
    runs = [run_once(args, env, w, args.port, database) for w in args.workers]
    for run in runs:
        t = run["total"]
        print(
            f"workers={run['workers']}: {t['rps']} req/s, {t['requests']} requests, "
            f"{t['failures']} failures, p95 {t['p95_ms']} ms, cpu {run['cpu_seconds']}",
            flush=True,
        )
    arguments = " ".join(
        ["--db postgres"]
        + ["--scale small"] * (args.scale == "small")
        + [f"--workers {' '.join(map(str, args.workers))}", f"--users {args.users}"]
        + [f"--spawn-rate {args.spawn_rate:g}", f"--time {args.time}"]
    )
    result = {
        "machine": machine(),
        "arguments": arguments,
        "sizes": _sizes(),
        "runs": runs,
        "breakdown": breakdown(plan, runs),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[args.scale] = result
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    if args.scale == "national" and not args.database_url:
        report(result)
    else:
        print(json.dumps(result["breakdown"], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

"""Directives benchmark: a national cascade and the national roll-up page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python -m bench.bench_directives
    .venv/bin/python -m bench.bench_directives --db sqlite|postgres [--stepwise] [--runs 10]

On the bench foundation (bench/synth.py: a social work department for the nation, every
province, city and county, and a station in every township; generated here if missing):

- *one-act national cascade*: the centre issues a directive to every province and sends it on
  through every city and county to every township station in one act
  (`directive_issue(level=1, through_level=4)`): time and number of SQL statements;
- *stepwise cascade* (`--stepwise`): the centre issues to every province, then every province,
  city and county acknowledges its copy and cascades it to its subordinates, each through
  `target_acknowledge` and `target_cascade` as a person would: total time, and statements per
  cascade (bounded whatever the number of receiving units);
- *roll-up*: the selector for the centre, a province and a county, and the directive page
  (in-process through Django, and over HTTP to a server process when `--http`).

Writes bench/results/directives.json and docs/performance/directives.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "directives.json"
REPORT = REPO / "docs" / "performance" / "directives.md"
URLS = {
    "sqlite": f"sqlite:///{REPO / 'var' / 'bench_directives.sqlite3'}",
    "postgres": "postgres://postgres@127.0.0.1:5432/wt_directives_bench",
}
MARKER = "（合成）"


def setup(db: str | None) -> None:
    if db and "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = URLS[db]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()


def timed(fn, runs: int, warmup: int = 1) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 1),
        "runs": runs,
    }


def counted(fn):
    """`(result, seconds, statements)` of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - t
    statements = [
        q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    return result, seconds, len(statements)


def user_of(unit):
    from shegong.accounts.models import Membership

    membership = (
        Membership.objects.unscoped(reason="bench")
        .filter(organisation=unit, is_active=True)
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        raise SystemExit(f"no member for {unit}")
    user = membership.user
    user.active_membership = membership
    return user


def leading(code: str):
    from shegong.orgs.models import Organisation

    return (
        Organisation.objects.unscoped(reason="bench")
        .filter(region_id=code, kind="sw_department", is_active=True)
        .order_by("id")
        .first()
    )


def ensure_foundation() -> None:
    from shegong.orgs.models import Organisation

    if (
        not Organisation.objects.unscoped(reason="bench")
        .filter(region_id="000000000000", kind="sw_department")
        .exists()
    ):
        from bench.synth import generate_foundation

        generate_foundation(scale="national", stdout=sys.stdout)


def one_act(central) -> dict:
    from django.db.models import Count

    from shegong.directives import services
    from shegong.directives.models import DirectiveTarget

    directive, seconds, statements = counted(
        lambda: services.directive_issue(
            acting_user=central,
            title=f"全国一次下发至社工站（基准 {datetime.now():%H%M%S}）",
            level=1,
            through_level=4,
            due_days=30,
        )
    )
    copies = DirectiveTarget.objects.unscoped(reason="bench").filter(directive=directive)
    by_level = dict(copies.values("level").annotate(n=Count("id")).values_list("level", "n"))
    print(f"one act: {sum(by_level.values())} copies in {seconds:.1f} s, {statements} statements")
    return {
        "directive": directive.pk,
        "seconds": round(seconds, 2),
        "statements": statements,
        "copies": sum(by_level.values()),
        "by_level": {str(k): v for k, v in sorted(by_level.items())},
    }


def stepwise(central) -> dict:
    from shegong.directives import services
    from shegong.directives.models import DirectiveTarget

    started = time.perf_counter()
    directive, seconds, statements = counted(
        lambda: services.directive_issue(
            acting_user=central, title="全国逐级转发（基准）", level=1, due_days=30
        )
    )
    per_cascade = []
    for level in (1, 2, 3):
        copies = list(
            DirectiveTarget.objects.unscoped(reason="bench")
            .filter(directive=directive, level=level)
            .select_related("unit")
        )
        for copy in copies:
            user = user_of(copy.unit)
            services.target_acknowledge(target=copy, acting_user=user)
            copy.refresh_from_db()
            try:
                _r, _s, n = counted(
                    lambda copy=copy, user=user, level=level: services.target_cascade(
                        target=copy, acting_user=user, level=level + 1
                    )
                )
                per_cascade.append(n)
            except Exception as exc:  # a unit with no subordinate units (a few regions)
                print(f"  {copy.unit.name}: {exc}")
        print(
            f"  level {level}: {len(copies)} units cascaded, {time.perf_counter() - started:.0f} s"
        )
    total = DirectiveTarget.objects.unscoped(reason="bench").filter(directive=directive).count()
    return {
        "directive": directive.pk,
        "seconds": round(time.perf_counter() - started, 1),
        "copies": total,
        "cascades": len(per_cascade),
        "issue_statements": statements,
        "statements_per_cascade_max": max(per_cascade) if per_cascade else 0,
        "statements_per_cascade_median": statistics.median(per_cascade) if per_cascade else 0,
    }


def rollups(directive_id: int, runs: int, http: bool) -> dict:
    from django.db import connection

    from bench.bench_people import client_for
    from shegong.directives import selectors
    from shegong.directives.models import Directive

    directive = Directive.objects.unscoped(reason="bench").get(pk=directive_id)
    ops = {}
    central = user_of(leading("000000000000"))
    for label, prefix in (
        ("全国（按省）", ""),
        ("广东省（按市）", "44"),
        ("天河区（按社工站）", "440106"),
    ):
        r = timed(
            lambda p=prefix: selectors.rollup(fetched_by=central, directive=directive, prefix=p),
            runs,
        )
        rows = selectors.rollup(fetched_by=central, directive=directive, prefix=prefix)
        r["rows"] = len(rows["rows"])
        r["copies"] = rows["totals"]["total"]
        ops[f"roll-up selector: {label}"] = r
    client = client_for(central)
    path = f"/directives/{directive_id}/"
    host = {"HTTP_HOST": "localhost"}
    _resp, _s, statements = counted(lambda: client.get(path, **host))
    page = timed(lambda: client.get(path, **host), runs)
    status = client.get(path, **host).status_code
    page.update({"status": status, "statements": statements})
    ops["directive page with national roll-up (in-process)"] = page
    ops["roll-up fragment, drilled into 广东 (in-process)"] = timed(
        lambda: client.get(f"/directives/{directive_id}/rollup/?region=44", **host), runs
    )
    if http:
        from bench.bench_speed import Server, session_cookie

        cookie = session_cookie(client)
        connection.close()
        server = Server()
        try:

            def get():
                code, _body = server.request(
                    "GET", path, headers={"Cookie": cookie, "Host": "localhost"}
                )
                if code != 200:
                    raise RuntimeError(f"HTTP {code}")

            ops["directive page with national roll-up (HTTP)"] = timed(get, runs, warmup=2)
        finally:
            server.stop()
    # The GROUP BY itself, as SQL.
    from django.db.models import Count
    from django.db.models.functions import Substr

    from shegong.directives.models import DirectiveTarget

    qs = (
        DirectiveTarget.objects.unscoped(reason="bench")
        .filter(directive_id=directive_id)
        .annotate(child=Substr("region_code", 1, 2))
        .values("child")
        .annotate(n=Count("id"))
        .order_by()
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
        cursor.execute(prefix + sql, params)
        ops["_explain"] = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
    return ops


def machine_facts() -> str:
    from bench.timing import machine

    facts = machine()
    return " ".join(f"{k}={v}" for k, v in facts.items() if k != "date")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=sorted(URLS), default=None)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--stepwise", action="store_true")
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--rollup-only", type=int, default=0, help="an existing directive id")
    args = parser.parse_args()
    setup(args.db)
    from django.db import connection

    ensure_foundation()
    load_before = [round(x, 2) for x in os.getloadavg()]
    central = user_of(leading("000000000000"))
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "database": machine_facts(),
        "cpus": os.cpu_count(),
        "load_before": load_before,
    }
    if args.rollup_only:
        directive_id = args.rollup_only
    else:
        result["one_act"] = one_act(central)
        directive_id = result["one_act"]["directive"]
    if args.stepwise:
        result["stepwise"] = stepwise(central)
    result["rollup"] = rollups(directive_id, args.runs, args.http)
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, ensure_ascii=False, indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous = stored.get(connection.vendor, {})
    for key in ("one_act", "stepwise"):
        if key not in result and key in previous:
            result[key] = previous[key]  # a roll-up-only run keeps the cascade figures
    stored[connection.vendor] = result
    RESULTS.write_text(json.dumps(stored, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

"""Benchmark the foundation's pages and API at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shegong_bench .venv/bin/python -m bench.synth --only foundation
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shegong_bench .venv/bin/python -m bench.bench_foundation

Times (server side, in-process, median of N) the organisation list for a county, a province and
the centre, the region page with per-child counts, and the API list — each beside the raw SQL of
its main query. Writes bench/results/foundation-<db>.json and docs/performance/foundation-<db>.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from bench.timing import explain, machine, measure, raw_sql
    from shegong.accounts.models import Membership
    from shegong.orgs.models import Organisation

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    org_count = Organisation.objects.count()

    def client_for(region_code: str) -> Client:
        membership = (
            Membership.objects.filter(
                organisation__region_id=region_code, organisation__kind="sw_department"
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            org, _ = Organisation.objects.get_or_create(
                name=f"bench dept {region_code}", kind="sw_department", region_id=region_code
            )
            from shegong.accounts.models import User

            user, _ = User.objects.get_or_create(username=f"bench{region_code}")
            membership, _ = Membership.objects.get_or_create(
                user=user, organisation=org, role="dept_leader"
            )
        membership.role = "dept_leader"
        membership.save(update_fields=["role"])
        client = Client()
        client.force_login(membership.user)
        session = client.session
        session["active_membership_id"] = membership.pk
        session.save()
        return client

    results: dict[str, dict] = {}
    cases = [
        ("county 440106", "440106000000", "440106"),
        ("province 44", "440000000000", "44"),
        ("centre", "000000000000", ""),
    ]
    for label, code, prefix in cases:
        client = client_for(code)
        low, high = prefix.ljust(12, "0"), prefix.ljust(12, "9")
        sql = (
            "SELECT * FROM orgs_organisation WHERE region_id >= %s AND region_id <= %s "
            "ORDER BY region_id, name, id LIMIT 25"
        )
        count_sql = (
            "SELECT COUNT(*) FROM orgs_organisation WHERE region_id >= %s AND region_id <= %s"
        )
        results[f"organisation list page, {label}"] = {
            **measure(lambda c=client: c.get("/orgs/")),
            "raw_sql": measure(
                lambda s=sql, c=count_sql, lo=low, hi=high: (
                    raw_sql(s, [lo, hi])(),
                    raw_sql(c, [lo, hi])(),
                )
            ),
            "plan": explain(sql, [low, high]),
        }
        results[f"organisation API list, {label}"] = measure(
            lambda c=client: c.get("/api/v1/orgs/")
        )
        results[f"region page with child counts, {label}"] = measure(
            lambda c=client, r=code: c.get(f"/regions/{r}/")
        )
        results[f"organisation search by name, {label}"] = measure(
            lambda c=client: c.get("/orgs/?q=天河")
        )
    facts = machine()
    vendor = connection.vendor
    out = {"machine": facts, "organisations": org_count, "results": results}
    (REPO / "bench" / "results").mkdir(exist_ok=True)
    (REPO / "bench" / "results" / f"foundation-{vendor}.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=2)
    )
    lines = [
        f"### Foundation on {facts['database']} ({org_count:,} organisations)",
        "",
        f"{facts['date']}, {facts['cpus']} CPUs, Python {facts['python']}. Server time measured in-process "
        "with Django's test client (full middleware, scoping, template rendering), median and p95 of 15 runs; "
        "raw SQL = the page's main query (page of 25 + count) run directly.",
        "",
        "| operation | median ms | p95 ms | raw SQL median ms |",
        "|---|---:|---:|---:|",
    ]
    for name, r in results.items():
        raw = r.get("raw_sql", {}).get("median_ms", "")
        lines.append(f"| {name} | {r['median_ms']} | {r['p95_ms']} | {raw} |")
    plan = results["organisation list page, province 44"]["plan"]
    lines += ["", "Plan of the province list query:", "", "```", plan, "```", ""]
    path = REPO / "docs" / "performance" / f"foundation-{vendor}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

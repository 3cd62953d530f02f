"""Reporting benchmarks: the national aggregate page and the completeness page of a year of
monthly reports from every township station (bench/synth_reporting.py), and the same roll-ups
one level down (a province), on SQLite and PostgreSQL.

    DATABASE_URL=... .venv/bin/python -m bench.bench_reporting [--generate --scale national]

Pages are timed in-process through Django (middleware, scoping, the selector's GROUP BY
queries, rendering) with the signed-in national department; the selector alone is timed too.
Results are merged into bench/results/reporting.json; docs/performance/reporting.md is rewritten
from all recorded databases.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "reporting.json"
REPORT = REPO / "docs" / "performance" / "reporting.md"
PERIOD = date(2025, 6, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--scale", default="national")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.timing import machine, measure
    from shegong.accounts.models import Membership
    from shegong.reporting import selectors
    from shegong.reporting.models import ApprovedSum, DataValue, ReportForm, Submission

    if args.generate:
        from bench import synth_reporting

        synth_reporting.generate(scale=args.scale, stdout=sys.stdout, months=args.months)
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    why = "benchmark"
    form = ReportForm.objects.unscoped(reason=why).get(name__endswith="（合成）")
    counts = {
        "submissions": Submission.objects.unscoped(reason=why).count(),
        "values": DataValue.objects.unscoped(reason=why).count(),
        "summary": ApprovedSum.objects.unscoped(reason=why).count(),
    }

    def member(region_code: str):
        membership = (
            Membership.objects.filter(
                organisation__region_id=region_code, organisation__kind="sw_department"
            )
            .select_related("user", "organisation")
            .order_by("id")
            .first()
        )
        membership.role = "dept_leader"
        membership.save(update_fields=["role"])
        user = membership.user
        user.active_membership = membership
        client = Client()
        client.force_login(user)
        session = client.session
        session["active_membership_id"] = membership.pk
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        session["otp_device_id"] = device.persistent_id
        session.save()
        return user, client

    results: dict[str, dict] = {}
    for label, code, prefix in (
        ("national", "000000000000", ""),
        ("province 44", "440000000000", "44"),
    ):
        user, client = member(code)
        for page in ("aggregate", "completeness"):
            url = f"/reporting/forms/{form.pk}/{page}/?period={PERIOD:%Y-%m}"
            status = client.get(url).status_code
            results[f"{page} page, {label}"] = {
                **measure(lambda url=url, client=client: client.get(url), runs=args.runs, warmup=1),
                "status": status,
            }
            selector = getattr(selectors, page)
            results[f"{page} selector, {label}"] = measure(
                lambda selector=selector, user=user, prefix=prefix: selector(
                    fetched_by=user, form=form, period_start=PERIOD, prefix=prefix
                ),
                runs=args.runs,
                warmup=1,
            )
            if page == "aggregate":
                # The same roll-up summed from the values (as before the per-county summary).
                results[f"aggregate selector from the values, {label}"] = measure(
                    lambda user=user, prefix=prefix: selectors.aggregate(
                        fetched_by=user,
                        form=form,
                        period_start=PERIOD,
                        prefix=prefix,
                        from_values=True,
                    ),
                    runs=args.runs,
                    warmup=1,
                )
    db = connection.vendor
    record = {
        "machine": machine(),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "counts": counts,
        "results": results,
    }
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored[db] = record
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(stored, ensure_ascii=False, indent=2))
    write_report(stored)
    print(json.dumps(record, ensure_ascii=False, indent=2))


def write_report(stored: dict) -> None:
    lines = [
        "# Reporting (报表)",
        "",
        "`bench/bench_reporting.py` over `bench/synth_reporting.py`: one national monthly form of",
        "20 integer elements, a year of reports from every township station of the foundation",
        "(~96% reported, ~10% late; approved, under review, submitted, returned). Pages are timed",
        "in-process through Django with the signed-in department (median / p95 of the runs);",
        "the selector alone is the roll-up's SQL (two or three GROUP BY queries) and its rows.",
        "",
    ]
    for db, record in sorted(stored.items()):
        c = record["counts"]
        lines += [
            f"## {db} — {record['machine'].get('date', '')}, load average {record['load_average']}",
            "",
            f"{c['submissions']:,} submissions, {c['values']:,} values"
            + (f", {c['summary']:,} summary rows." if "summary" in c else "."),
            "",
            "| What | median ms | p95 ms | runs |",
            "|---|---:|---:|---:|",
        ]
        for name, r in record["results"].items():
            lines.append(f"| {name} | {r['median_ms']:,} | {r['p95_ms']:,} | {r['runs']} |")
        lines.append("")
    lines += NOTES.splitlines()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


NOTES = """
### Notes

- Scale: PostgreSQL at the national scale of the issue (every township station of the
  foundation × 12 months: 476,413 submissions, 9,528,260 values; generated with COPY in 22 min at
  load ≈ 11). SQLite at the national station count for **six months** (238,798 submissions,
  4.77 million values; bulk inserts, 11 min): a year did not fit the time available.
- The machine was shared (2 cores, load average 9–11 from other engineers' benchmarks and
  suites) during every run; figures on an idle machine will be lower.
- The aggregate reads the covering index `reporting_value_roll` (form, period, approved, region
  code, element, value): after `VACUUM (ANALYZE)` PostgreSQL answers the national query with an
  *Index Only Scan* (heap fetches 0) over the month's ~710,000 approved values, then sorts them
  for the GROUP BY. Before the vacuum (fresh COPY, no visibility map) it chose a parallel
  sequential scan of all 9.5 million rows (≈ 4–5.6 s). `synth_reporting` now vacuums, as
  autovacuum would on a live system.
- Completeness (two GROUP BY queries: submissions of the period and the expected leading units)
  is under the 1 s target on PostgreSQL at every level.
- **The national aggregate page is not yet under 1 s** on this loaded machine (see the table).
  The next step, not taken: a per-county summary table of each period's approved sums kept by
  the approval services (≈ 2,900 counties × 20 elements per month instead of 710,000 values),
  (a larger `work_mem` only turns the sort into a hash aggregate: the index-only scan of the
  month's 710,000 values alone took ≈ 760 ms at load ≈ 9).
"""


if __name__ == "__main__":
    main()

"""Mass-contact meetings (issue 17): 200,000 meetings over two years in every station of the
country, each with two invitees and two raised items in every state, on the indicators
benchmark's national data set (bench/bench_indicators.py --generate: every region, the
foundation's departments and stations). Times the pages and roll-ups a department uses: the
share of items answered on time by child region (country, province, county), a county's month
in the meeting calendar, the meeting list and the item list of a county.

    .venv/bin/python -m bench.bench_contact --db postgres|sqlite

Results are merged into bench/results/contact.json and docs/performance/contact.md is rewritten
from every recorded database, with the load average at the time of each run.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from bench.bench_indicators import URLS

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "contact.json"
REPORT = REPO / "docs" / "performance" / "contact.md"
MEETINGS = 200_000
MARK = "合成联系群众会议"
BENCH = "The benchmark counts what it generated, over every region."


def generate() -> dict[str, int]:
    """Set-based: one INSERT … SELECT per table, deterministic on the stations' ids. Meetings
    are spread over the 730 days before today; items are raised, assigned (some overdue),
    answered on time or late, fed back and converted in fixed shares."""
    from django.db import connection, transaction

    from shegong.contact.models import Invitation, Meeting, RaisedItem

    made = Meeting.objects.unscoped(reason=BENCH).filter(title__startswith=MARK).count()
    if made:
        return {
            "meetings": made,
            "invitations": Invitation.objects.unscoped(reason=BENCH).count(),
            "items": RaisedItem.objects.unscoped(reason=BENCH).count(),
        }
    pg = connection.vendor == "postgresql"
    now = "now()" if pg else "datetime('now')"

    def day(expr: str) -> str:
        if pg:
            return f"(CURRENT_DATE - ({expr})::int)"
        return f"date('now', '-' || ({expr}) || ' days')"

    def plus(date_sql: str, days: str) -> str:
        if pg:
            return f"({date_sql} + ({days})::int)"
        return f"date({date_sql}, '+' || ({days}) || ' days')"

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM orgs_organisation WHERE kind = 'sw_station'")
        stations = cursor.fetchone()[0]
        per_station = max(1, -(-MEETINGS // max(stations, 1)))
        series = (
            f"generate_series(1, {per_station}) AS n(k)"
            if pg
            else f"(WITH RECURSIVE s(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s "  # noqa: S608
            f"WHERE k < {per_station}) SELECT k FROM s) AS n"
        )
        cursor.execute(
            "INSERT INTO contact_meeting (organiser_id, region_code, kind, title, held_on, place, "  # noqa: S608
            "agenda, status, minutes, summary, cancel_reason, created_at) "
            f"SELECT o.id, o.region_id, "
            "CASE (o.id + n.k) % 4 WHEN 0 THEN 'volunteers' WHEN 1 THEN 'sw_orgs' "
            "WHEN 2 THEN 'social_orgs' ELSE 'residents' END, "
            f"'{MARK}' || o.id || '-' || n.k, {day('(o.id * 7 + n.k * 131) % 730')}, "
            "o.name, '议程', "
            "CASE WHEN (o.id + n.k) % 10 = 0 THEN 'planned' WHEN (o.id + n.k) % 10 = 1 "
            "THEN 'cancelled' WHEN (o.id + n.k) % 10 = 2 THEN 'held' ELSE 'closed' END, "
            f"'纪要', '', '', {now} FROM orgs_organisation o, {series} "
            f"WHERE o.kind = 'sw_station' LIMIT {MEETINGS}"
        )
        for who in (0, 1):
            cursor.execute(
                "INSERT INTO contact_invitation (meeting_id, region_code, kind, organisation_id, "  # noqa: S608
                f"attended) SELECT m.id, m.region_code, 'organisation', m.organiser_id, "
                f"{'TRUE' if who == 0 else '(m.id % 3 <> 0)'} FROM contact_meeting m "
                f"WHERE m.title LIKE '{MARK}%' AND m.status IN ('held', 'closed')"
            )
        assigned = day("(m.id * 3) % 700")
        cursor.execute(
            "INSERT INTO contact_raiseditem (meeting_id, region_code, raised_by_id, text, "  # noqa: S608
            "consent_publish, status, unit_id, assigned_on, due_days, due_date, "
            "due_provisional, answer, answered_on, on_time, fed_back_at, created_at) "
            "SELECT i.meeting_id, i.region_code, i.id, '反映事项：社区养老服务和停车问题', "
            "(i.id % 2 = 0), "
            "CASE i.id % 8 WHEN 0 THEN 'raised' WHEN 1 THEN 'assigned' WHEN 2 THEN 'assigned' "
            "WHEN 3 THEN 'converted' WHEN 4 THEN 'answered' ELSE 'fed_back' END, "
            "CASE WHEN i.id % 8 = 0 THEN NULL ELSE i.organisation_id END, "
            f"CASE WHEN i.id % 8 = 0 THEN NULL ELSE {assigned} END, "
            "CASE WHEN i.id % 8 = 0 THEN NULL ELSE 15 END, "
            f"CASE WHEN i.id % 8 = 0 THEN NULL ELSE {plus(assigned, '21')} END, "
            f"{'FALSE' if pg else '0'}, "
            "CASE WHEN i.id % 8 >= 4 THEN '答复' ELSE '' END, "
            f"CASE WHEN i.id % 8 >= 4 THEN {plus(assigned, '10 + (i.id % 20)')} END, "
            "CASE WHEN i.id % 8 >= 4 THEN (i.id % 20 < 11) END, "
            f"CASE WHEN i.id % 8 >= 5 THEN {now} END, {now} "
            f"FROM contact_invitation i JOIN contact_meeting m ON m.id = i.meeting_id "
            f"WHERE m.title LIKE '{MARK}%'"
        )
        cursor.execute("ANALYZE" if not pg else "ANALYZE contact_meeting")
        if pg:
            cursor.execute("ANALYZE contact_invitation")
            cursor.execute("ANALYZE contact_raiseditem")
    return generate()


def run() -> dict:
    from django.utils import timezone

    from bench.bench_careers import _reader
    from bench.bench_people import client_for
    from bench.timing import QueryCount, machine, measure
    from shegong.contact.selectors import meeting_calendar, on_time_rollup

    started = time.perf_counter()
    made = generate()
    made["seconds"] = round(time.perf_counter() - started, 1)
    load_before = os.getloadavg()
    month = f"{timezone.localdate():%Y-%m}"
    figures = []
    for label, code in [
        ("national (31 provinces)", "000000000000"),
        ("province 广东 (21 cities)", "440000000000"),
        ("county 天河区 (townships)", "440106000000"),
    ]:
        user = _reader(code)

        def rollup(user=user):
            return on_time_rollup(fetched_by=user)

        with QueryCount() as queries:
            found = rollup()
        figures.append(
            {
                "what": f"on-time share by child region, {label}",
                **measure(rollup, runs=5, warmup=1),
                "queries": queries.n,
                "rows": found["items"],
            }
        )
    county = _reader("440106000000")

    def calendar():
        return meeting_calendar(fetched_by=county, month=month)

    with QueryCount() as queries:
        found = calendar()
    figures.append(
        {
            "what": f"calendar of 天河区, {month}",
            **measure(calendar, runs=9, warmup=1),
            "queries": queries.n,
            "rows": sum(len(meetings) for _day, meetings in found["days"]),
        }
    )
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    client = client_for(county)
    for label, url in [
        ("meeting list page of 天河区", "/contact/"),
        ("item list page of 天河区", "/contact/items/"),
        ("calendar page of 天河区", "/contact/calendar/"),
    ]:
        assert client.get(url).status_code == 200, url
        with QueryCount() as queries:
            client.get(url)
        figures.append(
            {
                "what": label,
                **measure(lambda url=url: client.get(url), runs=9, warmup=1),
                "queries": queries.n,
                "rows": None,
            }
        )
    return {
        "machine": machine(),
        "load_average": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "made": made,
        "figures": figures,
    }


def report(results: dict) -> None:
    lines = [
        "# Performance: mass-contact meetings (联系群众)",
        "",
        "Measured by `.venv/bin/python -m bench.bench_contact --db <db>` on the indicators",
        "benchmark's national data set with 200,000 synthetic meetings over the last two years in",
        "every station (two invitees and two raised items for each meeting held: raised, assigned",
        "— some past their deadline —, answered on time or late, fed back, converted). The",
        "on-time share is one GROUP BY on a prefix of the region code over the items of the",
        "subtree; the calendar reads a county's month by the (region, date) index. Median and p95",
        "after a warm-up (5 runs for the roll-ups, 9 otherwise); 2 cores; the load average is",
        "given with each run. Pages are timed in-process through Django's test client.",
        "",
    ]
    for _db, result in sorted(results.items()):
        m = result["machine"]
        made = result["made"]
        lines += [
            f"## {m['database']}",
            "",
            f"{m['date']}, {m['cpus']} CPUs, Python {m['python']}, load average "
            f"{' / '.join(str(x) for x in result['load_average'])} before, "
            f"{' / '.join(str(x) for x in result['load_average_after'])} after (1 / 5 / 15 min). "
            f"Meetings {made['meetings']:,}, invitees {made['invitations']:,}, raised items "
            f"{made['items']:,}.",
            "",
            "| what | median (ms) | p95 (ms) | queries | items / meetings |",
            "|---|---:|---:|---:|---:|",
        ]
        for f in result["figures"]:
            rows = "" if f["rows"] is None else f"{f['rows']:,}"
            lines.append(
                f"| {f['what']} | {f['median_ms']:,} | {f['p95_ms']:,} | {f['queries']} | {rows} |"
            )
        lines.append("")
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=sorted(URLS), required=True)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = URLS[args.db]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = run()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[args.db] = result
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    report(results)
    for f in result["figures"]:
        print(f)


if __name__ == "__main__":
    main()

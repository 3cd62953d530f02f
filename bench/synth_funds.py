"""Synthetic ledger for the funds benchmarks: a department in every province, city and county,
their accounts, and N journal entries (two lines each) of money flowing down and being spent.

    generate(scale="full", stdout=sys.stdout)   # 1,000,000 entries / 2,000,000 lines

Set-based: on PostgreSQL COPY … FROM STDIN per table; on SQLite executemany in batches of
50,000. Running totals are computed while the rows are generated (they are generated in id
order) and the accounts' balances are written at the end, so every account verifies like a real
one.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import timedelta

SCALES = {"tiny": 2_000, "small": 20_000, "medium": 200_000, "full": 1_000_000}
START_FUNDS = 10**12  # fen per holding account: enough that no running balance goes negative
BATCH = 50_000


def _departments(stdout) -> list[tuple[int, str, int]]:
    """(organisation id, region code, level) for a department in every unit down to counties."""
    from shegong.orgs.models import Kind, Organisation
    from shegong.regions.models import Region

    units = list(Region.objects.filter(level__lte=3).values_list("code", "name", "level"))
    have = set(
        Organisation.objects.filter(kind=Kind.SOCIAL_WORK_DEPARTMENT).values_list(
            "region_id", flat=True
        )
    )
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{name}社会工作部（基准）", kind=Kind.SOCIAL_WORK_DEPARTMENT, region_id=code
            )
            for code, name, _level in units
            if code not in have and name not in ("市辖区", "县")
        ],
        batch_size=2000,
    )
    rows = Organisation.objects.filter(kind=Kind.SOCIAL_WORK_DEPARTMENT).values_list(
        "id", "region_id", "region__level"
    )
    found = sorted({r[1]: r for r in rows}.values(), key=lambda r: r[1])
    stdout.write(f"departments: {len(found)}\n")
    return found


def _accounts(departments) -> dict[str, dict[str, int]]:
    """A provincial-source holding, funding and expense account per department."""
    from shegong.funds.models import Account, AccountKind

    existing = {
        (a.organisation_id, a.kind): a.pk
        for a in Account.objects.filter(source="provincial", purpose="")
    }
    new = []
    for org_id, code, _level in departments:
        for kind in (AccountKind.HOLDING, AccountKind.FUNDING, AccountKind.EXPENSE):
            if (org_id, kind) not in existing:
                new.append(
                    Account(
                        organisation_id=org_id,
                        region_id=code,
                        kind=kind,
                        source="provincial",
                        name=f"基准账户{code}-{kind}",
                        allow_negative=kind == AccountKind.FUNDING,
                    )
                )
    Account.objects.bulk_create(new, batch_size=5000)
    out: dict[str, dict[str, int]] = {}
    for a in Account.objects.filter(source="provincial", purpose="").values(
        "pk", "region_id", "kind"
    ):
        out.setdefault(a["region_id"], {})[a["kind"]] = a["pk"]
    return out


def _parent(code: str, level: int) -> str:
    if level == 3:
        return code[:4].ljust(12, "0")
    if level == 2:
        return code[:2].ljust(12, "0")
    return "000000000000"


def _plan_rows(departments, accounts, n: int, seed: int = 7):
    """Yield (entry tuple, debit line, credit line) for n entries: first an appropriation per
    department, then flows down (parent → child) and spending at the counties."""
    r = random.Random(seed)
    from django.utils import timezone

    now = timezone.now()
    codes = [d[1] for d in departments if d[1] in accounts]
    by_level = {
        lvl: [d[1] for d in departments if d[2] == lvl and d[1] in accounts] for lvl in (1, 2, 3)
    }
    i = 0
    for code in codes:
        if i >= n:
            return
        a = accounts[code]
        yield (
            i,
            "appropriation",
            code,
            code,
            START_FUNDS,
            now - timedelta(days=400),
            a["holding"],
            a["funding"],
            "holding",
            "funding",
        )
        i += 1
    movers = by_level[2] + by_level[3]
    counties = by_level[3]
    while i < n:
        when = now - timedelta(minutes=(n - i))
        if r.random() < 0.8:
            child = r.choice(movers)
            level = 2 if child in by_level[2] else 3
            parent = _parent(child, level)
            if parent not in accounts:
                continue
            amount = r.randint(1_000_00, 500_000_00)
            yield (
                i,
                "disbursement",
                parent,
                child,
                amount,
                when,
                accounts[child]["holding"],
                accounts[parent]["holding"],
                "holding",
                "holding",
            )
        else:
            county = r.choice(counties)
            amount = r.randint(100_00, 50_000_00)
            yield (
                i,
                "spend",
                county,
                county,
                amount,
                when,
                accounts[county]["expense"],
                accounts[county]["holding"],
                "expense",
                "holding",
            )
        i += 1


def generate(*, scale: str, stdout=sys.stdout) -> None:
    from django.db import connection, transaction

    n = SCALES[scale]
    started = time.perf_counter()
    departments = _departments(stdout)
    accounts = _accounts(departments)
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM funds_journalentry")
        base = cur.fetchone()[0]
    if base:
        stdout.write(f"ledger already has entries up to id {base}: adding {n} more\n")
    rows = _plan_rows(departments, accounts, n)
    with transaction.atomic():
        _insert(connection, rows, base, stdout)
        _finish(connection, stdout)
    stdout.write(f"generated {n:,} entries in {time.perf_counter() - started:.1f} s\n")


def _insert(connection, rows, base: int, stdout) -> None:
    entry_sql = (
        "INSERT INTO funds_journalentry (id, number, kind, memo, amount, region_code,"
        " target_region, source, posted_at, request_digest) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,'')"
    )
    # Each line carries its entry's posting time (the month it is partitioned into on PostgreSQL).
    line_sql = (
        "INSERT INTO funds_journalline (entry_id, account_id, debit, credit, balance_after,"
        " region_code, source, account_kind, entry_kind, posted_at)"
        " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
    )
    entries, lines = [], []
    memo = {
        "appropriation": "基准：年初预算",
        "disbursement": "基准：资金下拨",
        "spend": "基准：支出",
    }
    total = 0
    from shegong.funds.models import Account

    running = dict(Account.objects.values_list("pk", "balance"))

    def flush():
        nonlocal entries, lines
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                raw = cur.cursor
                with raw.copy(
                    "COPY funds_journalentry (id, number, kind, memo, amount, region_code,"
                    " target_region, source, posted_at, request_digest) FROM STDIN"
                ) as copy:
                    for row in entries:
                        copy.write_row((*row, ""))
                with raw.copy(
                    "COPY funds_journalline (entry_id, account_id, debit, credit, balance_after,"
                    " region_code, source, account_kind, entry_kind, posted_at) FROM STDIN"
                ) as copy:
                    for row in lines:
                        copy.write_row(row)
            else:
                cur.executemany(entry_sql, entries)
                cur.executemany(line_sql, lines)
        entries, lines = [], []

    for i, kind, src, dst, amount, when, debit_acct, credit_acct, dkind, ckind in rows:
        eid = base + i + 1
        entries.append(
            (eid, f"B{eid:010d}", kind, memo[kind], amount, src, dst, "provincial", when)
        )
        debit_region = dst if kind != "appropriation" else src
        running[debit_acct] += amount
        running[credit_acct] -= amount
        lines.append(
            (
                eid,
                debit_acct,
                amount,
                0,
                running[debit_acct],
                debit_region,
                "provincial",
                dkind,
                kind,
                when,
            )
        )
        lines.append(
            (
                eid,
                credit_acct,
                0,
                amount,
                running[credit_acct],
                src,
                "provincial",
                ckind,
                kind,
                when,
            )
        )
        total += 1
        if len(entries) >= BATCH:
            flush()
            stdout.write(f"  {total:,} entries\n")
    if entries:
        flush()
    with connection.cursor() as cur:
        cur.executemany(
            "UPDATE funds_account SET balance = %s WHERE id = %s",
            [(balance, pk) for pk, balance in running.items()],
        )


def _finish(connection, stdout) -> None:
    """Fresh planner statistics after the bulk load."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('funds_journalentry', 'id'),"
                " (SELECT MAX(id) FROM funds_journalentry))"
            )
            cur.execute("ANALYZE funds_journalline")
            cur.execute("ANALYZE funds_journalentry")
        else:
            cur.execute("ANALYZE")
    stdout.write("balances set, statistics refreshed\n")


if __name__ == "__main__":
    import argparse

    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small", choices=sorted(SCALES))
    args = parser.parse_args()
    django.setup()
    generate(scale=args.scale, stdout=sys.stdout)

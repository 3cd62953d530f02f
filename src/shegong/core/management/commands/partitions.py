"""`shegong partitions list|ensure|detach`: the time partitions of the largest append-only tables
on PostgreSQL (see shegong.core.partitioning and docs/deployment.md, "Partitioning")."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.timezone import localtime

from shegong.core.partitioning import (
    AHEAD,
    PARTITIONED,
    PartitioningError,
    detach,
    ensure,
    status,
)


def _month(value: str) -> date:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise CommandError(f"--before 应为 YYYY-MM（如 2026-01），不是 {value!r}") from None


class Command(BaseCommand):
    help = "List the time partitions, create the next ones ahead, or detach old ones for archiving."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="each partitioned table and its partitions")
        ensure_parser = sub.add_parser("ensure", help="create this period's and the next ones")
        ensure_parser.add_argument("--ahead", type=int, default=AHEAD)
        detach_parser = sub.add_parser("detach", help="detach partitions that end by a month")
        detach_parser.add_argument("--before", required=True, help="YYYY-MM: first month kept")
        detach_parser.add_argument(
            "--table",
            action="append",
            choices=[s.table for s in PARTITIONED if s.table != "core_auditlog"],
            help="only this table (repeatable); default: every table but the audit log",
        )
        detach_parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, action, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite 不分区：各表为普通表。")
            return
        if action == "list":
            self._list()
        elif action == "ensure":
            made = ensure(ahead=options["ahead"])
            for name in made:
                self.stdout.write(f"+ {name}")
            self.stdout.write(self.style.SUCCESS(f"新建分区 {len(made)} 个。"))
        else:
            self._detach(_month(options["before"]), options["table"], options["dry_run"])

    def _list(self):
        for spec, done, parts in status():
            state = "已分区" if done else "未分区"
            self.stdout.write(f"{spec.table} ({spec.column}, {spec.interval}) {state}")
            for p in parts:
                lower = f"{localtime(p.lower):%Y-%m-%d %H:%M}" if p.lower else "MINVALUE"
                upper = f"{localtime(p.upper):%Y-%m-%d %H:%M}" if p.upper else "MAXVALUE"
                bound = "DEFAULT" if p.default else f"[{lower}, {upper})"
                self.stdout.write(f"  {p.name}  {bound}  ~{max(p.rows, 0)} 行")

    def _detach(self, before: date, tables: list[str] | None, dry_run: bool):
        chosen = tables or [s.table for s in PARTITIONED if s.table != "core_auditlog"]
        total = 0
        for table in chosen:
            try:
                names = detach(table, before=before, dry_run=dry_run)
            except PartitioningError as exc:
                raise CommandError(str(exc)) from None
            for name in names:
                verb = "将分离" if dry_run else "已分离"
                self.stdout.write(f"{verb} {name}（归档：pg_dump -t {name}，然后 DROP TABLE）")
            total += len(names)
        self.stdout.write(self.style.SUCCESS(f"共 {total} 个分区。"))

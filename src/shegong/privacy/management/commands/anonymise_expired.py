"""`shegong anonymise_expired`: anonymise the records past their retention period now (the daily
task does the same at 02:30). `--dry-run` shows how many of each kind would be anonymised."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from shegong.privacy import retention


class Command(BaseCommand):
    help = "Anonymise records past their retention period (--dry-run: count only)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")

    def handle(self, *args, dry_run=False, **options):
        due = retention.due()
        for row in retention.policy():
            self.stdout.write(
                f"{row['key']}: {due.get(row['key'], 0)} past {row['years']} years "
                f"(last changed on or before {row['cutoff']:%Y-%m-%d})"
            )
        if dry_run:
            self.stdout.write(f"dry run: {sum(due.values())} records would be anonymised")
            return
        summary = retention.anonymise_expired(actor_name="anonymise_expired")
        total = sum(item["records"] for item in summary.values())
        self.stdout.write(self.style.SUCCESS(f"anonymised {total} records"))
        for kind, item in summary.items():
            for table, n in item["rows"].items():
                self.stdout.write(f"  {kind}: {table} {n}")

"""`shegong rotate_field_keys`: re-encrypt and re-index every sensitive value that is not yet under
the current scheme (`SHEGONG_FIELD_CIPHER`) and key (`SHEGONG_FIELD_KEY`), history tables
included, in batches that each commit on their own. Interrupt it at any time and run it again: it
continues where the rows say it stopped, and every value stays readable meanwhile (keep the
earlier keys in `SHEGONG_FIELD_KEYS_OLD` until it reports nothing left).

    shegong rotate_field_keys --dry-run     # what is left, per column
    shegong rotate_field_keys               # do it (one KEY_ROTATION audit row per run)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from shegong.core import crypto, sensitive
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog


class Command(BaseCommand):
    help = "Re-encrypt and re-index sensitive fields under the current cipher and key (resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--max-batches", type=int, default=None, help="stop after this many batches"
        )

    def handle(self, *args, dry_run=False, batch_size=500, max_batches=None, **options):
        scheme = crypto.describe()
        self.stdout.write(
            f"scheme {scheme['cipher']}: tokens {scheme['token_prefix']}…, "
            f"indexes {scheme['index_prefix']}…; older keys: {scheme['old_keys'] or '—'}"
        )
        before = sensitive.pending()
        for label, count in before.items():
            self.stdout.write(f"  {label}: {count} to rotate")
        if dry_run:
            self.stdout.write(f"dry run: {sum(before.values())} values to rotate, none changed")
            return

        def progress(table: str, rows: int) -> None:
            self.stdout.write(f"  {table}: {rows} rows rewritten")

        result = sensitive.rotate(
            batch_size=max(1, batch_size), max_batches=max_batches, on_batch=progress
        )
        left = sensitive.pending()
        audit_record(
            action=AuditLog.Action.KEY_ROTATION,
            actor_name="rotate_field_keys",
            detail={
                **scheme,
                "rows": result.rows,
                "cleared_history_indexes": result.cleared,
                "batches": result.batches,
                "left": {k: v for k, v in left.items() if v},
                "complete": result.complete,
            },
        )
        if result.complete:
            self.stdout.write(
                self.style.SUCCESS(
                    f"done: {sum(result.rows.values())} rows in {result.batches} batches; every "
                    "value is under the current key (older keys may now be removed)"
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"stopped after {result.batches} batches: {sum(left.values())} values left; "
                    "run the command again to continue"
                )
            )

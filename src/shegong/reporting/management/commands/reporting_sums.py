"""`shegong reporting_sums [--form ID]`: rebuild the per-county summary of approved figures
(已审核汇总) from the approved values, set-based (one DELETE, one INSERT … SELECT). The approval
services keep it current; this is for after a bulk load or a repair."""

from django.core.management.base import BaseCommand

from shegong.reporting.services.summary import approved_sums_rebuild


class Command(BaseCommand):
    help = "Rebuild the summary of approved report figures (已审核汇总)."

    def add_arguments(self, parser):
        parser.add_argument("--form", type=int, default=None, help="only this form's id")

    def handle(self, *args, **options):
        rows = approved_sums_rebuild(form_id=options["form"])
        self.stdout.write(f"rows: {rows}")

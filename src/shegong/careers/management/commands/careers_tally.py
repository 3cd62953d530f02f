"""`shegong careers_tally`: count the workforce per region now (the summary the staffing roll-up
of the country, a province or a city reads), as the nightly task does."""

from django.core.management.base import BaseCommand

from shegong.careers.services import staffing_tally_refresh


class Command(BaseCommand):
    help = "Refresh the workforce summary rows (岗位配备统计)."

    def handle(self, *args, **options):
        self.stdout.write(f"rows: {staffing_tally_refresh()}")

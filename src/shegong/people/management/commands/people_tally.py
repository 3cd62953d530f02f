"""`shegong people_tally`: count residents per region now (the summary the home and statistics
pages read), as the nightly task does."""

from django.core.management.base import BaseCommand

from shegong.people.services import tally_refresh


class Command(BaseCommand):
    help = "Refresh the residents' summary rows (服务对象统计)."

    def handle(self, *args, **options):
        self.stdout.write(f"rows: {tally_refresh()}")

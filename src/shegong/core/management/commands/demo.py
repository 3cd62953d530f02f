"""`shegong demo`: create the demo departments, stations, accounts and each app's demo data.

Deterministic (seeded) and idempotent: running it again creates only what is missing and never
deletes or overwrites what a person entered.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shegong.core.registry import demo_loaders
from shegong.regions.models import Region


class Command(BaseCommand):
    help = "Create deterministic demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="run only these demo loaders")

    def handle(self, *args, only=None, **options):
        if not Region.objects.filter(code="440000000000").exists():
            raise CommandError("请先载入行政区划：shegong regions load")
        for _order, name, loader in demo_loaders:
            if only and name not in only:
                continue
            self.stdout.write(f"· demo: {name}")
            with transaction.atomic():
                loader(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))

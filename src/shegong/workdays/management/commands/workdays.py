"""`shegong workdays seed` | `shegong workdays load YEAR --holidays FILE [--workdays FILE]`.

`load` stores a newly published year's holidays and make-up working days (lines
`YYYY-MM-DD[..YYYY-MM-DD] name`) and recomputes every open deadline that was provisional.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shegong.workdays import services


class Command(BaseCommand):
    help = "Load official holiday schedules (节假日安排)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("seed", help="load 2004–2026 from chinese-calendar (missing years only)")
        load = sub.add_parser("load", help="load one year's schedule from text files")
        load.add_argument("year", type=int)
        load.add_argument("--holidays", required=True, help="file: one date or range per line")
        load.add_argument("--workdays", help="file: make-up working days")
        load.add_argument("--notice", default="")

    def handle(self, *args, action, **options):
        if action == "seed":
            years = services.seed_from_chinese_calendar(notify=True)
            self.stdout.write(f"seeded: {', '.join(map(str, years)) or '—'}")
            return
        year = options["year"]
        try:
            holidays = services.parse_days(
                Path(options["holidays"]).read_text(encoding="utf-8"), year=year, field="holidays"
            )
            workdays = (
                services.parse_days(
                    Path(options["workdays"]).read_text(encoding="utf-8"),
                    year=year,
                    field="workdays",
                )
                if options.get("workdays")
                else {}
            )
            services.schedule_load(
                year=year, holidays=holidays, workdays=workdays, notice=options["notice"]
            )
        except (ValidationError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{year}: {len(holidays)} holidays, {len(workdays)} make-up workdays"
            )
        )

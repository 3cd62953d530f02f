"""Enqueue the day-before shift reminders now, or `--schedule` them daily at 18:00 for
`db_worker` (each run then books the next; `shegong schedule_tasks` books every daily task)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from shegong.core.schedule import book_next, next_daily_run
from shegong.volunteers.tasks import REMIND_AT, send_shift_reminders


class Command(BaseCommand):
    help = "Enqueue reminders for tomorrow's shifts (django-tasks background task)."

    def add_arguments(self, parser):
        parser.add_argument("--day", default="", help="ISO date of the shifts (default tomorrow)")
        parser.add_argument("--schedule", action="store_true", help="run daily at 18:00")

    def handle(self, *args, day: str = "", schedule: bool = False, **options):
        if schedule:
            booked = book_next(send_shift_reminders, REMIND_AT)
            when = timezone.localtime(next_daily_run(REMIND_AT))
            self.stdout.write(
                f"{'scheduled' if booked else 'already scheduled'} for {when:%Y-%m-%d %H:%M}"
            )
            return
        result = send_shift_reminders.enqueue(day or None)
        self.stdout.write(f"enqueued {result.id} ({result.status})")

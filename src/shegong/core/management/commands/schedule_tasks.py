"""`shegong schedule_tasks`: book the first run of every daily background task (each run then
books the next) and of every periodic one (the worker's heartbeat), for `shegong db_worker` to
carry out. Safe to run again: a task that already has a run waiting is left as it is."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from shegong.core.schedule import book_all


class Command(BaseCommand):
    help = "Book the daily and periodic background tasks (deadline sweep, reminders, heartbeat)."

    def handle(self, *args, **options):
        for task, when, booked in book_all():
            state = "booked" if booked else "already booked or not supported by this backend"
            self.stdout.write(
                f"{task.module_path}: {timezone.localtime(when):%Y-%m-%d %H:%M} ({state})"
            )

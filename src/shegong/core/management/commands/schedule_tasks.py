"""`shegong schedule_tasks`: book the first run of every daily background task (each run then
books the next), for `shegong db_worker` to carry out. Safe to run again: a task that already has
a run waiting is left as it is."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from shegong.core.schedule import book_next, daily_tasks, next_daily_run


class Command(BaseCommand):
    help = "Book the daily background tasks (deadline sweep, reminders) for db_worker."

    def handle(self, *args, **options):
        for task, at in daily_tasks():
            booked = book_next(task, at)
            when = timezone.localtime(next_daily_run(at))
            state = "booked" if booked else "already booked or not supported by this backend"
            self.stdout.write(f"{task.module_path}: {when:%Y-%m-%d %H:%M} ({state})")

"""`shegong petitions_sweep`: run the deadline sweep now (set-based), or `--enqueue` it as a
background task, or `--schedule` the nightly self-rescheduling task for `db_worker`."""

from django.core.management.base import BaseCommand

from shegong.petitions import tasks
from shegong.petitions.deadlines import deadline_sweep


class Command(BaseCommand):
    help = "Mark overdue matters and send reminders (信访事项期限巡检)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="run it as a background task")
        parser.add_argument("--schedule", action="store_true", help="schedule the nightly run")

    def handle(self, *args, enqueue=False, schedule=False, **options):
        if schedule:
            tasks.schedule_next()
            self.stdout.write(f"scheduled for {tasks.next_run():%Y-%m-%d %H:%M}")
            return
        if enqueue:
            result = tasks.deadline_sweep_task.enqueue(reschedule=False)
            self.stdout.write(f"enqueued {result.id}")
            return
        result = deadline_sweep()
        self.stdout.write(f"overdue: {result.overdue}, reminded: {result.reminded}")

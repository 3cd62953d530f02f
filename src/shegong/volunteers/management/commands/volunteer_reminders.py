"""Enqueue the day-before shift reminders (run daily, e.g. from cron at 18:00)."""

from django.core.management.base import BaseCommand

from shegong.volunteers.tasks import send_shift_reminders


class Command(BaseCommand):
    help = "Enqueue reminders for tomorrow's shifts (django-tasks background task)."

    def add_arguments(self, parser):
        parser.add_argument("--day", default="", help="ISO date of the shifts (default tomorrow)")

    def handle(self, *args, day: str = "", **options):
        result = send_shift_reminders.enqueue(day or None)
        self.stdout.write(f"enqueued {result.id} ({result.status})")

from django.core.management.base import BaseCommand

from shegong.accounts.demo import logins_text


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        self.stdout.write(logins_text())

"""`shegong reset_two_factor <username>`: remove a user's authenticator and recovery codes (a lost
phone, and nobody left to do it in the product); audited as OTP_RESET."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from shegong.accounts.models import User
from shegong.accounts.signin.second_factor import otp_reset

UNSCOPED_READS = "An operator's command, run on the server as the system: it finds the named account wherever it is."


class Command(BaseCommand):
    help = "Reset a user's two-factor sign-in (they enrol again at the next sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"{username}: 没有这个账号 / no such account")
        otp_reset(acting_user=None, user=user, actor_name=f"command:{getpass.getuser()}")
        self.stdout.write(self.style.SUCCESS(f"{username}: 双因素认证已重置 / reset"))

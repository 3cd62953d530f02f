"""`shegong unlock`: list the locked accounts and addresses, or unlock one (audited)."""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shegong.accounts.models import LockoutCounter
from shegong.accounts.signin.lockout import lockout_unlock_by_key

UNSCOPED_READS = "An operator's command, run on the server as the system: it lists and clears sign-in locks of every account and address."


class Command(BaseCommand):
    help = "List locked accounts and addresses (no argument), or unlock an account or address."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="the account name to unlock")
        parser.add_argument("--address", help="the client address to unlock")

    def handle(self, *args, username=None, address=None, **options):
        if not username and not address:
            rows = LockoutCounter.objects.locked().order_by("kind", "key")
            for row in rows:
                until = timezone.localtime(row.locked_until)
                self.stdout.write(f"{row.kind:<8} {row.key:<40} {until:%Y-%m-%d %H:%M}")
            if not rows:
                self.stdout.write("没有被锁定的账号或地址。/ Nothing is locked.")
            return
        operator = f"command:{getpass.getuser()}"
        for kind, key in (("account", username), ("address", address)):
            if not key:
                continue
            if lockout_unlock_by_key(kind=kind, key=key, actor_name=operator) is None:
                raise CommandError(f"{key}: 没有被锁定 / not locked")
            self.stdout.write(self.style.SUCCESS(f"{key}: 已解除锁定 / unlocked"))

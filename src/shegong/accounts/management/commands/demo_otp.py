"""`shegong demo_otp <demo account>`: the 6-digit code its demo authenticator shows now, for
signing in to `make demo` without a phone. Refused outside the local (demo) settings and for
any account that is not a demo account with its demo authenticator."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shegong.accounts.demo import demo_usernames
from shegong.accounts.models import User
from shegong.accounts.signin.second_factor import DEMO_DEVICE, authenticator_of, code_for

UNSCOPED_READS = "An operator's command, run on the server as the system: it finds the named account wherever it is."


class Command(BaseCommand):
    help = "Print the current sign-in code of a demo account (demo settings only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.SHEGONG_DEMO_OTP:
            raise CommandError("demo_otp 只用于演示环境 / only in the demo (local) settings")
        user = User.objects.filter(username=username).first()
        device = authenticator_of(user) if user is not None else None
        if username not in demo_usernames() or device is None or device.name != DEMO_DEVICE:
            raise CommandError(
                f"{username}: 不是带演示验证器的演示账号 / not a demo account with a demo authenticator"
            )
        now = time.time()
        code, step = code_for(device, at=now)
        valid_until = device.t0 + (step + 1 + device.tolerance) * device.step
        self.stdout.write(code)
        self.stderr.write(
            f"（约 {max(int(valid_until - now), 1)} 秒内有效 / valid for about that many seconds）"
        )

"""`shegong backup [--dir DIR] [--keep N]`: a consistent backup of the database, the uploaded
files and the field key's id (never the key), verified and rotated (shegong.ops.backup).
`shegong backup --verify PATH` checks an existing backup. Run it nightly from cron or a systemd
timer; copy the directory off the machine."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shegong.ops.backup import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    help = "Back up the database and uploaded files (verified, rotated)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=Path(settings.VAR_DIR) / "backups")
        parser.add_argument("--keep", type=int, default=14, help="newest backups to keep")
        parser.add_argument("--verify", type=Path, help="only verify this existing backup")

    def handle(self, *args, dir: Path, keep: int, verify: Path | None, **options):
        try:
            if verify is not None:
                manifest = backup_verify(verify)
                self.stdout.write(f"{verify}: verified ({manifest['created_at']})")
                return
            path = backup_create(directory=dir, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{path}: written and verified")

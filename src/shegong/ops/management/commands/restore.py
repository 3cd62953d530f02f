"""`shegong restore BACKUP --database-url postgres://…/newdb [--media-root DIR]` (or
`--sqlite FILE`): restore a backup into an EMPTY database and its files, after checking its
checksums and that this installation holds the field key its ID numbers are sealed with; then
print the restored row counts beside the backup's (shegong.ops.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shegong.ops.backup import BackupError, Target, backup_restore, restored_counts


class Command(BaseCommand):
    help = "Restore a backup into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)
        parser.add_argument("--database-url", default="", help="postgres://… of an empty database")
        parser.add_argument("--sqlite", type=Path, help="a new SQLite file instead")
        parser.add_argument("--media-root", type=Path, default=Path(settings.MEDIA_ROOT))

    def handle(self, *args, backup: Path, database_url: str, sqlite, media_root, **options):
        if bool(database_url) == bool(sqlite):
            raise CommandError("give exactly one of --database-url and --sqlite")
        target = (
            Target("postgresql", url=database_url)
            if database_url
            else Target("sqlite", path=sqlite)
        )
        try:
            manifest = backup_restore(path=backup, target=target, media_root=media_root)
            counts = restored_counts(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        differ = False
        for table, expected in manifest["counts"].items():
            got = counts.get(table)
            differ |= got != expected
            self.stdout.write(f"{table}: {got} (backup: {expected})")
        if differ:
            raise CommandError("restored row counts differ from the backup's")
        self.stdout.write(f"restored {backup} ({manifest['created_at']})")

"""`shegong import_organisations FILE --user USERNAME [--all-or-nothing]`

Imports organisations from an Excel (.xlsx) or CSV file as the given user, inside that user's
jurisdiction (their first active membership, or --membership ID). Every valid row is taken and
each rejected row is listed with its line and reason; with --all-or-nothing any bad row means
nothing is taken. Exits with status 1 when rows were rejected.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shegong.accounts.models import Membership, User
from shegong.core.errors import ApplicationError
from shegong.orgs.services import organisations_import

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "The operator's command line runs as the system: it finds the importing account and "
    "its memberships by username; the import itself is checked against that membership's "
    "jurisdiction."
)


class Command(BaseCommand):
    help = "Import organisations from Excel/CSV with row-level error reports."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="username whose jurisdiction applies")
        parser.add_argument(
            "--membership", type=int, help="membership id (default: the first active one)"
        )
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="take no row if any row is bad"
        )

    def handle(self, *args, file, user, membership=None, all_or_nothing=False, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"没有这个账号：{user}")
        memberships = (
            Membership.objects.active().filter(user=account).select_related("organisation__region")
        )
        chosen = (
            memberships.filter(pk=membership).first()
            if membership
            else memberships.order_by("id").first()
        )
        if chosen is None:
            raise CommandError("该账号没有有效的任职。")
        account.active_membership = chosen
        try:
            with path.open("rb") as fh:
                result = organisations_import(
                    acting_user=account,
                    upload=fh,
                    filename=path.name,
                    all_or_nothing=all_or_nothing,
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for error in result.errors:
            self.stdout.write(f"第 {error.line} 行  {result.label_of(error.field)}: {error.reason}")
        if result.errors_truncated:
            self.stdout.write(
                f"以上仅列出前 {len(result.errors)} 条错误，共 {result.error_count} 条；按列统计："
            )
            for cause in result.summary:
                self.stdout.write(f"  {cause.label}: {cause.count} 条")
        if result.taken_nothing:
            self.stdout.write(
                self.style.ERROR(
                    f"有 {result.rejected_count} 行错误，按 --all-or-nothing 一行都没有导入。"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"已导入 {result.created} 行；{result.rejected_count} 行被拒绝。"
                )
            )
        if result.has_errors:
            raise SystemExit(1)

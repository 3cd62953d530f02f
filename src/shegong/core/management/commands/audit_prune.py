"""`shegong audit_prune`: delete audit rows older than the retention period (at least 180 days,
Cybersecurity Law Art. 21), recording an anchor so the rest of the chain still verifies."""

from django.core.management.base import BaseCommand, CommandError

from shegong.core.auditchain import MIN_RETENTION_DAYS, RetentionTooShort, prune


class Command(BaseCommand):
    help = "Delete audit log rows older than the retention period (never less than 180 days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep this many days (default: SHEGONG_AUDIT_RETENTION_DAYS; at least 180)",
        )

    def handle(self, *args, days=None, **options):
        try:
            result = prune(days=days, run_by="audit_prune")
        except RetentionTooShort as exc:
            raise CommandError(
                f"审计日志至少保留 {MIN_RETENTION_DAYS} 天（《网络安全法》第二十一条：不少于六个月），"
                f"不能按 {exc.args[0]} 天清理。"
            ) from None
        if not result.rows:
            self.stdout.write("没有超过保留期限的审计日志。")
            return
        anchor = result.anchors[-1]
        self.stdout.write(
            self.style.SUCCESS(
                f"已清理 {result.rows} 条审计日志（至链序号 {anchor.last_seq}），"
                f"锚点哈希 {anchor.last_hash}。"
            )
        )

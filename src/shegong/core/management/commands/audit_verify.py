"""`shegong audit_verify`: walk the audit log's hash chain and report the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from shegong.core.auditchain import verify_and_record


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (SM3) and the guard triggers; keep the result."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000, help="rows read per query")

    def handle(self, *args, batch_size=5000, **options):
        result = verify_and_record(run_by="audit_verify", batch_size=max(100, batch_size))
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"审计日志链完整：校验 {result.rows} 条，"
                    f"最新链序号 {result.head_seq or 0}，哈希 {result.head_hash or '-'}"
                )
            )
            return
        where = f"，首个断点链序号 {result.broken_seq}" if result.broken_seq else ""
        where += f"（记录编号 {result.broken_id}）" if result.broken_id else ""
        raise CommandError(
            f"审计日志校验失败：{result.get_problem_display()}{where}；已校验 {result.rows} 条。"
        )

"""`shegong regions load [--all] [--province 44 ...]` and `shegong regions status`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from shegong.core.errors import ApplicationError
from shegong.regions.loader import available_provinces, load_regions
from shegong.regions.models import Level, Region

DEFAULT_PROVINCES = ["44"]  # 广东省: what `make demo` uses


def format_levels(levels: dict[int, int]) -> str:
    """'全国 1，省级 31，…' for every level, zeros included."""
    return "，".join(f"{label} {levels.get(value, 0)}" for value, label in Level.choices)


class Command(BaseCommand):
    help = "载入或查看行政区划（国家统计局 2023 统计用区划代码）。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,status}")
        load = actions.add_parser(
            "load",
            help="载入省、地、县三级，以及所选省份的乡、村两级（默认：广东 44）。",
        )
        which = load.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="载入全部 31 个省份的乡、村两级。")
        which.add_argument(
            "--province",
            action="extend",
            nargs="+",
            metavar="CODE",
            help=f"两位省级代码，可多个（可用：{' '.join(available_provinces())}）。",
        )
        actions.add_parser("status", help="按层级统计已载入的行政区划。")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self.status()
        else:
            self.load(
                provinces=options["province"],
                all_provinces=options["all"],
                verbose=options["verbosity"] > 0,
            )

    def load(self, *, provinces: list[str] | None, all_provinces: bool, verbose: bool) -> None:
        try:
            result = load_regions(
                provinces=None if all_provinces else (provinces or DEFAULT_PROVINCES),
                all_provinces=all_provinces,
                stdout=self.stdout if verbose else None,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message)
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入 行政区划：{format_levels(result['levels'])}；"
                f"新增或更新 {result['changed']} 条，用时 {result['seconds']:.1f} 秒"
            )
        )

    def status(self) -> None:
        rows = Region.objects.order_by().values("level").annotate(n=Count("code"))
        levels = {row["level"]: row["n"] for row in rows}
        self.stdout.write(f"行政区划：{format_levels(levels)}；合计 {sum(levels.values())}")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportingConfig(AppConfig):
    name = "shegong.reporting"
    verbose_name = _("统计报表")
    nav_group = "reporting"  # core/shell.py NAV_GROUPS
    nav_items = ((pgettext_lazy("menu", "报表填报"), "reporting:index", "reporting.view", "table"),)

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.reporting import deadlines, demo

        deadlines.register_obligations()
        registry.register_demo(90, "reporting", demo.load)

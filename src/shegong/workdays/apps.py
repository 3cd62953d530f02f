from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkdaysConfig(AppConfig):
    name = "shegong.workdays"
    verbose_name = _("工作日历与期限")
    nav_group = "system"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = ((pgettext_lazy("menu", "工作日历"), "workdays:list", "workdays.view", "calendar"),)

    def ready(self) -> None:
        from shegong.workdays import obligations
        from shegong.workdays.signals import schedule_loaded

        # Every registered dated obligation is recomputed when a year's schedule is loaded.
        schedule_loaded.connect(
            obligations.on_schedule_loaded, dispatch_uid="workdays_recompute_obligations"
        )

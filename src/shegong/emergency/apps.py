from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmergencyConfig(AppConfig):
    name = "shegong.emergency"
    verbose_name = _("应急排查")
    nav_group = "governance"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "应急排查"), "emergency:list", "emergency.view", "alert-triangle"),
        (pgettext_lazy("menu", "我的排查任务"), "emergency:mine", "emergency.record", "checklist"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.emergency import demo, selectors, views

        registry.register_person_panel(views.sweep_panel)
        registry.register_demo(99, "emergency", demo.load)

        # the field app (外勤): sweep outcomes recorded offline, open tasks in the route download
        from shegong.emergency.services import field_sync
        from shegong.field.selectors import register_route_section
        from shegong.field.services.sync import register_kind

        register_kind("sweep_outcome", field_sync.record_sweep_outcome)
        register_route_section(
            "sweeps", selectors.route_sweeps, choices=selectors.route_sweep_choices
        )

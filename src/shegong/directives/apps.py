from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DirectivesConfig(AppConfig):
    name = "shegong.directives"
    verbose_name = _("督查督办")
    nav_group = "leading"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "督查督办"), "directives:list", "directives.view", "flag"),
        (pgettext_lazy("menu", "本单位待办"), "directives:tasks", "directives.view", "checklist"),
        (pgettext_lazy("menu", "调研督导"), "directives:inspections", "directives.view", "search"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.directives import deadlines, demo

        deadlines.register_obligations()
        registry.register_demo(80, "directives", demo.load)

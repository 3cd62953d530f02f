from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PracticesConfig(AppConfig):
    name = "shegong.practices"
    verbose_name = _("经验做法")
    nav_group = "party"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "经验做法"), "practices:list", "practices.view", "book"),
        (pgettext_lazy("menu", "经验做法库"), "practices:library", "practices.view", "book"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.practices import demo

        registry.register_demo(98, "practices", demo.load)

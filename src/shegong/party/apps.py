from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PartyConfig(AppConfig):
    name = "shegong.party"
    verbose_name = _("党建引领")
    nav_group = "party"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "党组织"), "party:organisations", "party.view", "flag"),
        (pgettext_lazy("menu", "党组织覆盖"), "party:coverage", "party.view", "chart"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.party import demo

        registry.register_demo(96, "party", demo.load)

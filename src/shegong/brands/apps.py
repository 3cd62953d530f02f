from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BrandsConfig(AppConfig):
    name = "shegong.brands"
    verbose_name = _("品牌项目")
    nav_group = "party"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = ((pgettext_lazy("menu", "品牌项目"), "brands:list", "brands.view", "star"),)

    def ready(self) -> None:
        from shegong.brands import demo
        from shegong.core import registry

        registry.register_demo(97, "brands", demo.load)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FundsConfig(AppConfig):
    name = "shegong.funds"
    verbose_name = _("资金与资源")
    nav_group = "resources"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = ((pgettext_lazy("menu", "资金"), "funds:index", "funds.view", "coin"),)

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.funds import demo, indicator_sources, selectors

        registry.register_indicator_sources(indicator_sources.SOURCES)
        registry.register_home_figures(selectors.home_figures)
        registry.register_demo(70, "funds", demo.load)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndicatorsConfig(AppConfig):
    name = "shegong.indicators"
    verbose_name = _("指标")
    nav_group = "reporting"  # core/shell.py NAV_GROUPS
    nav_items = (
        (pgettext_lazy("menu", "指标看板"), "indicators:dashboard", "indicators.view", "map"),
        (pgettext_lazy("menu", "指标"), "indicators:list", "indicators.view", "chart"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.indicators import demo

        registry.register_demo(98, "indicators", demo.load)

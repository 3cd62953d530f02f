from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CareersConfig(AppConfig):
    name = "shegong.careers"
    verbose_name = _("职称、考核与配备")
    nav_group = "workforce"
    nav_items = (
        (pgettext_lazy("menu", "职称评审"), "careers:rounds", "careers.view", "award"),
        (pgettext_lazy("menu", "考核"), "careers:appraisals", "careers.view", "clipboard"),
        (pgettext_lazy("menu", "奖惩记录"), "careers:conduct", "careers.view", "star"),
        (pgettext_lazy("menu", "岗位配备与留任"), "careers:staffing", "careers.staffing", "chart"),
    )

    def ready(self) -> None:
        from shegong.careers import demo, indicator_sources, obligations, selectors
        from shegong.core import registry

        registry.register_indicator_sources(indicator_sources.SOURCES)
        obligations.register_obligations()
        registry.register_region_counter(
            registry.RegionCounter(
                key="station_workers",
                label=_("社工站在岗社工"),
                count=selectors.station_workers_by_child,
                order=70,
            )
        )
        registry.register_demo(95, "careers", demo.load)

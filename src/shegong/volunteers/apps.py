from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VolunteersConfig(AppConfig):
    name = "shegong.volunteers"
    verbose_name = _("志愿服务")
    nav_group = "volunteering"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "志愿者"), "volunteers:list", "volunteers.view", "heart"),
        (
            pgettext_lazy("menu", "志愿服务活动"),
            "volunteers:activities",
            "volunteers.view",
            "calendar",
        ),
        (pgettext_lazy("menu", "志愿服务统计"), "volunteers:stats", "volunteers.stats", "chart"),
        (pgettext_lazy("menu", "我的志愿服务"), "volunteers:me", "volunteers.self", "user"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.volunteers import demo, figures, indicator_sources, views

        registry.register_indicator_sources(indicator_sources.SOURCES)
        registry.register_home_figures(figures.home_figures)
        registry.register_region_counter(
            registry.RegionCounter(
                key="volunteers", label=_("志愿者"), count=figures.count_by_child_region, order=40
            )
        )
        registry.register_demo(50, "volunteers", demo.load)
        registry.register_prefill_source(
            registry.PrefillSource(
                "volunteer_hours", _("本期志愿服务时长（小时）"), figures.prefill_volunteer_hours
            )
        )
        registry.register_person_panel(views.person_panel)

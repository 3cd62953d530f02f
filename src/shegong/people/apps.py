from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PeopleConfig(AppConfig):
    name = "shegong.people"
    verbose_name = _("服务对象与探访")
    nav_group = "governance"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "服务对象"), "people:list", "people.view", "users"),
        (pgettext_lazy("menu", "我的探访"), "people:my_visits", "people.visit", "walk"),
        (pgettext_lazy("menu", "探访统计"), "people:overdue", "people.rollup", "chart-bar"),
        (pgettext_lazy("menu", "服务对象类别"), "people:categories", "people.categories", "tags"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.people import demo, indicator_sources, selectors

        registry.register_indicator_sources(indicator_sources.SOURCES)
        registry.register_region_counter(
            registry.RegionCounter(
                key="residents",
                label=pgettext_lazy("plural", "服务对象"),
                count=selectors.count_by_child_region,
                order=20,
            )
        )
        registry.register_home_figures(selectors.home_figures)
        registry.register_prefill_source(
            registry.PrefillSource(
                "visits_done", _("本期完成探访次数"), selectors.prefill_visits_done
            )
        )
        registry.register_reminder_source(selectors.reminders_due)
        registry.register_demo(30, "people", demo.load)

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class OrgsConfig(AppConfig):
    name = "shegong.orgs"
    verbose_name = pgettext_lazy("plural", "组织")
    nav_group = "resources"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "行政区划"), "regions:index", "regions.view", "map", "system"),
        (pgettext_lazy("menu", "组织"), "orgs:list", "orgs.view", "building"),
        (pgettext_lazy("menu", "这是谁的职责"), "orgs:duty_search", "orgs.view", "list-check"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.orgs import demo, demo_duties, selectors

        registry.register_region_counter(
            registry.RegionCounter(
                key="organisations",
                label=pgettext_lazy("plural", "组织"),
                count=selectors.count_by_child_region,
                order=10,
            )
        )
        registry.register_home_figures(selectors.home_figures)
        registry.register_demo(10, "orgs", demo.load)
        registry.register_demo(12, "duty_lists", demo_duties.load)

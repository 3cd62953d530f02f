from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "shegong.petitions"
    verbose_name = _("信访与矛盾纠纷")
    nav_items = (
        (_("信访与纠纷"), "petitions:list", "petitions.view", "message"),
        (_("信访分析"), "petitions:analysis", "petitions.analyse", "chart"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.petitions import demo, selectors
        from shegong.workdays.signals import schedule_loaded

        schedule_loaded.connect(_recompute, dispatch_uid="petitions_recompute_deadlines")
        registry.register_home_figures(selectors.home_figures)
        registry.register_region_counter(
            registry.RegionCounter(
                key="open_matters",
                label=_("在办信访事项"),
                count=selectors.count_by_child_region,
                order=40,
            )
        )
        registry.register_demo(60, "petitions", demo.load)


def _recompute(sender, *, year, calendar, **kwargs):
    from shegong.petitions.deadlines import recompute_provisional

    recompute_provisional(calendar=calendar)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PetitionsConfig(AppConfig):
    name = "shegong.petitions"
    verbose_name = _("信访与矛盾纠纷")
    nav_group = "governance"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "信访与纠纷"), "petitions:list", "petitions.view", "message"),
        (pgettext_lazy("menu", "信访分析"), "petitions:analysis", "petitions.analyse", "chart"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.petitions import deadlines, demo, indicator_sources, selectors

        registry.register_indicator_sources(indicator_sources.SOURCES)
        # Recomputed with every other dated obligation when a holiday schedule is loaded.
        deadlines.register_obligations()
        registry.register_home_figures(selectors.home_figures)
        registry.register_person_panel(selectors.person_panel)
        registry.register_reminder_source(selectors.reminders_due)
        registry.register_reminder_source(selectors.followup_reminders)
        registry.register_reminder_source(selectors.confirmation_reminders)
        registry.register_reminder_source(selectors.rating_review_reminders)
        registry.register_region_counter(
            registry.RegionCounter(
                key="open_matters",
                label=_("在办信访事项"),
                count=selectors.count_by_child_region,
                order=40,
            )
        )
        registry.register_demo(60, "petitions", demo.load)
        registry.register_prefill_source(
            registry.PrefillSource(
                "matters_closed_on_time",
                _("本期按期办结信访事项"),
                selectors.prefill_matters_closed_on_time,
            )
        )
        _offer_finding_action()


def _offer_finding_action() -> None:
    """On a care visit with a finding, offer "register as a dispute" (people's finding hook)."""
    from django.urls import reverse

    from shegong.people.hooks import FindingAction, register_finding_action

    def linked(visit, user):
        from shegong.petitions.models import Matter

        return [
            (f"{m.number} {m.get_status_display()}", reverse("petitions:detail", args=[m.pk]))
            for m in Matter.objects.visible_to(user).filter(finding_ref=f"visit:{visit.pk}")
        ]

    register_finding_action(
        FindingAction(
            key="dispute",
            label=_("登记为矛盾纠纷"),
            perm="petitions.register",
            url=lambda visit: reverse("petitions:from_visit", args=[visit.pk]),
            linked=linked,
            order=20,
        )
    )

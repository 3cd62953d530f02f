from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CasesConfig(AppConfig):
    name = "shegong.cases"
    verbose_name = _("个案管理")
    nav_group = "governance"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = ((pgettext_lazy("menu", "个案"), "cases:list", "cases.view", "briefcase"),)

    def ready(self) -> None:
        from django.urls import reverse

        from shegong.cases import demo, indicator_sources, selectors
        from shegong.core import registry
        from shegong.people.hooks import FindingAction, register_finding_action

        registry.register_indicator_sources(indicator_sources.SOURCES)

        registry.register_home_figures(selectors.home_figures)
        registry.register_person_panel(selectors.person_panel)
        registry.register_reminder_source(selectors.reminders_due)
        registry.register_demo(40, "cases", demo.load)

        def linked(visit, user):
            return [
                (f"{c.number} {c.get_status_display()}", reverse("cases:detail", args=[c.pk]))
                for c in selectors.cases_visible(fetched_by=user).filter(source_visit=visit)
            ]

        register_finding_action(
            FindingAction(
                key="case",
                label=_("转为个案"),
                perm="cases.edit",
                url=lambda visit: reverse("cases:from_visit", args=[visit.pk]),
                linked=linked,
                order=10,
            )
        )

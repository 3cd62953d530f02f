from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContactConfig(AppConfig):
    name = "shegong.contact"
    verbose_name = _("联系群众")
    nav_group = "leading"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "联系群众会议"), "contact:list", "contact.view", "people"),
        (pgettext_lazy("menu", "群众反映事项"), "contact:items", "contact.view", "chat"),
    )

    def ready(self) -> None:
        from shegong.contact import deadlines, demo, selectors
        from shegong.core import registry

        deadlines.register_obligations()
        registry.register_reminder_source(selectors.reminders_due)
        registry.register_region_counter(
            registry.RegionCounter(
                key="contact_meetings",
                label=_("联系群众会议（已召开）"),
                count=selectors.meetings_by_child_region,
                order=80,
            )
        )
        registry.register_demo(85, "contact", demo.load)

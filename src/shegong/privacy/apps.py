from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PrivacyConfig(AppConfig):
    name = "shegong.privacy"
    verbose_name = _("个人信息保护")
    nav_group = "system"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (
            pgettext_lazy("menu", "保存期限"),
            "privacy:retention",
            "privacy.retention",
            "shield-lock",
        ),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.privacy import checks, demo, views  # noqa: F401 - checks register themselves

        registry.register_person_panel(views.consent_panel)
        registry.register_demo(35, "privacy", demo.load)

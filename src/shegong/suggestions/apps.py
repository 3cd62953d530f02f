from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SuggestionsConfig(AppConfig):
    name = "shegong.suggestions"
    verbose_name = _("群众意见建议")
    nav_group = "leading"  # beside contact's meetings and raised items (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "群众意见建议"), "suggestions:list", "suggestions.view", "message"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.suggestions import demo

        registry.register_demo(88, "suggestions", demo.load)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkforceConfig(AppConfig):
    name = "shegong.workforce"
    verbose_name = _("社会工作人才队伍")
    nav_group = "workforce"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "社会工作者"), "workforce:list", "workforce.view", "users"),
        (pgettext_lazy("menu", "继续教育课程"), "workforce:courses", "workforce.view", "school"),
        (pgettext_lazy("menu", "登记与学时预警"), "workforce:at_risk", "workforce.view", "alert"),
        (pgettext_lazy("menu", "督导带教"), "workforce:mentoring", "workforce.view", "user"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.workforce import demo

        registry.register_demo(62, "workforce", demo.load)

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class InboxConfig(AppConfig):
    name = "shegong.inbox"
    verbose_name = pgettext_lazy("plural", "消息提醒")
    nav_group = "system"
    nav_items = (
        (pgettext_lazy("menu", "外发记录"), "inbox:delivery_log", "inbox.view_deliveries", "send"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.inbox import demo

        registry.register_demo(95, "inbox", demo.load)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FieldConfig(AppConfig):
    name = "shegong.field"
    verbose_name = _("外勤")
    nav_group = "governance"
    nav_items = (
        (pgettext_lazy("menu", "社工外勤（手机）"), "field:app", "field.sync", "device-mobile"),
        (pgettext_lazy("menu", "外勤同步"), "field:status", "field.sync", "refresh"),
        (pgettext_lazy("menu", "外勤冲突"), "field:conflicts", "field.supervise", "alert-triangle"),
    )

    def ready(self) -> None:
        from shegong.core import registry
        from shegong.field import demo, views

        registry.register_demo(36, "field", demo.load)
        registry.register_person_panel(views.attempts_panel)

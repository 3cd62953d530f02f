from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "shegong.workdays"
    verbose_name = _("工作日历与期限")
    nav_items = ((_("工作日历"), "workdays:list", "workdays.view", "calendar"),)

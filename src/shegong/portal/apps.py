from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PortalConfig(AppConfig):
    name = "shegong.portal"
    verbose_name = _("公共服务门户")
    nav_group = "public"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = ((pgettext_lazy("menu", "公共服务门户"), "portal:home", "", "world"),)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shegong.people"
    verbose_name = _("服务对象与探访")

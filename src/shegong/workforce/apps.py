from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "shegong.workforce"
    verbose_name = _("社会工作人才队伍")

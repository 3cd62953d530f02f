from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shegong.core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from shegong.core import auditchain, permissions, signals, workflow  # noqa: F401

        permissions.collect()
        workflow.collect()

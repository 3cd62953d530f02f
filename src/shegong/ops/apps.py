from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations (运维): health and readiness, the background worker's heartbeat, request logs
    and metrics for the operator. No pages for the users; nothing scoped."""

    name = "shegong.ops"
    verbose_name = _("运维")
    url_prefix = "ops/"

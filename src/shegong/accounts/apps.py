from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "shegong.accounts"
    verbose_name = _("账号与权限")
    nav_group = "system"  # the menu group its items go into (core/shell.py NAV_GROUPS)
    nav_items = (
        (pgettext_lazy("menu", "用户"), "accounts:user_list", "accounts.view_users", "users"),
        (pgettext_lazy("menu", "审计日志"), "accounts:audit_log", "accounts.view_audit", "shield"),
        (pgettext_lazy("menu", "登录锁定"), "accounts:locks", "accounts.unlock", "lock"),
        (
            pgettext_lazy("menu", "双因素规则"),
            "accounts:otp_policy",
            "accounts.configure_otp",
            "key",
        ),
    )

    def ready(self) -> None:
        from shegong.accounts import demo, selectors  # noqa: F401  (demo registers its loader)
        from shegong.accounts.signin import signals
        from shegong.core import registry

        signals.connect()

        registry.register_region_counter(
            registry.RegionCounter(
                key="staff",
                label=_("工作人员"),
                count=selectors.staff_count_by_child_region,
                order=20,
            )
        )
        registry.register_home_figures(selectors.home_figures)

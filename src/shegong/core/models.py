from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shegong.core.scoping import ScopedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditLogQuerySet(ScopedQuerySet):
    region_field = "region_code"


class AuditLog(models.Model):
    """Security-relevant acts: logins, reveals of sensitive fields, exports, imports, tokens."""

    class Action(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        SWITCH_MEMBERSHIP = "switch_membership", _("切换身份")
        REVEAL = "reveal", _("查看敏感信息")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        TOKEN_CREATE = "token_create", _("创建访问令牌")
        TOKEN_REVOKE = "token_revoke", _("吊销访问令牌")
        MERGE = "merge", _("合并记录")
        # Security events (GB/T 22239-2019 level 3): sign-in controls, credentials, rights.
        LOCKOUT = "lockout", _("账号锁定")
        UNLOCK = "unlock", _("解除锁定")
        PASSWORD_CHANGE = "password_change", _("修改密码")
        PASSWORD_RESET = "password_reset", _("重置密码")
        OTP_ENROL = "otp_enrol", _("启用双因素认证")
        OTP_FAILED = "otp_failed", _("双因素验证失败")
        OTP_RESET = "otp_reset", _("重置双因素认证")
        RECOVERY_CODE_USED = "recovery_code_used", _("使用恢复码")
        SESSION_EXPIRED = "session_expired", _("会话过期")
        MEMBERSHIP_CHANGE = "membership_change", _("任职变更")
        PERMISSION_CHANGE = "permission_change", _("权限变更")
        USER_CHANGE = "user_change", _("账号变更")
        TOKEN_USE = "token_use", _("使用访问令牌")
        RATE_LIMITED = "rate_limited", _("请求过于频繁")
        # Personal information (PIPL): consent, retention, keys.
        CONSENT = "consent", _("同意记录")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("撤回同意")
        ANONYMISE = "anonymise", _("匿名化处理")
        KEY_ROTATION = "key_rotation", _("密钥轮换")
        OTHER = "other", _("其他")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=32, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = pgettext_lazy("plural", "审计日志")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"


class RateLimitCounter(models.Model):
    """One rate-limit counter (core.ratelimit), shared by every process of a deployment.

    The key is the rule's name and a keyed hash of what is counted (an address, a matter number,
    an ID number), so the table holds no personal data. `expires` is in epoch seconds.
    """

    key = models.CharField(_("键"), max_length=100, primary_key=True)
    count = models.PositiveIntegerField(_("次数"), default=0)
    expires = models.BigIntegerField(_("窗口结束（Unix 秒）"), db_index=True)

    class Meta:
        verbose_name = _("频率限制计数")
        verbose_name_plural = pgettext_lazy("plural", "频率限制计数")

    def __str__(self) -> str:
        return f"{self.key}={self.count}"

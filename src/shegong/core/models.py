from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shegong.core.scoping import scoped_manager


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """Security-relevant acts: logins, reveals of sensitive fields, exports, imports, tokens.

    Append-only and tamper-evident (docs/decisions/0012-tamper-evident-audit.md): rows are
    written only by `core.audit.audit_record`, which chains each row to the one before by SM3
    hash (`seq`, `prev_hash`, `hash`); database triggers refuse UPDATE, and DELETE of rows
    younger than the retention period or not covered by a pruning anchor.
    """

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
    # An audited account is never deleted (deactivate it instead): the log cannot be changed to
    # forget who acted, and the database would refuse the UPDATE that SET_NULL needs.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=32, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    # The hash chain: position, the previous row's hash and this row's own (SM3, hex).
    seq = models.PositiveBigIntegerField(_("链序号"), editable=False)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, editable=False, default="")
    hash = models.CharField(_("哈希"), max_length=64, editable=False, default="")

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = pgettext_lazy("plural", "审计日志")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "at"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action", "at"], name="auditlog_action_at"),
            models.Index(fields=["actor_name", "at"], name="auditlog_actor_at"),
            models.Index(fields=["ip", "at"], name="auditlog_ip_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["seq"], name="auditlog_seq_unique"),
            # A row that did not come through the chain (no hash) is refused.
            models.CheckConstraint(
                condition=~models.Q(hash="") & ~models.Q(prev_hash=""), name="auditlog_chained"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"


class AuditAnchor(models.Model):
    """Where pruning cut the chain: the last pruned row's position and hash, so the first row
    kept still verifies. Append-only like the log (database triggers)."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    last_seq = models.PositiveBigIntegerField(_("最后删除的链序号"), unique=True)
    last_hash = models.CharField(_("最后删除的哈希"), max_length=64)
    last_at = models.DateTimeField(_("最后删除的记录时间"))
    rows = models.PositiveIntegerField(_("删除条数"))
    retention_days = models.PositiveIntegerField(_("保留天数"))

    class Meta:
        verbose_name = _("审计日志清理锚点")
        verbose_name_plural = pgettext_lazy("plural", "审计日志清理锚点")
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"{self.last_seq} {self.last_hash[:12]}"


class AuditVerification(models.Model):
    """One run of `shegong audit_verify`: whether the whole chain held, and where it broke."""

    class Problem(models.TextChoices):
        EDITED = "edited", _("记录被修改（哈希不符）")
        BROKEN = "broken", _("链接断开（记录被删除、插入或重算）")
        START = "start", _("链的起点不符（无对应的清理锚点）")
        TAIL = "tail", _("末尾记录被删除（比上次校验时少）")
        GUARD = "guard", _("数据库防篡改触发器缺失")

    started_at = models.DateTimeField(_("开始时间"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    ok = models.BooleanField(_("完整"))
    rows = models.PositiveBigIntegerField(_("校验条数"), default=0)
    first_seq = models.PositiveBigIntegerField(_("起始链序号"), null=True, blank=True)
    head_seq = models.PositiveBigIntegerField(_("最新链序号"), null=True, blank=True)
    head_hash = models.CharField(_("最新哈希"), max_length=64, blank=True)
    broken_seq = models.PositiveBigIntegerField(_("首个断点链序号"), null=True, blank=True)
    broken_id = models.PositiveBigIntegerField(_("首个断点记录编号"), null=True, blank=True)
    problem = models.CharField(_("问题"), max_length=16, choices=Problem.choices, blank=True)
    run_by = models.CharField(_("执行者"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("审计日志校验")
        verbose_name_plural = pgettext_lazy("plural", "审计日志校验")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.problem}"


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

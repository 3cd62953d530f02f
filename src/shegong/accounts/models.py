import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.scoping import Jurisdiction, ScopedQuerySet
from shegong.core.validation import validate_cn_mobile


class Role(models.TextChoices):
    DEPT_LEADER = "dept_leader", _("部门领导")
    DEPT_STAFF = "dept_staff", _("部门工作人员")
    STATION_WORKER = "station_worker", _("社工站社工")
    SUPERVISOR = "supervisor", _("督导")
    ORG_STAFF = "org_staff", _("机构工作人员")
    MEDIATOR = "mediator", _("调解员")
    VOLUNTEER = "volunteer", _("志愿者")
    SYSADMIN = "sysadmin", _("系统管理员")
    # Reads, searches and exports the audit log of its jurisdiction; nothing else (GB/T 22239
    # level 3: a security auditor separate from the system administrator).
    SECURITY_AUDITOR = "security_auditor", _("安全审计员")


class UserQuerySet(ScopedQuerySet):
    region_field = "memberships__organisation__region"

    def in_subtree(self, prefix: str):
        """Users with at least one membership in an organisation inside the subtree."""
        if prefix == "":
            return self.filter(memberships__isnull=False).distinct()
        from shegong.core.scoping import code_range

        low, high = code_range(prefix)
        return self.filter(
            memberships__organisation__region_id__gte=low,
            memberships__organisation__region_id__lte=high,
        ).distinct()


class ShegongUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` (interactive or not) may not bypass the password rules."""
        if password is not None:
            from django.contrib.auth.password_validation import validate_password

            validate_password(
                password, self.model(username=username, full_name=extra_fields.get("full_name", ""))
            )
        return super().create_superuser(username, email, password, **extra_fields)

    def _create_user(self, username, email, password, **extra_fields):
        """`create_user`/`create_superuser` (and so `shegong createsuperuser`) are audited."""
        from shegong.accounts.membership_services import user_save

        user = self._create_user_object(username, email, password, **extra_fields)
        return user_save(acting_user=None, user=user, via="create_user")


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Where SMS and WeCom mentions reach the person (shegong.inbox.outbound).
    phone = models.CharField(
        _("手机号"), max_length=20, blank=True, validators=[validate_cn_mobile]
    )
    # Where the last and the one before the last successful sign-in came from ("上次登录").
    last_login_ip = models.GenericIPAddressField(_("最近登录地址"), null=True, blank=True)
    previous_login = models.DateTimeField(_("上次登录时间"), null=True, blank=True)
    previous_login_ip = models.GenericIPAddressField(_("上次登录地址"), null=True, blank=True)

    objects = ShegongUserManager()
    history = HistoricalRecords(
        excluded_fields=[
            "password",
            "last_login",
            "last_login_ip",
            "previous_login",
            "previous_login_ip",
        ]
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = pgettext_lazy("plural", "用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    # Set per request by ActiveMembershipMiddleware (or by token auth for the API).
    _active_membership = None

    @property
    def active_membership(self) -> "Membership | None":
        return self._active_membership

    @active_membership.setter
    def active_membership(self, value: "Membership | None") -> None:
        self._active_membership = value


class MembershipQuerySet(ScopedQuerySet):
    region_field = "organisation__region"

    def in_subtree(self, prefix: str):
        if prefix == "":
            return self
        from shegong.core.scoping import code_range

        low, high = code_range(prefix)
        return self.filter(organisation__region_id__gte=low, organisation__region_id__lte=high)

    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's place of work: one organisation and one role (任职)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = pgettext_lazy("plural", "任职")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()}"

    @cached_property
    def jurisdiction(self) -> Jurisdiction:
        region = self.organisation.region
        return Jurisdiction(prefix=region.prefix, region_code=region.code, level=region.level)


class AccessTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            revoked_at__isnull=True, membership__is_active=True, expires_at__gt=timezone.now()
        )


class PersonalAccessToken(models.Model):
    """An API token bound to one membership; only its SHA-256 digest is stored.

    Every token expires (at most SHEGONG_TOKEN_MAX_DAYS after creation) and is read-only or
    read-write; a read-only token may call only safe methods (GET, HEAD, OPTIONS)."""

    PREFIX = "sg_"
    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    class Scope(models.TextChoices):
        READ = "read", _("只读")
        READ_WRITE = "read_write", _("读写")

    membership = models.ForeignKey(
        Membership, verbose_name=_("任职"), on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    hint = models.CharField(_("令牌前缀"), max_length=12)
    scope = models.CharField(_("权限范围"), max_length=16, choices=Scope.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("最近使用地址"), null=True, blank=True)
    # When the last TOKEN_USE audit row was written (one an hour per token, not one a request).
    use_audited_at = models.DateTimeField(
        _("最近一次使用审计"), null=True, blank=True, editable=False
    )
    expires_at = models.DateTimeField(_("过期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("个人访问令牌")
        verbose_name_plural = pgettext_lazy("plural", "个人访问令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def allows(self, method: str) -> bool:
        return self.scope == self.Scope.READ_WRITE or method.upper() in self.SAFE_METHODS

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


# ---- sign-in and sessions (GB/T 22239-2019 level 3) -------------------------------------------


class LockoutCounterQuerySet(ScopedQuerySet):
    region_field = "region_code"

    def locked(self, now=None):
        return self.filter(locked_until__gt=now or timezone.now())


class LockoutCounter(models.Model):
    """Failed sign-ins of one account name or one client address within the window, and the
    time until which it is locked. Counted for any name typed, existing or not, so a lockout
    never tells whether an account exists."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("账号")
        ADDRESS = "address", _("地址")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    key = models.CharField(_("账号或地址"), max_length=150)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    window_started_at = models.DateTimeField(_("计数开始"), default=timezone.now)
    last_failure_at = models.DateTimeField(_("最近失败"), default=timezone.now)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True, db_index=True)
    # The home region of the account (when it exists), so department leaders see the locks of
    # their jurisdiction; "" for addresses and for names no account has.
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)

    objects = LockoutCounterQuerySet.as_manager()

    class Meta:
        verbose_name = _("登录锁定")
        verbose_name_plural = pgettext_lazy("plural", "登录锁定")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="lockout_counter_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords (never the passwords), to refuse their reuse."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = pgettext_lazy("plural", "历史密码")
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class SecondFactorRule(models.Model):
    """Whether a role must sign in with a second factor, nationally or in one province; a
    province's rule wins over the national one, which wins over the built-in default
    (settings.SHEGONG_OTP_REQUIRED_ROLES / _PERMISSIONS)."""

    province_code = models.CharField(
        _("省级区划"), max_length=2, blank=True, help_text=_("留空表示全国")
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    required = models.BooleanField(_("必须使用双因素认证"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("双因素认证规则")
        verbose_name_plural = pgettext_lazy("plural", "双因素认证规则")
        ordering = ["province_code", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "role"], name="second_factor_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.province_code or '00'} {self.role} {self.required}"

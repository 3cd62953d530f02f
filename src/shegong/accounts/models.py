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


class Role(models.TextChoices):
    DEPT_LEADER = "dept_leader", _("部门领导")
    DEPT_STAFF = "dept_staff", _("部门工作人员")
    STATION_WORKER = "station_worker", _("社工站社工")
    SUPERVISOR = "supervisor", _("督导")
    ORG_STAFF = "org_staff", _("机构工作人员")
    MEDIATOR = "mediator", _("调解员")
    VOLUNTEER = "volunteer", _("志愿者")
    SYSADMIN = "sysadmin", _("系统管理员")


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
    pass


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    objects = ShegongUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

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

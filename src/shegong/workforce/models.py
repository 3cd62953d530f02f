"""The register of the social work workforce (社会工作人才): a profile for each social worker
(with or without an account), the posts they held and the certificates they hold. The rules of
levels, exam eligibility, registration and continuing education are in /shared/DOMAIN.md
("Social workers") and are kept as data beside these models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.models import TimeStampedModel
from shegong.core.scoping import scoped_manager


class QualificationLevel(models.TextChoices):
    """The three levels of the national social work qualification (社会工作者职业水平)."""

    ASSISTANT = "assistant", _("助理社会工作师")
    SOCIAL_WORKER = "social_worker", _("社会工作师")
    SENIOR = "senior", _("高级社会工作师")


class Education(models.TextChoices):
    HIGH_SCHOOL = "high_school", _("高中或中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士研究生")
    DOCTORATE = "doctorate", _("博士研究生")


class EmploymentType(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("公务员")
    PUBLIC_INSTITUTION = "public_institution", _("事业编制")
    CONTRACT = "contract", _("合同制（政府购买岗位）")
    ORGANISATION = "organisation", _("社会工作服务机构聘用")
    PART_TIME = "part_time", _("兼职")


class WorkerStatus(models.TextChoices):
    IN_POST = "in_post", _("在岗")
    LEFT = "left", _("已离职")


class WorkerProfile(TimeStampedModel):
    """A social worker (社会工作者): who they are, where they work and since when."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worker_profile",
    )
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number_encrypted = models.TextField(_("身份证号码（密文）"), editable=False, blank=True)
    id_number_hash = models.CharField(
        _("身份证号码索引"), max_length=64, editable=False, blank=True
    )
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False, blank=True)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices)
    major = models.CharField(_("专业"), max_length=100, blank=True)
    social_work_major = models.BooleanField(_("社会工作专业"), default=False)
    employer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        related_name="workers",
    )
    # The employer's region, kept with the profile: the scoping field (like a resident's region).
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False, db_index=True)
    post = models.CharField(_("岗位"), max_length=100, blank=True)
    employment_type = models.CharField(
        _("用工性质"), max_length=20, choices=EmploymentType.choices, blank=True
    )
    work_start_date = models.DateField(_("参加工作时间"), null=True, blank=True)
    social_work_start_date = models.DateField(_("从事社会工作起始时间"), null=True, blank=True)
    post_start_date = models.DateField(_("现岗位起始时间"), null=True, blank=True)
    skills = models.TextField(_("专长"), blank=True)
    service_fields = models.CharField(_("服务领域"), max_length=200, blank=True)
    party_member = models.BooleanField(_("中共党员"), default=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=WorkerStatus.choices, default=WorkerStatus.IN_POST
    )
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    leave_reason = models.CharField(_("离职原因"), max_length=200, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords(excluded_fields=["id_number_encrypted"])

    class Meta:
        verbose_name = _("社会工作者")
        verbose_name_plural = pgettext_lazy("plural", "社会工作者")
        indexes = [
            models.Index(fields=["region_code", "status", "name"], name="worker_region_status"),
            models.Index(fields=["employer", "status"], name="worker_employer_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="worker_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PostRecord(models.Model):
    """A post a worker held (任职经历): where, what, from when to when."""

    worker = models.ForeignKey(
        WorkerProfile, verbose_name=_("社会工作者"), on_delete=models.CASCADE, related_name="posts"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("工作单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False, db_index=True)
    post = models.CharField(_("岗位"), max_length=100, blank=True)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任职经历")
        verbose_name_plural = pgettext_lazy("plural", "任职经历")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.post}"


class Certificate(models.Model):
    """A social work qualification certificate (职业水平证书)."""

    worker = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("社会工作者"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False, db_index=True)
    level = models.CharField(_("等级"), max_length=20, choices=QualificationLevel.choices)
    number = models.CharField(_("证书编号"), max_length=50)
    issued_on = models.DateField(_("取得日期"))
    issuing_body = models.CharField(_("发证机关"), max_length=100, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职业水平证书")
        verbose_name_plural = pgettext_lazy("plural", "职业水平证书")
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(fields=["level", "number"], name="certificate_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.number}"

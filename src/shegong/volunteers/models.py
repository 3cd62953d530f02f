"""Volunteers (志愿者), teams, activities with shifts and sign-ups, service records, certificates.

Every regional row carries the 12-digit region code of where it belongs (a volunteer's home
region, an activity's place) so lists and roll-ups filter by a code range without joins.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.models import TimeStampedModel
from shegong.core.scoping import ScopedQuerySet, scoped_manager


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    LEAGUE_MEMBER = "league_member", _("共青团员")
    OTHER_PARTY = "other_party", _("民主党派")
    MASSES = "masses", _("群众")


PARTY_STATUSES = {PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY}


class Skill(models.TextChoices):
    ELDERLY_CARE = "elderly_care", _("长者照护")
    CHILD_CARE = "child_care", _("儿童陪伴")
    MEDICAL = "medical", _("医疗护理")
    PSYCHOLOGY = "psychology", _("心理疏导")
    LAW = "law", _("法律咨询")
    TEACHING = "teaching", _("课业辅导")
    SIGN_LANGUAGE = "sign_language", _("手语")
    DRIVING = "driving", _("驾驶")
    FIRST_AID = "first_aid", _("应急救护")
    IT = "it", _("信息技术")
    ARTS = "arts", _("文艺")
    CANTONESE = "cantonese", _("粤语")


class ServiceType(models.TextChoices):
    ELDERLY = "elderly", _("为老服务")
    CHILDREN = "children", _("儿童关爱")
    DISABILITY = "disability", _("助残服务")
    GOVERNANCE = "governance", _("社区治理")
    MEDIATION = "mediation", _("矛盾纠纷调解协助")
    EMERGENCY = "emergency", _("应急救援")
    ENVIRONMENT = "environment", _("生态环保")
    CULTURE = "culture", _("文化服务")
    POVERTY = "poverty", _("帮困助弱")
    OTHER = "other", _("其他")


WEEKDAYS = [(0, _("周一")), (1, _("周二")), (2, _("周三")), (3, _("周四")), (4, _("周五"))]
WEEKDAYS += [(5, _("周六")), (6, _("周日"))]


class VolunteerQuerySet(ScopedQuerySet):
    region_field = "region"

    def active(self):
        return self.filter(is_active=True)


class Volunteer(TimeStampedModel):
    """A registered volunteer. The ID number is stored encrypted, hashed and masked only."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("本人在门户注册")
        ORGANISATION = "organisation", _("组织代为登记")
        IMPORT = "import", _("批量导入")

    number = models.CharField(_("志愿者编号"), max_length=24, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number_encrypted = models.TextField(_("身份证号（加密）"), editable=False)
    id_number_hash = models.CharField(_("身份证号索引"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=24, editable=False)
    phone = models.CharField(_("联系电话"), max_length=20)
    skills = models.JSONField(_("技能特长"), default=list, blank=True)
    languages = models.CharField(_("语言"), max_length=100, blank=True, default="普通话")
    availability = models.JSONField(_("可服务时间（星期）"), default=list, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("居住区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalStatus.choices
    )
    is_party_member = models.BooleanField(_("党员志愿者"), default=False)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("登记组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("登记方式"), max_length=16, choices=Source.choices)
    consent_at = models.DateTimeField(_("同意个人信息使用时间"), null=True, blank=True)
    consent_public = models.BooleanField(_("同意公开姓名与服务时长"), default=False)
    is_active = models.BooleanField(_("在册"), default=True)
    certified_hours = models.DecimalField(
        _("累计认证时长（小时）"), max_digits=9, decimal_places=2, default=Decimal("0")
    )

    objects = VolunteerQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["id_number_encrypted", "certified_hours"])

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = pgettext_lazy("plural", "志愿者")
        indexes = [
            # covering: roll-ups count by region without visiting the rows (index-only scans)
            models.Index(
                fields=["region", "created_at", "is_active", "is_party_member"],
                name="vol_region_created_cover",
            ),
            models.Index(fields=["region", "name"], name="vol_region_name"),
            models.Index(fields=["phone"], name="vol_phone"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="vol_id_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    @property
    def star_level(self) -> int:
        from shegong.volunteers.rules import star_level

        return star_level(self.certified_hours)

    @property
    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [str(labels.get(s, s)) for s in self.skills]


class VolunteerApplicationQuerySet(ScopedQuerySet):
    region_field = "region"

    def pending(self):
        return self.filter(status=VolunteerApplication.Status.PENDING)


class VolunteerApplication(TimeStampedModel):
    """A registration submitted on the public portal, waiting for review by staff of the home
    region (志愿者注册申请). Nothing becomes a volunteer or an account until it is approved, so
    the portal answers every submission alike and never tells whether an ID number or a login
    name is already known (docs/decisions/0007-client-address-rate-limits-tokens.md)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number_encrypted = models.TextField(_("身份证号（加密）"), editable=False)
    id_number_hash = models.CharField(_("身份证号索引"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=24, editable=False)
    phone = models.CharField(_("联系电话"), max_length=20)
    skills = models.JSONField(_("技能特长"), default=list, blank=True)
    languages = models.CharField(_("语言"), max_length=100, blank=True, default="普通话")
    availability = models.JSONField(_("可服务时间（星期）"), default=list, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("居住区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalStatus.choices
    )
    consent_at = models.DateTimeField(_("同意个人信息使用时间"))
    consent_public = models.BooleanField(_("同意公开姓名与服务时长"), default=False)
    username = models.CharField(_("申请的登录账号"), max_length=150)
    # The chosen password, hashed as for an account; cleared once the application is decided.
    password = models.CharField(_("登录密码（哈希）"), max_length=128, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    volunteer = models.OneToOneField(
        Volunteer,
        verbose_name=_("志愿者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )

    objects = VolunteerApplicationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["id_number_encrypted", "password"])

    class Meta:
        verbose_name = _("志愿者注册申请")
        verbose_name_plural = pgettext_lazy("plural", "志愿者注册申请")
        indexes = [models.Index(fields=["region", "status", "created_at"], name="vol_app_review")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=models.Q(status="pending"),
                name="vol_app_one_pending_per_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:applications")

    @property
    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [str(labels.get(s, s)) for s in self.skills]


class Team(TimeStampedModel):
    """A volunteer team (志愿服务队) of an organisation."""

    class Kind(models.TextChoices):
        PARTY = "party", _("党员志愿服务队")
        ORGANISATION = "organisation", _("社会工作服务机构志愿服务队")
        COMMUNITY = "community", _("社区志愿服务队")

    name = models.CharField(_("队伍名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    objects = scoped_manager("region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = pgettext_lazy("plural", "志愿服务队")
        indexes = [models.Index(fields=["region", "name"], name="team_region_name")]

    def __str__(self) -> str:
        return self.name


class TeamMemberQuerySet(ScopedQuerySet):
    region_field = "region_code"

    def current(self):
        return self.filter(left_on__isnull=True)


class TeamMember(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("队伍"), on_delete=models.CASCADE)
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE)
    region_code = models.CharField(_("区划代码"), max_length=12)
    joined_on = models.DateField(_("加入日期"), default=timezone.localdate)
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    is_leader = models.BooleanField(_("队长"), default=False)

    objects = TeamMemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = pgettext_lazy("plural", "队员")
        indexes = [
            models.Index(fields=["team", "left_on"], name="teammember_team"),
            models.Index(fields=["volunteer"], name="teammember_volunteer"),
        ]
        default_related_name = "team_members"

    def __str__(self) -> str:
        return f"{self.team_id}:{self.volunteer_id}"


class ActivityQuerySet(ScopedQuerySet):
    region_field = "region"

    def published(self):
        return self.filter(status__in=(Activity.Status.PUBLISHED, Activity.Status.COMPLETED))


class Activity(TimeStampedModel):
    """A volunteer service activity (志愿服务活动), possibly a named service brand (品牌活动)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        COMPLETED = "completed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("活动名称"), max_length=200)
    description = models.TextField(_("活动内容"), blank=True)
    service_type = models.CharField(_("服务类别"), max_length=20, choices=ServiceType.choices)
    beneficiaries = models.CharField(_("服务对象"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    site = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("服务站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("活动地点"), max_length=300, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    is_brand = models.BooleanField(_("品牌活动"), default=False)
    brand_name = models.CharField(_("品牌名称"), max_length=100, blank=True)
    auto_accept = models.BooleanField(_("报名自动通过"), default=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    person_in_charge = models.CharField(_("负责人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = pgettext_lazy("plural", "志愿服务活动")
        indexes = [
            models.Index(fields=["region", "starts_at"], name="act_region_start"),
            models.Index(fields=["status", "starts_at"], name="act_status_start"),
            models.Index(fields=["organisation", "starts_at"], name="act_org_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteers:activity", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.COMPLETED)


class Shift(models.Model):
    """A time slot of an activity with its capacity and the skills it needs (班次)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="shifts"
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    title = models.CharField(_("班次名称"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1)])
    required_skills = models.JSONField(_("所需技能"), default=list, blank=True)
    checkin_code = models.CharField(_("签到码"), max_length=8)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = pgettext_lazy("plural", "班次")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["activity", "starts_at"], name="shift_activity"),
            models.Index(fields=["starts_at"], name="shift_start"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at).strftime("%m-%d %H:%M")
        return f"{self.activity.title} · {self.title or when}"


class SignUp(models.Model):
    """A volunteer's sign-up for a shift (报名)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已录用")
        WAITLISTED = "waitlisted", _("候补")
        WITHDRAWN = "withdrawn", _("已退出")
        REJECTED = "rejected", _("未录用")
        INVITED = "invited", _("已邀请")

    shift = models.ForeignKey(
        Shift, verbose_name=_("班次"), on_delete=models.CASCADE, related_name="signups"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="signups"
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = pgettext_lazy("plural", "报名")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="signup_unique"),
        ]
        indexes = [
            models.Index(fields=["shift", "status", "created_at"], name="signup_shift_status"),
            models.Index(fields=["volunteer", "created_at"], name="signup_volunteer"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.shift_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:activity", args=[self.shift.activity_id])

    @property
    def stage(self) -> str:
        """Where the sign-up stands in its lifecycle (volunteers.workflow.SIGNUP): the status,
        with an accepted sign-up further told apart by its check-in and check-out."""
        if self.status == self.Status.ACCEPTED:
            if self.checked_out_at is not None:
                return "served"
            if self.checked_in_at is not None:
                return "checked_in"
        return self.status


class ServiceRecordQuerySet(ScopedQuerySet):
    region_field = "region_code"

    def confirmed(self):
        return self.filter(status=ServiceRecord.Status.CONFIRMED)


class ServiceRecord(TimeStampedModel):
    """A volunteer service record (志愿服务记录): whoever organises records, whoever records
    certifies. Hours are actual service time, travel excluded."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        VOID = "void", _("已作废")

    class Source(models.TextChoices):
        CHECKIN = "checkin", _("签到签退")
        MANUAL = "manual", _("手工录入")
        IMPORT = "import", _("外部导入")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="records"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    signup = models.OneToOneField(
        SignUp,
        verbose_name=_("报名"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="record",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("记录组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    activity_name = models.CharField(_("活动名称"), max_length=200)
    service_date = models.DateField(_("服务日期"))
    place = models.CharField(_("服务地点"), max_length=300, blank=True)
    beneficiaries = models.CharField(_("服务对象"), max_length=200, blank=True)
    content = models.CharField(_("服务内容"), max_length=500, blank=True)
    hours = models.DecimalField(
        _("服务时长（小时）"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
    )
    quality_rating = models.PositiveSmallIntegerField(
        _("服务评价"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorder_name = models.CharField(_("记录人姓名"), max_length=50, blank=True)
    person_in_charge = models.CharField(_("负责人"), max_length=50, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = ServiceRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = pgettext_lazy("plural", "志愿服务记录")
        indexes = [
            models.Index(fields=["volunteer", "status", "service_date"], name="rec_volunteer"),
            models.Index(fields=["region_code", "service_date"], name="rec_region_date"),
            models.Index(
                fields=["service_date", "region_code", "status", "hours", "volunteer"],
                name="rec_date_region_cover",
            ),
            models.Index(fields=["activity"], name="rec_activity"),
            models.Index(fields=["organisation", "service_date"], name="rec_org_date"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_name} · {self.service_date} · {self.hours}h"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:record", args=[self.pk])


class RecordBeneficiary(models.Model):
    """A registered resident (服务对象) a service record served: the record's free-text
    beneficiaries stay for people not registered; this link puts the help on the resident's page.
    Scoped by the resident's village (`region_code`), as the resident's other rows are."""

    record = models.ForeignKey(
        ServiceRecord,
        verbose_name=_("服务记录"),
        on_delete=models.CASCADE,
        related_name="resident_links",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("服务对象"),
        on_delete=models.PROTECT,
        related_name="volunteer_services",
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("关联时间"), default=timezone.now)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务记录的服务对象")
        verbose_name_plural = pgettext_lazy("plural", "志愿服务记录的服务对象")
        constraints = [
            models.UniqueConstraint(fields=["record", "resident"], name="recben_unique"),
        ]
        indexes = [
            models.Index(fields=["resident", "region_code"], name="recben_resident"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.resident_id}"


class Certificate(models.Model):
    """A volunteer service certificate (志愿服务证明) with a verifiable number."""

    number = models.CharField(_("证明编号"), max_length=32, unique=True)
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="certificates"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("出具组织"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    period_start = models.DateField(_("服务起始日期"))
    period_end = models.DateField(_("服务截止日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=9, decimal_places=2)
    record_count = models.PositiveIntegerField(_("服务记录数"))
    content = models.TextField(_("服务内容"))
    person_in_charge = models.CharField(_("负责人"), max_length=50)
    handler = models.CharField(_("经办人"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=50)
    issued_on = models.DateField(_("出具日期"), default=timezone.localdate)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("志愿服务证明")
        verbose_name_plural = pgettext_lazy("plural", "志愿服务证明")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Notice(models.Model):
    """A message to a volunteer shown on their page (reminders, invitations, waiting list)."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="notices"
    )
    text = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = pgettext_lazy("plural", "通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["volunteer", "created_at"], name="notice_volunteer")]

    def __str__(self) -> str:
        return self.text

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
    # Kept by certificate_record: the highest level held, for lists and counts by level.
    highest_level = models.CharField(
        _("最高等级"), max_length=20, choices=QualificationLevel.choices, blank=True
    )
    approved_supervisor = models.BooleanField(_("经认定的督导"), default=False)

    objects = scoped_manager("region_code")
    history = HistoricalRecords(excluded_fields=["id_number_encrypted"])

    class Meta:
        verbose_name = _("社会工作者")
        verbose_name_plural = pgettext_lazy("plural", "社会工作者")
        indexes = [
            models.Index(fields=["region_code", "status", "name"], name="worker_region_status"),
            models.Index(fields=["employer", "status"], name="worker_employer_status"),
            # party-member workers in post per region (the party coverage roll-up): an
            # index-only count over a range of codes
            models.Index(
                fields=["region_code"],
                condition=models.Q(party_member=True, status="in_post"),
                name="worker_party_in_post",
            ),
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


class TrainingKind(models.TextChoices):
    THEORY = "theory", _("理论")
    PRACTICE = "practice", _("实务")


class Registration(models.Model):
    """A registration of a certificate (职业水平证书登记): valid 3 years, renewed on evidence of
    continuing education (rules.py)."""

    class Kind(models.TextChoices):
        FIRST = "first", _("首次登记")
        RENEWAL = "renewal", _("再登记")

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        RENEWED = "renewed", _("已再登记")
        LAPSED = "lapsed", _("已失效")

    worker = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("社会工作者"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("证书"), on_delete=models.PROTECT, related_name="registrations"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    level = models.CharField(_("等级"), max_length=20, choices=QualificationLevel.choices)
    kind = models.CharField(_("登记类型"), max_length=10, choices=Kind.choices)
    registered_on = models.DateField(_("登记日期"))
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    hours_at_renewal = models.DecimalField(
        _("再登记时的继续教育学时"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("证书登记")
        verbose_name_plural = pgettext_lazy("plural", "证书登记")
        ordering = ["-valid_from"]
        indexes = [
            # the lapse-risk list: active registrations of a subtree ending soon
            models.Index(
                fields=["status", "region_code", "valid_until"], name="registration_lapse"
            ),
            models.Index(fields=["worker", "status"], name="registration_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.valid_from}–{self.valid_until}"


class TrainingCourse(TimeStampedModel):
    """A continuing-education course (继续教育培训班)."""

    organiser = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False, db_index=True)
    title = models.CharField(_("课程名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=TrainingKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    capacity = models.PositiveIntegerField(_("名额"))
    place = models.CharField(_("地点"), max_length=200, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("继续教育课程")
        verbose_name_plural = pgettext_lazy("plural", "继续教育课程")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    """A worker on a course; attendance marked completes it and credits the hours."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("已报名")
        COMPLETED = "completed", _("已结业")
        ABSENT = "absent", _("缺席")

    course = models.ForeignKey(
        TrainingCourse, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="enrolments"
    )
    worker = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("社会工作者"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ENROLLED
    )
    hours_attended = models.DecimalField(
        _("出勤学时"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("课程报名")
        verbose_name_plural = pgettext_lazy("plural", "课程报名")
        constraints = [models.UniqueConstraint(fields=["course", "worker"], name="enrolment_once")]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.worker_id}"


class ExternalHours(TimeStampedModel):
    """Continuing-education hours earned elsewhere, counted once approved (workflow.py)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已认定")
        REJECTED = "rejected", _("未认定")

    worker = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("社会工作者"),
        on_delete=models.CASCADE,
        related_name="external_hours",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False, db_index=True)
    title = models.CharField(_("学习内容"), max_length=200)
    provider = models.CharField(_("举办单位"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=TrainingKind.choices)
    completed_on = models.DateField(_("完成日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    evidence = models.CharField(_("证明材料"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("外部继续教育学时")
        verbose_name_plural = pgettext_lazy("plural", "外部继续教育学时")
        ordering = ["-completed_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("workforce:detail", args=[self.worker_id])


class HoursCredit(models.Model):
    """The ledger of continuing-education hours credited to a worker: one row per completed
    enrolment, approved external record or mentoring session. Sums over a registration period
    read this table alone (index worker, credited_on)."""

    class Source(models.TextChoices):
        COURSE = "course", _("课程")
        EXTERNAL = "external", _("外部学时")
        MENTORING = "mentoring", _("督导带教")

    worker = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("社会工作者"),
        on_delete=models.CASCADE,
        related_name="hours_credits",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    credited_on = models.DateField(_("计入日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=TrainingKind.choices)
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.CASCADE, related_name="credit"
    )
    external = models.OneToOneField(
        ExternalHours, null=True, blank=True, on_delete=models.CASCADE, related_name="credit"
    )
    session = models.OneToOneField(
        "workforce.MentoringSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="credit",
    )

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("继续教育学时记录")
        verbose_name_plural = pgettext_lazy("plural", "继续教育学时记录")
        indexes = [
            models.Index(fields=["worker", "credited_on"], name="hours_worker_date"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.hours}"


class MentorPair(TimeStampedModel):
    """A mentor and a mentee (督导带教) within a department's subtree."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("带教中")
        CLOSED = "closed", _("已结束")

    mentor = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("督导（导师）"),
        on_delete=models.PROTECT,
        related_name="mentees_pairs",
    )
    mentee = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("带教对象"),
        on_delete=models.PROTECT,
        related_name="mentor_pairs",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False, db_index=True)
    started_on = models.DateField(_("开始日期"))
    goals = models.TextField(_("带教计划目标"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    evaluation = models.TextField(_("结束评估"), blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督导带教")
        verbose_name_plural = pgettext_lazy("plural", "督导带教")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status="active"),
                name="mentor_pair_one_active",
            )
        ]
        indexes = [models.Index(fields=["mentor", "status"], name="mentor_pair_mentor")]

    def __str__(self) -> str:
        return f"{self.mentor_id}→{self.mentee_id}"


class MentoringSession(models.Model):
    """A mentoring session (带教记录): theory, or practice on a real visit or case."""

    pair = models.ForeignKey(
        MentorPair, verbose_name=_("督导带教"), on_delete=models.CASCADE, related_name="sessions"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    held_on = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=TrainingKind.choices)
    hours = models.DecimalField(_("时长（小时）"), max_digits=4, decimal_places=1)
    topic = models.CharField(_("主题"), max_length=200)
    notes = models.TextField(_("记录"), blank=True)
    visit = models.ForeignKey(
        "people.Visit",
        verbose_name=_("关联探访"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("关联个案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("带教记录")
        verbose_name_plural = pgettext_lazy("plural", "带教记录")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.topic

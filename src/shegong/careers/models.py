"""Careers of social workers: title evaluation (职称评审), appraisal (年度考核), rewards and
discipline (奖惩), and the pay guidance a department sets. The workforce register itself
(profiles, posts, certificates) is `shegong.workforce`; every row here points at a profile and
carries the profile's region code (the scoping field)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.models import TimeStampedModel
from shegong.core.scoping import ScopedQuerySet, scoped_manager
from shegong.workforce.models import Education, QualificationLevel

# Education ranks, for "at least" conditions.
EDUCATION_RANK = {
    Education.HIGH_SCHOOL: 1,
    Education.COLLEGE: 2,
    Education.BACHELOR: 3,
    Education.MASTER: 4,
    Education.DOCTORATE: 5,
}


class TitleRoundQuerySet(ScopedQuerySet):
    region_field = "region_code"
    public_reason = (
        "A title round is a published notice of a province (评审通知): every worker below it "
        "may read its conditions and apply"
    )


class TitleRound(TimeStampedModel):
    """A title evaluation round (职称评审) a province opens for one level, with its conditions
    as data."""

    class Status(models.TextChoices):
        OPEN = "open", _("接受申报")
        CLOSED = "closed", _("申报截止")

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)
    title = models.CharField(_("评审名称"), max_length=200)
    level = models.CharField(_("评审等级"), max_length=20, choices=QualificationLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    closes_on = models.DateField(_("申报截止日期"))
    min_education = models.CharField(
        _("最低学历"), max_length=20, choices=Education.choices, default=Education.BACHELOR
    )
    min_years = models.PositiveSmallIntegerField(_("从事社会工作最低年限"), default=5)
    exam_required = models.BooleanField(_("须通过考试"), default=True)
    exam_valid_years = models.PositiveSmallIntegerField(_("考试成绩有效期（年）"), default=3)
    achievements_required = models.BooleanField(_("须提交业绩成果"), default=True)
    pass_score = models.PositiveSmallIntegerField(_("通过分数线"), default=60)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TitleRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职称评审")
        verbose_name_plural = pgettext_lazy("plural", "职称评审")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("careers:round", args=[self.pk])


class TitleApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("已申报待单位确认")
    RETURNED = "returned", _("单位退回")
    CONFIRMED = "confirmed", _("单位已确认待评审")
    SCORED = "scored", _("已评分待决定")
    PASSED = "passed", _("评审通过待公示")
    FAILED = "failed", _("未通过")
    NOTICE = "notice", _("公示中")
    OBJECTED = "objected", _("公示有异议")
    EFFECTIVE = "effective", _("已生效")


class TitleApplication(TimeStampedModel):
    """A candidate's application in a round (职称申报): materials, the employer's
    confirmation, the panel's score and decision, the public notice and the effect."""

    round = models.ForeignKey(
        TitleRound,
        verbose_name=_("职称评审"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    worker = models.ForeignKey(
        "workforce.WorkerProfile",
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        related_name="title_applications",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=TitleApplicationStatus.choices,
        default=TitleApplicationStatus.APPLIED,
    )
    exam_passed_on = models.DateField(_("考试通过日期"), null=True, blank=True)
    years_in_social_work = models.PositiveSmallIntegerField(_("从事社会工作年限"), default=0)
    achievements = models.TextField(_("业绩成果"), blank=True)
    statement = models.TextField(_("个人述职"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_on = models.DateField(_("单位确认日期"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("评审得分"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    panel_comment = models.TextField(_("评审意见"), blank=True)
    decided_on = models.DateField(_("评审决定日期"), null=True, blank=True)
    # The public notice (公示): at least 5 working days (职称评审管理暂行规定, 2019).
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示截止"), null=True, blank=True)
    notice_provisional = models.BooleanField(_("公示截止暂定"), default=False)
    objection = models.TextField(_("异议"), blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    certificate = models.OneToOneField(
        "workforce.Certificate",
        verbose_name=_("取得的证书"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="title_application",
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职称申报")
        verbose_name_plural = pgettext_lazy("plural", "职称申报")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "worker"], name="title_application_once")
        ]
        indexes = [models.Index(fields=["status", "notice_until"], name="title_notice_due")]

    def __str__(self) -> str:
        return f"{self.worker} · {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("careers:application", args=[self.pk])


class TitleEvent(models.Model):
    """Every step of an application: who, when, from which state to which, the note."""

    application = models.ForeignKey(
        TitleApplication, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("环节"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职称申报记录")
        verbose_name_plural = pgettext_lazy("plural", "职称申报记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.to_status}"


class AppraisalScheme(TimeStampedModel):
    """How a department appraises its social workers (考核方案): the weight of each measure,
    the targets that earn full marks, the grade thresholds and the cap on "excellent"."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("考核单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)
    name = models.CharField(_("方案名称"), max_length=200)
    weight_visits = models.PositiveSmallIntegerField(_("探访完成率权重"), default=20)
    weight_cases = models.PositiveSmallIntegerField(_("个案权重"), default=15)
    weight_matters = models.PositiveSmallIntegerField(_("事项按期办理权重"), default=15)
    weight_satisfaction = models.PositiveSmallIntegerField(_("满意度权重"), default=10)
    weight_volunteering = models.PositiveSmallIntegerField(_("志愿活动权重"), default=10)
    weight_training = models.PositiveSmallIntegerField(_("培训学时权重"), default=10)
    weight_supervisor = models.PositiveSmallIntegerField(_("督导评分权重"), default=20)
    cases_target = models.PositiveSmallIntegerField(_("个案目标（开案+结案）"), default=10)
    activities_target = models.PositiveSmallIntegerField(_("志愿活动目标"), default=4)
    training_hours_target = models.PositiveSmallIntegerField(_("培训学时目标"), default=30)
    excellent_min = models.PositiveSmallIntegerField(_("优秀分数线"), default=90)
    competent_min = models.PositiveSmallIntegerField(_("称职分数线"), default=75)
    basic_min = models.PositiveSmallIntegerField(_("基本称职分数线"), default=60)
    excellent_cap_percent = models.PositiveSmallIntegerField(
        _("优秀比例上限（%）"),
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    @property
    def excellent_cap_share(self):
        """The cap as a share (0.2 for 20 %), for writing as a percent figure."""
        return self.excellent_cap_percent / 100

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = pgettext_lazy("plural", "考核方案")
        ordering = ["region_code", "id"]

    def __str__(self) -> str:
        return self.name


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class Appraisal(TimeStampedModel):
    """One worker's appraisal for one period (年度/季度考核), computed from the platform's own
    records (visits, cases, matters, volunteer activities), the training hours and the
    supervisor's score; the grade is given within the scheme's cap on "excellent"."""

    scheme = models.ForeignKey(
        AppraisalScheme,
        verbose_name=_("考核方案"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    worker = models.ForeignKey(
        "workforce.WorkerProfile",
        verbose_name=_("社会工作者"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)
    period = models.CharField(_("考核期"), max_length=20)
    period_start = models.DateField(_("考核期开始"))
    period_end = models.DateField(_("考核期结束"))
    visits_planned = models.PositiveIntegerField(_("计划探访次数"), default=0)
    visits_done = models.PositiveIntegerField(_("完成探访次数"), default=0)
    cases_opened = models.PositiveIntegerField(_("开案数"), default=0)
    cases_closed = models.PositiveIntegerField(_("结案数"), default=0)
    matters_handled = models.PositiveIntegerField(_("办理事项数"), default=0)
    matters_on_time = models.PositiveIntegerField(_("按期答复事项数"), default=0)
    matters_rated = models.PositiveIntegerField(_("已评价事项数"), default=0)
    matters_satisfied = models.PositiveIntegerField(_("满意事项数"), default=0)
    activities_organised = models.PositiveIntegerField(_("组织志愿活动数"), default=0)
    training_hours = models.PositiveIntegerField(_("培训学时"), default=0)
    supervisor_score = models.PositiveSmallIntegerField(
        _("督导评分"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    supervisor_comment = models.TextField(_("督导评语"), blank=True)
    score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1, default=0)
    suggested_grade = models.CharField(
        _("按分数应得等次"), max_length=12, choices=Grade.choices, blank=True
    )
    grade = models.CharField(_("考核等次"), max_length=12, choices=Grade.choices, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = pgettext_lazy("plural", "考核")
        ordering = ["-period_start", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "worker", "period"], name="appraisal_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("careers:appraisal", args=[self.pk])


class RecordKind(models.TextChoices):
    REWARD = "reward", _("奖励")
    DISCIPLINE = "discipline", _("处分")


class ConductRecord(TimeStampedModel):
    """A reward or commendation (奖励、表彰) or a disciplinary record (处分), with its basis."""

    worker = models.ForeignKey(
        "workforce.WorkerProfile",
        verbose_name=_("社会工作者"),
        on_delete=models.PROTECT,
        related_name="conduct_records",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)
    kind = models.CharField(_("类别"), max_length=12, choices=RecordKind.choices)
    title = models.CharField(
        _("名称"), max_length=200, help_text=_("如：嘉奖、记功、优秀社工；警告、记过")
    )
    basis = models.CharField(_("依据"), max_length=300)
    decided_on = models.DateField(_("决定日期"))
    ends_on = models.DateField(_("期满日期"), null=True, blank=True)
    issued_by = models.CharField(_("决定单位"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("奖惩记录")
        verbose_name_plural = pgettext_lazy("plural", "奖惩记录")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"


class PayGuidance(TimeStampedModel):
    """A local guidance figure for a social worker's monthly pay (薪酬指导价), set by a
    department for its region and a year."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    monthly_yuan = models.PositiveIntegerField(_("月薪指导价（元）"))
    document = models.CharField(_("依据文件"), max_length=200, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("薪酬指导价")
        verbose_name_plural = pgettext_lazy("plural", "薪酬指导价")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year"], name="pay_guidance_once")
        ]


class WorkerPay(TimeStampedModel):
    """What a worker is paid per month in a year (as the employer reports it)."""

    worker = models.ForeignKey(
        "workforce.WorkerProfile",
        verbose_name=_("社会工作者"),
        on_delete=models.CASCADE,
        related_name="pay_records",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    monthly_yuan = models.PositiveIntegerField(_("月薪（元）"))

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("薪酬")
        verbose_name_plural = pgettext_lazy("plural", "薪酬")
        constraints = [models.UniqueConstraint(fields=["worker", "year"], name="worker_pay_once")]


STAFFING_TALLY_DEPTHS = (0, 2, 4, 6)  # the country, provinces, cities, counties


class StaffingTally(models.Model):
    """The workforce figures of one region (province, city or county, or the country) for one
    year, refreshed by the scheduler (`careers.services.tally`): what the staffing and retention
    roll-up of the country, a province or a city shows, read as a few rows instead of grouping
    every worker profile. `region_code` is the region's 12-digit code and `depth` the length of
    its significant prefix (0, 2, 4, 6), so a region's children are a range of codes at the
    child depth. `in_post`, `station_filled` and `certified` are as counted at `as_of` (the
    same in every year's row, as the live roll-up counts them); the others are the year's.
    `pay` maps a monthly amount in yuan to the number of in-post workers paid it that year (so
    the average and the count below any guidance figure follow); `leave_reasons` maps a reason
    to the number who left for it in the year."""

    region_code = models.CharField(_("区划代码"), max_length=12)
    depth = models.PositiveSmallIntegerField(_("代码前缀长度"))
    year = models.PositiveSmallIntegerField(_("年度"))
    in_post = models.PositiveIntegerField(_("在岗社工"), default=0)
    station_filled = models.PositiveIntegerField(_("社工站在岗"), default=0)
    certified = models.PositiveIntegerField(_("持证"), default=0)
    joiners = models.PositiveIntegerField(_("入职"), default=0)
    leavers = models.PositiveIntegerField(_("离职"), default=0)
    at_start = models.PositiveIntegerField(_("期初在岗"), default=0)
    retained = models.PositiveIntegerField(_("留任"), default=0)
    pay = models.JSONField(_("月薪分布"), default=dict)
    leave_reasons = models.JSONField(_("离职原因"), default=dict)
    as_of = models.DateTimeField(_("统计时间"))

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("岗位配备统计")
        verbose_name_plural = pgettext_lazy("plural", "岗位配备统计")
        constraints = [
            models.UniqueConstraint(
                fields=["depth", "year", "region_code"], name="staffing_tally_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}: {self.in_post}"

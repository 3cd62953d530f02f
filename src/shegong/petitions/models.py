from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.attachments import AttachedFile
from shegong.core.models import TimeStampedModel
from shegong.core.scoping import ScopedQuerySet, scoped_manager
from shegong.petitions.workflow import OPEN_STATUSES, MediationOutcome, Status
from shegong.workdays.models import DayRule


class Kind(models.TextChoices):
    PETITION = "petition", _("信访")
    COMPLAINT = "complaint", _("投诉")
    REQUEST = "request", _("求助建议")
    DISPUTE = "dispute", _("矛盾纠纷")


class Channel(models.TextChoices):
    VISIT = "visit", _("走访")
    LETTER = "letter", _("来信")
    PHONE = "phone", _("来电")
    HOTLINE = "hotline", _("12345 热线转办")
    FAX = "fax", _("传真")  # 信访工作条例 Art. 17
    ONLINE = "online", _("网上")
    FIELD = "field", _("排查发现")
    MEETING = "meeting", _("群众接待会")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class Tier(models.IntegerChoices):
    COUNTY = 3, _("县级")
    TOWNSHIP = 4, _("乡镇（街道）级")
    VILLAGE = 5, _("村（社区）级")


class ReplyKind(models.TextChoices):
    SUPPORT = "support", _("支持")
    EXPLAIN = "explain", _("解释说明")
    NOT_SUPPORT = "not_support", _("不支持")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class ConfirmationChoice(models.TextChoices):
    UNDECIDED = "undecided", _("尚未选择")
    APPLY = "apply", _("申请司法确认")
    DECLINE = "decline", _("不申请")


class Category(models.Model):
    """Two-level taxonomy (事项分类); the code is the Open311 service_code."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("事项分类")
        verbose_name_plural = pgettext_lazy("plural", "事项分类")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    @property
    def top(self) -> "Category":
        return self.parent if self.parent_id else self


class DeadlineSetting(models.Model):
    """A statutory period (信访工作条例 2022) and whether it counts calendar or working days."""

    key = models.CharField(_("键"), max_length=30, unique=True)
    label = models.CharField(_("期限"), max_length=100)
    days = models.PositiveSmallIntegerField(_("天数"))
    day_rule = models.CharField(
        _("计算方式"), max_length=10, choices=DayRule.choices, default=DayRule.CALENDAR
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("期限设置")
        verbose_name_plural = pgettext_lazy("plural", "期限设置")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return f"{self.label}：{self.days}"


class RoutingRule(models.Model):
    """Category × handling level → the kind (and sector) of the responsible unit."""

    category = models.ForeignKey(
        Category, verbose_name=_("分类"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    level = models.PositiveSmallIntegerField(
        _("办理层级"), choices=Tier.choices, default=Tier.COUNTY
    )
    org_kind = models.CharField(_("责任单位类型"), max_length=32)
    sector = models.CharField(_("职能领域"), max_length=32, blank=True)
    statutory_procedure = models.CharField(
        _("法定途径提示"),
        max_length=200,
        blank=True,
        help_text=_("如该类事项通常应通过诉讼、仲裁、行政复议等途径解决，在此说明"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分流规则")
        verbose_name_plural = pgettext_lazy("plural", "分流规则")
        constraints = [
            models.UniqueConstraint(fields=["category", "level"], name="routing_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.get_level_display()} → {self.org_kind_label}"

    @property
    def org_kind_label(self) -> str:
        from shegong.orgs.models import Kind

        return str(Kind(self.org_kind).label) if self.org_kind in Kind.values else self.org_kind

    @property
    def sector_label(self) -> str:
        from shegong.orgs.models import Sector

        return str(Sector(self.sector).label) if self.sector in Sector.values else self.sector


class MatterQuerySet(ScopedQuerySet):
    region_field = "region"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def counted(self):
        """Matters counted as new (repeats are linked to the first one, not counted)."""
        return self.filter(is_repeat=False)


class Matter(TimeStampedModel):
    """A petition, complaint, request or dispute (信访事项 / 矛盾纠纷)."""

    number = models.CharField(_("登记编号"), max_length=24, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("来源渠道"), max_length=12, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("事发地"), on_delete=models.PROTECT, related_name="+"
    )
    county_code = models.CharField(_("县级区划代码"), max_length=6, db_index=True)
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="matters"
    )
    title = models.CharField(_("标题"), max_length=100)
    request = models.TextField(_("诉求"))
    facts = models.TextField(_("事实和理由"), blank=True)
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    anonymous = models.BooleanField(_("匿名"), default=False)
    is_group = models.BooleanField(_("集体事项"), default=False)
    people_count = models.PositiveIntegerField(_("涉及人数"), default=1)
    received_on = models.DateField(_("收到日期"))
    tier = models.PositiveSmallIntegerField(
        _("办理层级"), choices=Tier.choices, default=Tier.COUNTY
    )
    # Petitioner contact for tracking (last four digits of the primary petitioner's phone).
    track_suffix = models.CharField(_("手机后四位"), max_length=4, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="+",
    )
    registering_org = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("登记单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="+",
    )
    handling_org = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_matters",
    )
    # The region code of the level above the handling unit: overdue matters escalate there.
    escalation_code = models.CharField(_("上一级区划"), max_length=12, blank=True)
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包案领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="+",
    )
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    objection_due = models.DateField(_("异议截止"), null=True, blank=True)
    objection_due_provisional = models.BooleanField(
        _("异议截止暂定"), default=False, db_default=False
    )
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    # The running deadline: period of `due_days` (rule `due_rule`) counted from `due_from`.
    due_stage = models.CharField(_("当前期限"), max_length=20, blank=True)
    due_from = models.DateField(_("期限起算日"), null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(_("期限天数"), null=True, blank=True)
    due_rule = models.CharField(_("计算方式"), max_length=10, choices=DayRule.choices, blank=True)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    extended_days = models.PositiveSmallIntegerField(_("延期天数"), default=0)
    # A matter received through the 12345 hotline: the centre's local time limit by urgency.
    hotline_due = models.DateField(_("热线工单时限"), null=True, blank=True)
    hotline_due_provisional = models.BooleanField(
        _("热线工单时限暂定"), default=False, db_default=False
    )
    is_overdue = models.BooleanField(_("已超期"), default=False)
    overdue_since = models.DateField(_("超期日期"), null=True, blank=True)
    # Reply (处理意见书) and closure.
    reply_kind = models.CharField(
        _("处理意见"), max_length=12, choices=ReplyKind.choices, blank=True
    )
    reply_text = models.TextField(_("处理意见书"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    routed_out_notice = models.TextField(_("告知书（法定途径）"), blank=True)
    review_level = models.PositiveSmallIntegerField(_("复查复核阶段"), default=0)
    chain_ended = models.BooleanField(_("复查复核终结"), default=False)
    followup_due = models.DateField(_("回访期限"), null=True, blank=True)
    followup_due_provisional = models.BooleanField(
        _("回访期限暂定"), default=False, db_default=False
    )
    followed_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rating_via = models.CharField(_("评价方式"), max_length=10, blank=True)
    rated_on = models.DateField(_("评价日期"), null=True, blank=True)
    # Repeats and merging (重信重访 / 并单).
    is_repeat = models.BooleanField(_("重复件"), default=False)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )
    repeat_count = models.PositiveIntegerField(_("重复次数"), default=0)
    is_supervised = models.BooleanField(_("督办"), default=False)
    finding_ref = models.CharField(_("来源探访发现"), max_length=64, blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)

    objects = MatterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信访事项")
        verbose_name_plural = pgettext_lazy("plural", "信访事项")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["region", "received_on"], name="matter_region_recv"),
            models.Index(fields=["handling_org", "status", "due_date"], name="matter_handler_due"),
            models.Index(fields=["county_code", "status", "due_date"], name="matter_county_due"),
            # No index or index predicate names is_overdue/overdue_since: the nightly
            # sweep then updates rows in place (HOT, fillfactor 85 on PostgreSQL, migration 0005).
            models.Index(fields=["escalation_code", "due_date"], name="matter_escalation"),
            models.Index(
                fields=["due_date"],
                name="matter_open_due",
                condition=models.Q(
                    status__in=[
                        "registered",
                        "assigned",
                        "accepted",
                        "mediating",
                        "review",
                        "rereview",
                    ]
                ),
            ),
            models.Index(
                fields=["county_code", "replied_on_time"],
                name="matter_on_time",
                condition=models.Q(replied_on_time__isnull=False),
            ),
            models.Index(
                fields=["due_from"],
                name="matter_provisional",
                condition=models.Q(due_provisional=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Petitioner(models.Model):
    """A petitioner of a matter (several for a group matter; at most 5 representatives)."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="petitioners"
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    phone_key = models.CharField(_("电话索引"), max_length=64, blank=True, db_index=True)
    id_number_encrypted = models.TextField(_("身份证号（加密）"), blank=True)
    id_number_hash = models.CharField(_("身份证号索引"), max_length=64, blank=True, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("第一信访人"), default=False)
    is_representative = models.BooleanField(_("代表"), default=False)
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("居民档案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    resident_ref = models.CharField(
        _("居民档案编号"),
        max_length=64,
        blank=True,
        help_text=_("已建档居民的编号（居民档案模块上线后关联）"),
    )

    history = HistoricalRecords(excluded_fields=["id_number_encrypted"])

    class Meta:
        verbose_name = _("信访人")
        verbose_name_plural = pgettext_lazy("plural", "信访人")
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.name or str(_("匿名"))


class MatterEvent(models.Model):
    """One step in a matter's timeline: who, when, what (status change or act)."""

    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,  # event_matter_at (matter, at) serves it
    )
    at = models.DateTimeField(_("时间"))
    action = models.CharField(_("环节"), max_length=30)
    label = models.CharField(_("环节名称"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    org_name = models.CharField(_("单位"), max_length=200, blank=True)
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    is_public = models.BooleanField(_("向信访人公开"), default=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = pgettext_lazy("plural", "办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["matter", "at"], name="event_matter_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.label}"


class Attachment(AttachedFile):
    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="petitions/%Y/%m/")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("plural", "附件")


class Assignment(models.Model):
    """A routing of the matter to a unit (交办), accepted or objected to."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        OBJECTED = "objected", _("已提出异议")

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="assignments"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    proposed = models.BooleanField(_("按分流规则建议"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_on = models.DateField(_("交办日期"))
    objection_due = models.DateField(_("异议截止"))
    objection_due_provisional = models.BooleanField(
        _("异议截止暂定"), default=False, db_default=False
    )
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    objection_reason = models.TextField(_("异议理由"), blank=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = pgettext_lazy("plural", "交办")
        ordering = ["assigned_on", "id"]

    def __str__(self) -> str:
        return f"{self.assigned_on} → {self.organisation}"


class Extension(models.Model):
    """The one extension of the handling period (up to 30 days, approved, reason told)."""

    matter = models.OneToOneField(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="extension"
    )
    days = models.PositiveSmallIntegerField(_("延长天数"))
    reason = models.TextField(_("延期理由"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"))
    old_due = models.DateField(_("原期限"))
    new_due = models.DateField(_("新期限"))
    told_petitioner = models.BooleanField(_("已告知信访人"), default=True)

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = pgettext_lazy("plural", "延期")

    def __str__(self) -> str:
        return f"+{self.days}"


class Supervision(models.Model):
    """督办: a higher department watches a matter with its own due date."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="supervisions"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("督办期限"))
    note = models.TextField(_("督办意见"))
    created_at = models.DateTimeField(_("督办时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = pgettext_lazy("plural", "督办")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.due_date}"


class FollowUp(models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", _("电话回访")
        VISIT = "visit", _("上门回访")

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="followups"
    )
    method = models.CharField(_("回访方式"), max_length=10, choices=Method.choices)
    notes = models.TextField(_("回访记录"))
    rating = models.CharField(_("信访人评价"), max_length=12, choices=Rating.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("回访日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = pgettext_lazy("plural", "回访")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_method_display()}"


class Mediation(TimeStampedModel):
    """People's mediation of a dispute (人民调解法)."""

    Outcome = MediationOutcome  # declared with the mediation's lifecycle (workflow.MEDIATION)

    matter = models.OneToOneField(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="mediation"
    )
    committee = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("调解组织"), on_delete=models.PROTECT, related_name="+"
    )
    mediators = models.CharField(_("调解员"), max_length=200)
    started_on = models.DateField(_("开始日期"))
    due_date = models.DateField(_("调解期限"))
    due_provisional = models.BooleanField(_("调解期限暂定"), default=False, db_default=False)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调解")
        verbose_name_plural = pgettext_lazy("plural", "调解")

    def __str__(self) -> str:
        return f"{self.committee} {self.started_on}"


class MediationConsent(models.Model):
    """One party's willingness or refusal to mediate (人民调解法 Art. 17: mediation needs both
    parties' willingness; a party's refusal ends it): who, when, which, and how it was given."""

    class Side(models.TextChoices):
        APPLICANT = "applicant", _("申请方当事人")
        OTHER = "other", _("对方当事人")

    class Decision(models.TextChoices):
        CONSENT = "consent", _("同意调解")
        REFUSE = "refuse", _("拒绝调解")

    class Method(models.TextChoices):
        WRITTEN = "written", _("书面（签字）")
        ORAL = "oral", _("口头（记录在案）")
        PHONE = "phone", _("电话")

    mediation = models.ForeignKey(
        Mediation, verbose_name=_("调解"), on_delete=models.CASCADE, related_name="consents"
    )
    side = models.CharField(_("当事人一方"), max_length=10, choices=Side.choices)
    party = models.CharField(_("当事人"), max_length=100)
    decision = models.CharField(_("意愿"), max_length=10, choices=Decision.choices)
    given_on = models.DateField(_("表示日期"))
    method = models.CharField(_("表示方式"), max_length=10, choices=Method.choices)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调解意愿")
        verbose_name_plural = pgettext_lazy("plural", "调解意愿")
        ordering = ["given_on", "id"]

    def __str__(self) -> str:
        return f"{self.party} {self.get_decision_display()}"


class MediationSession(models.Model):
    mediation = models.ForeignKey(
        Mediation, verbose_name=_("调解"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.CharField(_("参加人员"), max_length=300)
    record = models.TextField(_("调解记录"))

    class Meta:
        verbose_name = _("调解会")
        verbose_name_plural = pgettext_lazy("plural", "调解会")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.participants}"


class MediationAgreement(models.Model):
    """人民调解协议书 (Art. 29), or an oral agreement (Art. 30) recorded with its content."""

    class Form(models.TextChoices):
        WRITTEN = "written", _("书面协议")
        ORAL = "oral", _("口头协议")

    mediation = models.OneToOneField(
        Mediation, verbose_name=_("调解"), on_delete=models.CASCADE, related_name="agreement"
    )
    form = models.CharField(
        _("协议形式"), max_length=10, choices=Form.choices, default=Form.WRITTEN
    )
    content = models.TextField(
        _("口头协议内容"), blank=True, help_text=_("口头协议须记录当事人达成的协议内容")
    )
    parties = models.TextField(_("当事人"), help_text=_("每行一位：姓名、性别、住址等"))
    facts = models.TextField(_("纠纷事实"))
    disputed_points = models.TextField(_("争议事项"))
    responsibilities = models.TextField(_("各方责任"), blank=True)
    terms = models.TextField(_("协议内容"))
    performance_manner = models.CharField(_("履行方式"), max_length=200, blank=True)
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    signed_on = models.DateField(_("签订日期"))
    parties_signed = models.BooleanField(_("当事人已签名"), default=True)
    mediator_signed = models.BooleanField(_("调解员已签名"), default=True)
    sealed = models.BooleanField(_("已加盖调解委员会印章"), default=True)
    # Last day to apply jointly for court confirmation (Art. 33: 30 days from the agreement).
    confirmation_deadline = models.DateField(_("司法确认申请期限"), null=True, blank=True)
    confirmation_deadline_provisional = models.BooleanField(
        _("司法确认申请期限暂定"), default=False, db_default=False
    )
    confirmation_choice = models.CharField(
        _("是否申请司法确认"),
        max_length=10,
        choices=ConfirmationChoice.choices,
        default=ConfirmationChoice.UNDECIDED,
        db_default=ConfirmationChoice.UNDECIDED,
    )
    confirmation_recorded_on = models.DateField(_("记录日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = pgettext_lazy("plural", "调解协议")

    def __str__(self) -> str:
        return f"{self.signed_on}"


class RatingReview(models.Model):
    """A dissatisfied rating (不满意评价) is reviewed by a supervisor of the county, by a date."""

    class Outcome(models.TextChoices):
        REHANDLE = "rehandle", _("责令重新办理")
        EXPLAINED = "explained", _("已解释说明，维持原处理")
        NO_FAULT = "no_fault", _("办理无不当")

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="rating_reviews"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    rating_via = models.CharField(_("评价方式"), max_length=10, blank=True)
    opened_on = models.DateField(_("开始日期"))
    due_date = models.DateField(_("复核期限"))
    due_provisional = models.BooleanField(_("复核期限暂定"), default=False)
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("复核结果"), max_length=10, choices=Outcome.choices, blank=True)
    note = models.TextField(_("复核意见"), blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("不满意评价复核")
        verbose_name_plural = pgettext_lazy("plural", "不满意评价复核")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["region_code", "closed_on"], name="rating_review_open")]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class SweepRun(models.Model):
    """One run of the deadline sweep. The reminder window of a run starts where the previous
    run's ended, so a matter is reminded once per deadline without any per-matter state."""

    day = models.DateField(_("巡检日"), db_index=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    overdue = models.PositiveIntegerField(_("新超期"), default=0)
    reminded = models.PositiveIntegerField(_("提醒"), default=0)

    class Meta:
        verbose_name = _("期限巡检")
        verbose_name_plural = pgettext_lazy("plural", "期限巡检")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.day} 超期 {self.overdue} 提醒 {self.reminded}"


class MatterSequence(models.Model):
    """Per county and day: the last registration sequence number issued."""

    key = models.CharField(max_length=20, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"

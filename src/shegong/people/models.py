"""Residents in need (服务对象), their categories, households, assessments, visit plans, visits and
assistance. Every row that lists or rolls up by region carries the 12-digit code of the
resident's village (`region_code`) and the 6-digit county code, so scoping and roll-ups never
join."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.counting import CountFromQuerySet
from shegong.core.fields import EncryptedTextField
from shegong.core.models import TimeStampedModel
from shegong.core.regioncode import CODE_LENGTH, PREFIX_LENGTH
from shegong.core.scoping import ScopedQuerySet, scoped_manager

CHILD_AGE = 14


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高风险")
    KEY = "key", _("重点")
    GENERAL = "general", _("一般")


RISK_ORDER = {RiskLevel.HIGH: 0, RiskLevel.KEY: 1, RiskLevel.GENERAL: 2}


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


# The short names the groups were known by before their full names were seeded (migration
# 0009) and that departments' spreadsheets still use: an import takes them as the full name.
CATEGORY_SHORT_NAMES = {
    "低保": "dibao",
    "低保户": "dibao",
    "特困": "tekun",
    "低保边缘": "dibao_margin",
    "计生特殊家庭": "fp_special",
}


class Category(models.Model):
    """A group the departments serve (独居、空巢、低保…): the target groups of the care-visit
    guidance and the assistance rules are seeded (migration 0009); the provincial level (or the
    national) adds and edits them in the product, lower levels read them."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    cared_for = models.BooleanField(
        _("纳入探访关爱"), default=True, help_text=_("属于此类的服务对象需要探访计划")
    )
    has_level = models.BooleanField(_("需登记证书等级"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务对象类别")
        verbose_name_plural = pgettext_lazy("plural", "服务对象类别")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    MOVED = "moved", _("已迁出")
    DECEASED = "deceased", _("已故")
    MERGED = "merged", _("已合并")


class ResidentQuerySet(CountFromQuerySet, ScopedQuerySet):
    region_field = "region"

    def active(self):
        return self.filter(status=ResidentStatus.ACTIVE)

    def without_children(self):
        """Adults and children of 14 or more (index-friendly: a birth-date bound)."""
        return self.filter(birth_date__lte=child_cutoff())


def child_cutoff(today: date | None = None) -> date:
    """Residents born after this day are under 14."""
    today = today or date.today()
    try:
        return today.replace(year=today.year - CHILD_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - CHILD_AGE, day=28)


class Resident(TimeStampedModel):
    """A person the departments serve (服务对象)."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number_encrypted = models.TextField(_("身份证号码（密文）"), editable=False)
    id_number_hash = models.CharField(_("身份证号码索引"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # served by the (region, name) and (region, sex) indexes
    )
    county_code = models.CharField(_("县级区划代码"), max_length=6, editable=False)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    health_notes = EncryptedTextField(_("健康状况"), blank=True)
    disability_level = models.CharField(_("残疾/失能等级"), max_length=20, blank=True)
    risk_level = models.CharField(
        _("风险等级"), max_length=10, choices=RiskLevel.choices, blank=True, default=""
    )
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任社工"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_residents",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_records",
        db_index=False,  # rarely read; one index less to maintain on a very large table
    )
    categories = models.ManyToManyField(
        Category, through="ResidentCategory", verbose_name=_("类别"), related_name="residents"
    )

    objects = ResidentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["id_number_encrypted"])

    class Meta:
        verbose_name = _("服务对象")
        verbose_name_plural = pgettext_lazy("plural", "服务对象")
        indexes = [
            models.Index(fields=["region", "name"], name="resident_region_name"),
            models.Index(fields=["county_code", "name", "birth_date"], name="resident_county_dup"),
            # (name, status): surname prefix ranges and "contains" scans read only this index.
            models.Index(fields=["name", "status"], name="resident_name_status"),
            models.Index(fields=["region", "sex"], name="resident_region_sex"),
            # Tiny (only merged rows): serves the foreign-key check when a resident is deleted.
            models.Index(
                fields=["merged_into"],
                condition=models.Q(merged_into__isnull=False),
                name="resident_merged_into",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=models.Q(merged_into__isnull=True),
                name="resident_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_child(self) -> bool:
        return self.birth_date > child_cutoff()

    @property
    def age(self) -> int:
        today = date.today()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))

    @property
    def region_code(self) -> str:
        return self.region_id


class ResidentCategory(models.Model):
    """A resident's membership of a category, with its dates (and certificate level)."""

    # Both served by composite indexes: (resident, category) unique and (category, region, …).
    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="category_links",
        verbose_name=_("服务对象"),
        db_index=False,
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="links",
        verbose_name=_("类别"),
        db_index=False,
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    # The resident's status, kept with the link by the same writes that change it (like
    # region_code), so that a category filter and its count read this table's index alone.
    resident_status = models.CharField(
        _("服务对象状态"), max_length=16, default="active", editable=False
    )
    # And the resident's birth date (set once, from the ID number; cut to the year with the
    # resident's on anonymisation), so the filter of a reader who may not see children under
    # 14 is counted on the links too. Not copied into the links' history.
    resident_birth_date = models.DateField(
        _("服务对象出生日期"), null=True, blank=True, editable=False
    )
    start_date = models.DateField(_("认定日期"), null=True, blank=True)
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    level = models.CharField(_("证书等级"), max_length=20, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords(excluded_fields=["resident_birth_date"])

    class Meta:
        verbose_name = _("服务对象类别登记")
        verbose_name_plural = pgettext_lazy("plural", "服务对象类别登记")
        indexes = [
            # (category, resident_status, region_code, resident, birth date): a category
            # filter and its count read its members from the index alone
            # (people.selectors.category_members).
            models.Index(
                fields=[
                    "category",
                    "resident_status",
                    "region_code",
                    "resident",
                    "resident_birth_date",
                ],
                name="rescat_cat_status_region",
            ),
            models.Index(fields=["region_code", "category"], name="rescat_region_cat"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["resident", "category"], name="rescat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.category}"


class HouseholdMember(models.Model):
    """A household member, guardian or contact person (家庭成员/监护人/联系人)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        GRANDCHILD = "grandchild", _("孙辈")
        GRANDPARENT = "grandparent", _("祖父母")
        SIBLING = "sibling", _("兄弟姐妹")
        RELATIVE = "relative", _("其他亲属")
        NEIGHBOUR = "neighbour", _("邻居")
        OTHER = "other", _("其他")

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="members", verbose_name=_("服务对象")
    )
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("关系"), max_length=20, choices=Relation.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    lives_with = models.BooleanField(_("同住"), default=False)
    is_guardian = models.BooleanField(_("监护人"), default=False)
    is_contact = models.BooleanField(_("紧急联系人"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭成员/联系人")
        verbose_name_plural = pgettext_lazy("plural", "家庭成员/联系人")

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """A structured risk assessment (风险评估); the answers give the risk level."""

    class Health(models.TextChoices):
        GOOD = "good", _("良好")
        CHRONIC = "chronic", _("慢性病")
        SERIOUS = "serious", _("重病/需长期照护")

    class SelfCare(models.TextChoices):
        FULL = "full", _("能自理")
        PARTIAL = "partial", _("部分自理")
        NONE = "none", _("不能自理")

    class Income(models.TextChoices):
        ADEQUATE = "adequate", _("基本够用")
        TIGHT = "tight", _("紧张")
        NONE = "none", _("无稳定收入")

    class Housing(models.TextChoices):
        SAFE = "safe", _("安全")
        HAZARD = "hazard", _("有隐患")
        DANGEROUS = "dangerous", _("危房/严重隐患")

    class Support(models.TextChoices):
        STRONG = "strong", _("家人常联系")
        WEAK = "weak", _("联系较少")
        NONE = "none", _("无人照应")

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("服务对象")
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    assessed_on = models.DateField(_("评估日期"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lives_alone = models.BooleanField(_("独居"), default=False)
    health = models.CharField(_("健康状况"), max_length=10, choices=Health.choices)
    self_care = models.CharField(_("自理能力"), max_length=10, choices=SelfCare.choices)
    income = models.CharField(_("经济状况"), max_length=10, choices=Income.choices)
    housing = models.CharField(_("住房安全"), max_length=10, choices=Housing.choices)
    support = models.CharField(_("社会支持"), max_length=10, choices=Support.choices)
    recent_event = models.BooleanField(
        _("近期重大事件"), default=False, help_text=_("出院、丧亲、极端天气预警等")
    )
    score = models.PositiveSmallIntegerField(_("评分"))
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    notes = models.TextField(_("说明"), blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("风险评估")
        verbose_name_plural = pgettext_lazy("plural", "风险评估")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.assessed_on} {self.get_risk_level_display()}"


class VisitCadence(models.Model):
    """How often each risk level is visited, per province (blank province = the default)."""

    province_code = models.CharField(
        _("省级区划代码"), max_length=2, blank=True, help_text=_("留空表示全国默认")
    )
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    interval_days = models.PositiveSmallIntegerField(_("探访间隔（天）"))
    event_hours = models.PositiveSmallIntegerField(_("重大事件后探访时限（小时）"), default=24)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("探访频次")
        verbose_name_plural = pgettext_lazy("plural", "探访频次")
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "risk_level"], name="cadence_unique_level"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.province_code or '全国'} {self.get_risk_level_display()} {self.interval_days}"
        )


DEFAULT_CADENCE = {RiskLevel.HIGH: 7, RiskLevel.KEY: 30, RiskLevel.GENERAL: 90}


class VisitPlan(models.Model):
    """A resident's visit plan (探访计划): the cadence and the next due date."""

    resident = models.OneToOneField(
        Resident, on_delete=models.CASCADE, related_name="visit_plan", verbose_name=_("服务对象")
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    county_code = models.CharField(_("县级区划代码"), max_length=6, editable=False)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任社工"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_plans",
        db_index=False,  # served by plan_worker_due (worker, is_active, next_due_date)
    )
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    interval_days = models.PositiveSmallIntegerField(_("探访间隔（天）"))
    next_due_date = models.DateField(_("下次探访截止日"))
    last_visit_date = models.DateField(_("最近探访日期"), null=True, blank=True)
    event_note = models.CharField(_("重大事件"), max_length=100, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("探访计划")
        verbose_name_plural = pgettext_lazy("plural", "探访计划")
        indexes = [
            models.Index(fields=["worker", "is_active", "next_due_date"], name="plan_worker_due"),
            models.Index(fields=["region_code", "next_due_date"], name="plan_region_due"),
            models.Index(fields=["next_due_date"], name="plan_due"),
            models.Index(fields=["county_code", "next_due_date"], name="plan_county_due"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.next_due_date}"

    @property
    def is_overdue(self) -> bool:
        return self.is_active and self.next_due_date < date.today()


class VisitMode(models.TextChoices):
    HOME = "home", _("入户")
    PHONE = "phone", _("电话")
    VIDEO = "video", _("视频")


class Visit(models.Model):
    """A recorded care visit (探访记录)."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="visits", verbose_name=_("服务对象")
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    visited_on = models.DateField(_("探访日期"))
    mode = models.CharField(_("方式"), max_length=10, choices=VisitMode.choices)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visitors = models.CharField(_("探访人员"), max_length=200, blank=True)
    finding_health = EncryptedTextField(_("身体健康"), blank=True)
    finding_living = models.TextField(_("生活照料"), blank=True)
    finding_safety = models.TextField(_("居住安全"), blank=True)
    finding_mood = EncryptedTextField(_("精神状态"), blank=True)
    needs = models.TextField(_("发现的需求"), blank=True)
    photo = models.ImageField(_("照片"), upload_to="visits/%Y/%m/", blank=True)
    due_date = models.DateField(_("本次应探访截止日"), null=True, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("探访记录")
        verbose_name_plural = pgettext_lazy("plural", "探访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["region_code", "visited_on"], name="visit_region_date"),
            models.Index(fields=["resident", "visited_on"], name="visit_resident_date"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.visited_on}"

    FINDINGS = ("finding_health", "finding_living", "finding_safety", "finding_mood", "needs")
    # Health and state of mind (PIPL Art. 28): encrypted, shown only with people.view_sensitive.
    SENSITIVE_FINDINGS = frozenset({"finding_health", "finding_mood"})

    @property
    def findings(self) -> list[tuple[str, str]]:
        return self.findings_shown(sensitive=True)

    def findings_shown(self, *, sensitive: bool) -> list[tuple[str, str]]:
        return [
            (str(self._meta.get_field(n).verbose_name), getattr(self, n))
            for n in self.FINDINGS
            if getattr(self, n) and (sensitive or n not in self.SENSITIVE_FINDINGS)
        ]

    @property
    def has_finding(self) -> bool:
        return bool(self.findings)


class AssistanceKind(models.TextChoices):
    MATERIAL = "material", _("物资")
    CASH = "cash", _("现金")
    SERVICE = "service", _("服务")
    ADAPTATION = "adaptation", _("适老化/无障碍改造")


class AdaptationStatus(models.TextChoices):
    NONE = "", _("—")
    SURVEY = "survey", _("入户评估")
    DESIGN = "design", _("方案设计")
    CONSTRUCTION = "construction", _("施工")
    INSPECTION = "inspection", _("待验收")
    ACCEPTED = "accepted", _("已验收")


ADAPTATION_FLOW = [s for s in AdaptationStatus.values if s]


class Assistance(models.Model):
    """Help given (帮扶): material, cash, services or a home adaptation project."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="assistance", verbose_name=_("服务对象")
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    category_code = models.CharField(_("主要类别"), max_length=40, blank=True, editable=False)
    kind = models.CharField(_("帮扶类型"), max_length=12, choices=AssistanceKind.choices)
    description = models.CharField(_("内容"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, default=0)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=2, default=0)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    fund_source = models.CharField(_("资金来源"), max_length=100, blank=True)
    given_on = models.DateField(_("日期"))
    project_status = models.CharField(
        _("改造进度"),
        max_length=12,
        choices=AdaptationStatus.choices,
        blank=True,
        default="",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶记录")
        verbose_name_plural = pgettext_lazy("plural", "帮扶记录")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["region_code", "given_on"], name="assist_region_date")]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.resident_id])


# The levels that have summary rows (ResidentTally): the country, provinces, cities, counties
# and townships. A village's figures are read live (a village has few residents).
TALLY_DEPTHS = tuple(length for length in PREFIX_LENGTH.values() if length < CODE_LENGTH)


def padded(prefix: str) -> str:
    """The 12-digit code of the region whose code prefix is `prefix`."""
    return prefix.ljust(CODE_LENGTH, "0")


class TallyKind(models.TextChoices):
    SEX = "sex", _("性别")
    RISK = "risk", _("风险等级")
    CATEGORY = "category", _("类别")
    OVERDUE = "overdue", _("逾期未探访")


class ResidentTally(models.Model):
    """Counts of residents for one region, refreshed by the scheduler (`people.tally`): what the
    home page and the statistics page show above the village level, read as a handful of rows
    instead of a GROUP BY over every resident. `region_code` is the 12-digit code of the region
    (its prefix padded with zeros) and `depth` the length of that prefix (0 for the country), so
    a region's own rows are `depth = len(prefix) AND region_code = code` and its children's are a
    range of codes at the child depth. Rows of active residents by sex and by risk level (split
    into adults and children under 14 as of `as_of`), category memberships (every status, as the
    page counted them) and active visit plans overdue on `as_of`."""

    region_code = models.CharField(_("区划代码"), max_length=12)
    depth = models.PositiveSmallIntegerField(_("代码前缀长度"))
    kind = models.CharField(_("统计项"), max_length=10, choices=TallyKind.choices)
    key = models.CharField(_("取值"), max_length=40, blank=True)
    adult = models.BooleanField(_("年满14周岁"), default=True)
    n = models.PositiveIntegerField(_("人数"))
    as_of = models.DateTimeField(_("统计时间"))

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("服务对象统计")
        verbose_name_plural = pgettext_lazy("plural", "服务对象统计")
        indexes = [models.Index(fields=["depth", "region_code"], name="tally_depth_region")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.kind}={self.key}: {self.n}"

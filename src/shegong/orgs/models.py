from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.accounts.models import Role
from shegong.core.models import TimeStampedModel
from shegong.core.scoping import ScopedQuerySet


class Kind(models.TextChoices):
    SOCIAL_WORK_DEPARTMENT = "sw_department", _("社会工作部")
    SOCIAL_WORK_STATION = "sw_station", _("乡镇（街道）社工站")
    PARTY_MASS_CENTRE = "party_mass_centre", _("党群服务中心")
    SERVICE_SITE = "service_site", _("其他服务站点")
    SOCIAL_WORK_ORGANISATION = "sw_organisation", _("社会工作服务机构")
    SOCIAL_ORGANISATION = "social_organisation", _("其他社会组织")
    GOVERNMENT_DEPARTMENT = "gov_department", _("政府部门")
    RESIDENTS_COMMITTEE = "residents_committee", _("居民委员会")
    VILLAGERS_COMMITTEE = "villagers_committee", _("村民委员会")
    MEDIATION_COMMITTEE = "mediation_committee", _("人民调解委员会")
    HOSPITAL = "hospital", _("医疗机构")


# Kinds that are service sites (shown in the public directory).
SITE_KINDS = {
    Kind.SOCIAL_WORK_STATION,
    Kind.PARTY_MASS_CENTRE,
    Kind.SERVICE_SITE,
}
# Kinds that carry a unified social credit code that must validate.
CREDIT_CODE_KINDS = {Kind.SOCIAL_WORK_ORGANISATION, Kind.SOCIAL_ORGANISATION}


class Sector(models.TextChoices):
    """The line of business of a government department petitions and referrals go to."""

    NONE = "", _("—")
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    HUMAN_RESOURCES = "human_resources", _("人力资源和社会保障")
    JUSTICE = "justice", _("司法行政")
    HOUSING = "housing", _("住房和城乡建设")
    HEALTH = "health", _("卫生健康")
    EDUCATION = "education", _("教育")
    PUBLIC_SECURITY = "public_security", _("公安")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")
    ECOLOGY = "ecology", _("生态环境")
    MARKET_REGULATION = "market_regulation", _("市场监督管理")
    TRANSPORT = "transport", _("交通运输")
    AGRICULTURE = "agriculture", _("农业农村")
    PETITION_BUREAU = "petition_bureau", _("信访")
    DISABLED_PERSONS = "disabled_persons", _("残疾人联合会")
    WOMEN_FEDERATION = "women_federation", _("妇女联合会")
    OTHER = "other", _("其他")


class OrganisationQuerySet(ScopedQuerySet):
    region_field = "region"

    def sites(self):
        return self.filter(kind__in=SITE_KINDS)


class Organisation(TimeStampedModel):
    """A department, station, service site, social organisation, committee or agency (组织)."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices, db_index=True)
    sector = models.CharField(
        _("职能领域"), max_length=32, choices=Sector.choices, blank=True, default=""
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("主管（上级）单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised",
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, default="", db_index=True
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    services = models.TextField(_("服务内容"), blank=True, help_text=_("每行一项服务"))
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = pgettext_lazy("plural", "组织")
        ordering = ["region_id", "name"]
        indexes = [
            models.Index(fields=["region", "kind"], name="org_region_kind"),
            models.Index(fields=["name"], name="org_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="org_credit_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_site(self) -> bool:
        return self.kind in SITE_KINDS

    @property
    def service_list(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]


# ---- staffing standards of township social work stations -------------------------------------


class StaffingStandardQuerySet(ScopedQuerySet):
    region_field = "region_code"
    public_reason = (
        "A staffing standard is a published policy figure with its source document, and every "
        "level below applies it (a county uses its province's standard or the national default)"
    )


class StaffingStandard(TimeStampedModel):
    """How many social workers a township (street) station should have (社工站人员配备标准):
    the national default (region_code ""), a province's standard, or a city's stricter one.
    A county or township uses the most specific standard above it."""

    region_code = models.CharField(
        _("适用区划"),
        max_length=12,
        blank=True,
        unique=True,
        help_text=_("省级或地级区划代码；空为全国默认"),
    )
    workers_per_station = models.PositiveSmallIntegerField(
        _("每站社工人数"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    funding_per_station = models.BigIntegerField(
        _("每站年度经费（分）"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    document_title = models.CharField(_("依据文件"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    url = models.URLField(_("文件链接"), max_length=500, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = StaffingStandardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("社工站人员配备标准")
        verbose_name_plural = pgettext_lazy("plural", "社工站人员配备标准")
        ordering = ["region_code"]

    def __str__(self) -> str:
        return f"{self.region_code or '—'} {self.workers_per_station}"

    @property
    def is_national(self) -> bool:
        return self.region_code == ""

    @property
    def source(self) -> str:
        """The document the figure comes from, as one line: title, number, date."""
        parts = [self.document_title]
        if self.document_number:
            parts.append(self.document_number)
        if self.issued_on:
            parts.append(self.issued_on.isoformat())
        return "，".join(parts)


# ---- duty lists (职责清单) ---------------------------------------------------------------------


class DutyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("现行")
    SUPERSEDED = "superseded", _("已废止")


class DutyListQuerySet(ScopedQuerySet):
    region_field = "organisation__region"

    def published(self):
        return self.filter(status=DutyStatus.PUBLISHED)


class DutyList(TimeStampedModel):
    """One version of the list of responsibilities (职责清单) of an organisation, or of one role
    (post) in it: what it does and on what basis. Publishing a new version supersedes the one
    in force, which stays readable with its dates; items of a published version never change."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("组织"),
        on_delete=models.CASCADE,
        related_name="duty_lists",
    )
    role = models.CharField(
        _("岗位（角色）"),
        max_length=32,
        choices=Role.choices,
        blank=True,
        default="",
        help_text=_("空为整个单位的职责清单"),
    )
    version = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=DutyStatus.choices, default=DutyStatus.DRAFT
    )
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("废止时间"), null=True, blank=True)

    objects = DutyListQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职责清单")
        verbose_name_plural = pgettext_lazy("plural", "职责清单")
        ordering = ["organisation_id", "role", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role", "version"], name="duty_list_version_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "role"],
                condition=models.Q(status="published"),
                name="duty_list_one_published",
            ),
            models.UniqueConstraint(
                fields=["organisation", "role"],
                condition=models.Q(status="draft"),
                name="duty_list_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.role_label} v{self.version}"

    @property
    def role_label(self) -> str:
        return self.get_role_display() if self.role else str(_("本单位"))


class DutyItemQuerySet(ScopedQuerySet):
    region_field = "duty_list__organisation__region"


class DutyItem(models.Model):
    """One responsibility in a duty list: what the unit does, on what basis."""

    duty_list = models.ForeignKey(
        DutyList, verbose_name=_("职责清单"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("职责事项"), max_length=200)
    basis = models.CharField(_("依据"), max_length=500, blank=True)
    description = models.TextField(_("具体内容"), blank=True)
    keywords = models.CharField(
        _("关键词"), max_length=300, blank=True, help_text=_("用顿号、逗号或空格分隔，用于匹配事项")
    )

    objects = DutyItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职责事项")
        verbose_name_plural = pgettext_lazy("plural", "职责事项")
        ordering = ["duty_list_id", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        from shegong.orgs.duties import split_keywords

        return split_keywords(self.keywords)


class DutyKeyword(models.Model):
    """The normalised keywords of the items of published duty lists (one row a word), with the
    unit's region code copied so that "whose duty is it" is one indexed range scan over the
    jurisdiction. Rebuilt for a list when it is published; removed when it is superseded."""

    item = models.ForeignKey(
        DutyItem, verbose_name=_("职责事项"), on_delete=models.CASCADE, related_name="words"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="+"
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    word = models.CharField(_("关键词"), max_length=12)

    objects = ScopedQuerySet.for_region_field("region_code").as_manager()

    class Meta:
        verbose_name = _("职责关键词")
        verbose_name_plural = pgettext_lazy("plural", "职责关键词")
        indexes = [
            models.Index(fields=["region_code", "word"], name="duty_keyword_region_word"),
            models.Index(fields=["word", "region_code"], name="duty_keyword_word_region"),
        ]

    def __str__(self) -> str:
        return self.word

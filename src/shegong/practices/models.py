"""Model practices (经验做法): a department submits a practice, the level above reviews it and may
recommend it, each level in turn up to the centre; a recommended practice is published in the
library, and other departments record that they adopted or adapted it.

A practice, its figures, documents and review records carry the region code of the submitting
department (`region_code`): read through the one scoping layer, they are seen by that
department's chain (itself and every level above). An adoption carries the adopting
department's region: its private notes are seen by the adopter's chain only. The library (a
practice once published, its figures, documents and the adoptions' results) is public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.attachments import AttachedFile
from shegong.core.scoping import scoped_manager


class Topic(models.TextChoices):
    PARTY = "party", _("党建引领")
    GOVERNANCE = "governance", _("基层治理")
    ELDERLY = "elderly", _("养老服务")
    CHILDREN = "children", _("儿童关爱")
    VOLUNTEERS = "volunteers", _("志愿服务")
    PETITIONS = "petitions", _("信访工作")
    WORKFORCE = "workforce", _("社工人才")
    OTHER = "other", _("其他")


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RECOMMENDED = "recommended", _("已推荐")
        RETURNED = "returned", _("已退回")

    title = models.CharField(_("做法名称"), max_length=200)
    topic = models.CharField(_("主题"), max_length=16, choices=Topic.choices, db_index=True)
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("报送单位"),
        on_delete=models.PROTECT,
        related_name="practices",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    problem = models.TextField(_("问题与背景"))
    actions = models.TextField(_("主要做法"))
    results = models.TextField(_("取得成效"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The department whose turn it is to review (submitted), and the highest one that
    # recommended it (recommended: the one that may recommend it upward).
    review_code = models.CharField(_("审核单位区划"), max_length=12, blank=True)
    recommended_code = models.CharField(_("推荐单位区划"), max_length=12, blank=True)
    published_on = models.DateField(_("入库日期"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("经验做法")
        verbose_name_plural = pgettext_lazy("plural", "经验做法")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "status"], name="practice_region"),
            models.Index(fields=["published_on", "topic"], name="practice_library"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class PracticeFigure(models.Model):
    """A result in figures (成效数据): what changed, by how much."""

    practice = models.ForeignKey(
        Practice, verbose_name=_("经验做法"), on_delete=models.CASCADE, related_name="figures"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    label = models.CharField(_("指标"), max_length=100)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=20, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("成效数据")
        verbose_name_plural = pgettext_lazy("plural", "成效数据")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label} {self.value}{self.unit}"


class Document(AttachedFile):
    """A document of the practice (the write-up, a policy text, photos)."""

    practice = models.ForeignKey(
        Practice, verbose_name=_("经验做法"), on_delete=models.CASCADE, related_name="documents"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    file = models.FileField(_("文件"), upload_to="practices/%Y/%m/")

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("经验做法材料")
        verbose_name_plural = pgettext_lazy("plural", "经验做法材料")
        ordering = ["id"]


class Review(models.Model):
    """One step of the review chain, with the reviewing department's private note."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("报送")
        RECOMMEND = "recommend", _("推荐入库")
        RETURN = "return", _("退回")
        HOLD = "hold", _("不再上报")
        ESCALATE = "escalate", _("推荐上报")

    practice = models.ForeignKey(
        Practice, verbose_name=_("经验做法"), on_delete=models.CASCADE, related_name="reviews"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    unit = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("办理单位"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("办理"), max_length=12, choices=Action.choices)
    note = models.TextField(_("内部意见"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("经验做法审核记录")
        verbose_name_plural = pgettext_lazy("plural", "经验做法审核记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.practice_id} · {self.action}"


class Adoption(models.Model):
    """Another department adopted or adapted a published practice, with its results (public
    with the practice) and its private notes (its own chain only)."""

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("直接采用")
        ADAPTED = "adapted", _("借鉴改进")

    practice = models.ForeignKey(
        Practice, verbose_name=_("经验做法"), on_delete=models.PROTECT, related_name="adoptions"
    )
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("应用单位"),
        on_delete=models.PROTECT,
        related_name="practice_adoptions",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    kind = models.CharField(_("应用方式"), max_length=12, choices=Kind.choices)
    adopted_on = models.DateField(_("应用日期"))
    results = models.TextField(_("应用成效"))
    private_notes = models.TextField(_("内部备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("经验做法应用")
        verbose_name_plural = pgettext_lazy("plural", "经验做法应用")
        ordering = ["adopted_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "department"], name="adoption_once")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} → {self.department_id}"

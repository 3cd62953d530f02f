"""Consent records (个人信息处理同意记录, PIPL Arts. 13, 14, 15, 29, 31).

One row per resident, purpose and grant: who agreed (the resident, or a guardian for a child under
14 or a person without capacity, with name and relation), how (written, oral, electronic), when
and recorded by whom — or the statutory duty that makes consent unnecessary (Art. 13(1)(3)),
marked as such. A withdrawal (when, by whom, recorded by whom) closes the row; a new grant is a
new row, so the history of a purpose reads top to bottom. At most one row per purpose is in
effect. What withdrawal does to each purpose is declared in `shegong.privacy.purposes`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.scoping import ScopedQuerySet


class Purpose(models.TextChoices):
    REFERRAL = "referral", _("转介时向社会工作服务机构、医疗机构等提供个人信息")
    HEALTH = "health", _("处理健康状况等敏感个人信息")
    PHOTOS = "photos", _("探访时拍摄照片")
    VOLUNTEER_VISITS = "volunteer_visits", _("志愿者上门探访")


class Basis(models.TextChoices):
    CONSENT = "consent", _("同意")
    STATUTORY = "statutory", _("履行法定职责（个人信息保护法第十三条第一款第三项），无需同意")


class Statute(models.TextChoices):
    SUBSISTENCE = "subsistence", _("最低生活保障（《社会救助暂行办法》）")
    EXTREME_POVERTY = "extreme_poverty", _("特困人员救助供养（《社会救助暂行办法》）")
    TEMPORARY_ASSISTANCE = "temporary_assistance", _("临时救助（《社会救助暂行办法》）")
    CHILD_PROTECTION = "child_protection", _("未成年人保护（《未成年人保护法》）")


class GivenBy(models.TextChoices):
    SELF = "self", _("本人")
    GUARDIAN = "guardian", _("监护人")


class GuardianRelation(models.TextChoices):
    PARENT = "parent", _("父母")
    GRANDPARENT = "grandparent", _("祖父母、外祖父母")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("成年子女")
    SIBLING = "sibling", _("兄、姐")
    RELATIVE = "relative", _("其他近亲属")
    COMMITTEE = "committee", _("村（居）民委员会")
    CIVIL_AFFAIRS = "civil_affairs", _("民政部门")
    OTHER = "other", _("其他愿意担任监护人的个人或组织")


class Method(models.TextChoices):
    WRITTEN = "written", _("书面")
    ORAL = "oral", _("口头（已记录）")
    ELECTRONIC = "electronic", _("电子方式")


class ConsentQuerySet(ScopedQuerySet):
    region_field = "region_code"

    def in_effect(self):
        return self.filter(withdrawn_on__isnull=True)


class Consent(models.Model):
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("服务对象"),
        on_delete=models.CASCADE,
        related_name="consents",
        db_index=False,  # consent_resident_purpose (resident, purpose) serves it
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    purpose = models.CharField(_("处理目的"), max_length=20, choices=Purpose.choices)
    basis = models.CharField(_("处理依据"), max_length=12, choices=Basis.choices)
    statute = models.CharField(
        _("法定职责依据"), max_length=24, choices=Statute.choices, blank=True
    )
    given_by = models.CharField(_("同意人"), max_length=10, choices=GivenBy.choices, blank=True)
    lacks_capacity = models.BooleanField(_("本人无（完全）民事行为能力"), default=False)
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True)
    guardian_relation = models.CharField(
        _("监护人关系"), max_length=16, choices=GuardianRelation.choices, blank=True
    )
    method = models.CharField(_("同意方式"), max_length=12, choices=Method.choices, blank=True)
    given_on = models.DateField(_("同意（认定）日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawn_by_name = models.CharField(_("撤回人"), max_length=50, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("个人信息处理同意")
        verbose_name_plural = pgettext_lazy("plural", "个人信息处理同意记录")
        ordering = ["purpose", "-given_on", "-id"]
        indexes = [
            models.Index(fields=["resident", "purpose"], name="consent_resident_purpose"),
            models.Index(fields=["region_code", "purpose"], name="consent_region_purpose"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "purpose"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="consent_one_in_effect",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.get_basis_display()}"

    @property
    def in_effect(self) -> bool:
        return self.withdrawn_on is None

    @property
    def is_statutory(self) -> bool:
        return self.basis == Basis.STATUTORY

    @property
    def given_by_label(self) -> str:
        if self.is_statutory:
            return "—"
        if self.given_by == GivenBy.GUARDIAN:
            return f"{self.guardian_name}（{self.get_guardian_relation_display()}）"
        return str(self.get_given_by_display())

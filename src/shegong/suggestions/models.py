"""The public's suggestions (民意/意见箱): what residents write on the portal about services in
their area, grouped by topic and near-duplicates, answered by staff and, when chosen, published
with the text anonymised.

A suggestion sits in the community (or township) the resident chose: `region_code` is read
through the one scoping layer, and `county_code` (the county's 12-digit code) is its own indexed
column so a county's month is grouped from one index range. The resident's name and contact are
personal information, encrypted at rest (core.fields.EncryptedTextField, registered in
core.sensitive) and never shown on the portal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.fields import EncryptedTextField
from shegong.core.scoping import ScopedQuerySet, code_range
from shegong.suggestions.topics import CHOICES as TOPIC_CHOICES
from shegong.suggestions.topics import label_of


class SuggestionQuerySet(ScopedQuerySet):
    """Scoped by `region_code`; a subtree of a county or above is read by `county_code`, the
    leading column of the index `suggestion_county_month` (one index range for a county's month,
    no second index to intersect)."""

    region_field = "region_code"

    def in_subtree(self, prefix: str) -> ScopedQuerySet:
        if len(prefix) == 6:  # one county: equality, so the date range is an index bound too
            return self.filter(county_code=prefix + "000000")
        if prefix and len(prefix) < 6:
            low, high = code_range(prefix)
            return self.filter(county_code__gte=low, county_code__lte=high)
        return super().in_subtree(prefix)


class Suggestion(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("待答复")
        ANSWERED = "answered", _("已答复")
        PUBLISHED = "published", _("已公开答复")
        CONVERTED = "converted", _("已转为信访事项")

    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    county_code = models.CharField(_("县（区）代码"), max_length=12)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    submitted_on = models.DateField(_("提交日期"))
    text = models.TextField(_("意见建议"))
    topic_chosen = models.CharField(
        _("居民所选话题"), max_length=16, choices=TOPIC_CHOICES, blank=True
    )
    topic_suggested = models.CharField(
        _("关键词建议话题"), max_length=16, choices=TOPIC_CHOICES, blank=True
    )
    # The topic it is counted under: the resident's choice, else the suggested one.
    topic = models.CharField(_("话题"), max_length=16, choices=TOPIC_CHOICES, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    tokens = models.TextField(_("分词"), blank=True)
    cluster = models.ForeignKey(
        "self",
        verbose_name=_("相似意见组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    similarity = models.FloatField(_("与组内最相似意见的相似度"), null=True, blank=True)
    name = EncryptedTextField(_("姓名"), blank=True)
    contact = EncryptedTextField(_("联系方式"), blank=True)
    contact_consent = models.BooleanField(_("同意留下联系方式用于回复"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    answer = models.TextField(_("答复内容"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answering_unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("答复单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestion_answers",
    )
    public_text = models.TextField(_("公开文本（已隐去个人信息）"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    matter = models.OneToOneField(
        "petitions.Matter",
        verbose_name=_("转为信访事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestion",
    )

    objects = SuggestionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = pgettext_lazy("plural", "群众意见建议")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # A county's month grouped by cluster and topic from the index alone.
            models.Index(
                fields=["county_code", "submitted_on", "topic", "cluster"],
                name="suggestion_county_month",
            ),
            models.Index(fields=["region_code", "submitted_on"], name="suggestion_region_day"),
            models.Index(fields=["status", "published_at"], name="suggestion_published"),
        ]

    def __str__(self) -> str:
        return self.text[:50]

    def get_absolute_url(self) -> str:
        return reverse("suggestions:detail", args=[self.pk])

    @property
    def topic_label(self) -> str:
        return label_of(self.topic)

    @property
    def suggested_label(self) -> str:
        return label_of(self.topic_suggested)

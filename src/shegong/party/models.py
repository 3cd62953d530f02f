"""Party organisations in the field (党组织覆盖): the branches, general branches and committees set
up in social work organisations, stations, volunteer teams and other social organisations, and
the joint branches (联合党支部) that cover several small organisations at once."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.models import TimeStampedModel
from shegong.core.scoping import scoped_manager
from shegong.orgs.models import Kind

# The kinds of organisation whose coverage is counted (the "two new" organisations and stations).
COVERED_KINDS = (
    Kind.SOCIAL_WORK_STATION,
    Kind.SOCIAL_WORK_ORGANISATION,
    Kind.SOCIAL_ORGANISATION,
)


class PartyOrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")


class PartyOrganisation(TimeStampedModel):
    """A party organisation set up in a host organisation (or in one of its volunteer teams).
    A joint one (联合党支部) also covers the organisations listed in its coverage."""

    name = models.CharField(_("党组织名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=PartyOrgKind.choices)
    is_joint = models.BooleanField(_("联合党组织"), default=False)
    host = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("依托单位"),
        on_delete=models.PROTECT,
        related_name="party_organisations",
    )
    team = models.ForeignKey(
        "volunteers.Team",
        verbose_name=_("所在志愿服务队"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    established_on = models.DateField(_("成立日期"))
    secretary = models.CharField(_("书记"), max_length=50)
    members_count = models.PositiveIntegerField(_("党员人数"))
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = pgettext_lazy("plural", "党组织")
        indexes = [
            models.Index(fields=["region_code", "name"], name="partyorg_region_name"),
            models.Index(fields=["host", "dissolved_on"], name="partyorg_host_active"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("party:organisation", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class PartyCoverage(models.Model):
    """An organisation covered by a joint party organisation (without one of its own)."""

    party_organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("联合党组织"),
        on_delete=models.CASCADE,
        related_name="coverage",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("覆盖单位"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联合党组织覆盖单位")
        verbose_name_plural = pgettext_lazy("plural", "联合党组织覆盖单位")
        constraints = [
            models.UniqueConstraint(
                fields=["party_organisation", "organisation"], name="party_coverage_once"
            )
        ]
        indexes = [models.Index(fields=["organisation"], name="party_coverage_org")]

    def __str__(self) -> str:
        return f"{self.party_organisation} → {self.organisation}"

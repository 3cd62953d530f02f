"""Reads of the brand register: what a user may see, a brand's figures counted from the
volunteer service records of its linked activities, and the public reads of recognised brands."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from shegong.brands.models import (
    LEVEL_DEPTH,
    Brand,
    BrandActivity,
    BrandEvaluation,
    BrandTarget,
    Level,
    Recognition,
)
from shegong.core.history import history_of
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import code_range, get_visible_or_404
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import unit_of

SATISFIED = 4  # a service rating (1–5) of 4 or 5 counts as satisfied

LINKED_RECORDS = (
    "A brand's figures are totals over the confirmed service records of the activities linked "
    "to it (linked by its owner from its own jurisdiction); only sums and counts are read."
)
PUBLIC_BRANDS = (
    "Recognised brands are published on the portal: their name, owner, description, "
    "recognition and yearly figures are public."
)


def get_brand_for(*, fetched_by: Any, pk: int) -> Brand:
    return get_visible_or_404(Brand.objects.select_related("owner"), fetched_by, pk=pk)


def get_recognition_for(*, fetched_by: Any, pk: int) -> Recognition:
    return get_visible_or_404(Recognition.objects.select_related("brand__owner"), fetched_by, pk=pk)


def brand_list(
    *, fetched_by: Any, q: str = "", kind: str = "", level: str = "", region: str = ""
) -> QuerySet[Brand]:
    brands = Brand.objects.visible_to(fetched_by).select_related("owner")
    if q:
        brands = brands.filter(Q(name__contains=q) | Q(owner__name__contains=q))
    if kind in Brand.Kind.values:
        brands = brands.filter(kind=kind)
    if level in Level.values:
        brands = brands.filter(recognition_level=level)
    elif level == "recognised":
        brands = brands.exclude(recognition_level="")
    if region and region.isdigit() and len(region) <= 12:
        low, high = code_range(region)
        brands = brands.filter(region_code__gte=low, region_code__lte=high)
    return brands.annotate(activity_count=Count("links"))


def activities_of(*, fetched_by: Any, brand: Brand) -> QuerySet[BrandActivity]:
    return (
        BrandActivity.objects.visible_to(fetched_by)
        .filter(brand=brand)
        .select_related("activity")
        .order_by("-activity__starts_at", "id")
    )


def targets_of(*, fetched_by: Any, brand: Brand) -> QuerySet[BrandTarget]:
    return BrandTarget.objects.visible_to(fetched_by).filter(brand=brand)


def evaluations_of(*, fetched_by: Any, brand: Brand) -> QuerySet[BrandEvaluation]:
    return BrandEvaluation.objects.visible_to(fetched_by).filter(brand=brand)


def recognitions_of(*, fetched_by: Any, brand: Brand) -> QuerySet[Recognition]:
    return Recognition.objects.visible_to(fetched_by).filter(brand=brand)


def history_for(*, fetched_by: Any, brand: Brand):
    get_brand_for(fetched_by=fetched_by, pk=brand.pk)
    return history_of(brand)


def owner_choices(*, fetched_by: Any) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(fetched_by).filter(is_active=True).order_by("name")


def activity_choices(*, fetched_by: Any):
    from shegong.volunteers.models import Activity

    return (
        Activity.objects.visible_to(fetched_by)
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("-starts_at", "id")
    )


def target_group_choices():
    """The resident category vocabulary (public reference data of the platform)."""
    from shegong.people.models import Category

    return Category.objects.order_by("order", "code")


def target_groups_by_codes(codes: list[str]) -> list:
    """The categories named by `codes` (a ValidationError when one is unknown)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    found = list(target_group_choices().filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise ValidationError({"target_group_codes": _("服务对象类别不存在。")})
    return found


def get_activity_choice(*, fetched_by: Any, pk: int):
    found = activity_choices(fetched_by=fetched_by).filter(pk=pk).first()
    if found is None:
        raise Http404("Not found")
    return found


@dataclass(frozen=True)
class BrandFigures:
    """A brand's figures for a year, counted from the service records of its activities."""

    year: int
    reach: int  # distinct registered residents served
    hours: Decimal  # confirmed service hours
    records: int  # confirmed service records
    rated: int  # records with a service rating
    satisfied: int  # ratings of 4 or 5

    @property
    def satisfaction(self) -> Decimal | None:
        """Satisfied ratings as a share of the rated records (a fraction), None without any."""
        if not self.rated:
            return None
        return (Decimal(self.satisfied) / Decimal(self.rated)).quantize(Decimal("0.001"))


def brand_figures(*, brand: Brand, year: int) -> BrandFigures:
    """Two aggregate queries over the confirmed records of the linked activities in `year`."""
    from shegong.volunteers.models import RecordBeneficiary, ServiceRecord

    linked = BrandActivity.objects.unscoped(reason=LINKED_RECORDS).filter(brand=brand)
    records = ServiceRecord.objects.unscoped(reason=LINKED_RECORDS).filter(
        activity_id__in=linked.values("activity_id"),
        status=ServiceRecord.Status.CONFIRMED,
        service_date__year=year,
    )
    totals = records.aggregate(
        hours=Sum("hours"),
        records=Count("id"),
        rated=Count("id", filter=Q(quality_rating__isnull=False)),
        satisfied=Count("id", filter=Q(quality_rating__gte=SATISFIED)),
    )
    reach = (
        RecordBeneficiary.objects.unscoped(reason=LINKED_RECORDS)
        .filter(record__in=records)
        .aggregate(n=Count("resident_id", distinct=True))["n"]
    )
    return BrandFigures(
        year=year,
        reach=reach or 0,
        hours=(totals["hours"] or Decimal("0")).quantize(Decimal("0.1")),
        records=totals["records"],
        rated=totals["rated"],
        satisfied=totals["satisfied"],
    )


def awarding_code(*, brand: Brand, level: str) -> str:
    """The region code of the department that awards `level` for this brand."""
    return str(RegionCode(brand.region_code).ancestor(LEVEL_DEPTH[Level(level)]))


def recommending_code(*, brand: Brand, level: str) -> str | None:
    """The region code of the department that recommends an application for `level` (the
    level below the awarding one); None for a county recognition (awarded on application)."""
    depth = LEVEL_DEPTH[Level(level)]
    if depth >= 3:
        return None
    return str(RegionCode(brand.region_code).ancestor(depth + 1))


def unit_region(*, fetched_by: Any) -> str | None:
    unit = unit_of(fetched_by=fetched_by)
    return unit.region_id if unit is not None else None


# ---- export ------------------------------------------------------------------------------------


def export_rows(*, fetched_by: Any, year: int, q: str = "", kind: str = "", level: str = ""):
    rows = []
    brands = brand_list(fetched_by=fetched_by, q=q, kind=kind, level=level).order_by(
        "region_code", "name", "id"
    )[:5000]
    for brand in brands:
        figures = brand_figures(brand=brand, year=year)
        rows.append(
            [
                brand.name,
                brand.get_kind_display(),
                brand.owner.name,
                brand.region_code,
                brand.started_on,
                brand.get_recognition_level_display() if brand.recognition_level else "",
                brand.activity_count,
                figures.reach,
                figures.hours,
                figures.satisfaction,
            ]
        )
    return rows


# ---- the portal (public) -----------------------------------------------------------------------


def public_brands(*, region_prefix: str = "", q: str = "") -> QuerySet[Brand]:
    """Recognised brands, for the portal."""
    brands = (
        Brand.objects.unscoped(reason=PUBLIC_BRANDS)
        .exclude(recognition_level="")
        .select_related("owner")
    )
    if region_prefix:
        low, high = code_range(region_prefix)
        brands = brands.filter(region_code__gte=low, region_code__lte=high)
    if q:
        brands = brands.filter(Q(name__contains=q) | Q(description__contains=q))
    return brands.order_by("-recognised_on", "name", "id")


def get_public_brand(pk: int) -> Brand | None:
    return public_brands().prefetch_related("target_groups").filter(pk=pk).first()


def public_evaluations(brand: Brand) -> list[BrandEvaluation]:
    return list(
        BrandEvaluation.objects.unscoped(reason=PUBLIC_BRANDS).filter(brand=brand).order_by("-year")
    )


def public_recognitions(brand: Brand) -> list[Recognition]:
    return list(
        Recognition.objects.unscoped(reason=PUBLIC_BRANDS)
        .filter(brand=brand, status=Recognition.Status.AWARDED)
        .order_by("-decided_on")
    )

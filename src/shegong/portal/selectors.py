"""Public reads: only active service sites, only published activities, only consented names."""

from __future__ import annotations

from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from shegong.core.scoping import code_range
from shegong.orgs.models import SITE_KINDS, Organisation
from shegong.regions.models import Region
from shegong.volunteers.models import Activity, SignUp

SITE_FIELDS = (
    "id",
    "name",
    "kind",
    "region_id",
    "address",
    "phone",
    "opening_hours",
    "services",
    "latitude",
    "longitude",
    "updated_at",
    "description",
    "parent_id",
)


SEARCH_TEXT = RawSQL(
    "(orgs_organisation.name || ' ' || orgs_organisation.address || ' ' "
    "|| orgs_organisation.services)",
    [],
    output_field=TextField(),
)


def clean_prefix(value: str) -> str:
    """A region code prefix from user input ('440106', '440106000000' → '440106')."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 12:
        return ""
    region = Region.objects.filter(code=value.ljust(12, "0")).only("code", "level").first()
    return region.prefix if region is not None else value


def site_directory(*, region_prefix: str = "", q: str = "", service: str = "") -> QuerySet:
    """Active service sites (social work stations, party-mass centres, other sites)."""
    sites = Organisation.objects.filter(kind__in=SITE_KINDS, is_active=True)
    if region_prefix:
        low, high = code_range(region_prefix)
        sites = sites.filter(region_id__gte=low, region_id__lte=high)
    if service:
        sites = sites.filter(services__contains=service)
    if q:
        # the same expression as the trigram index of portal/migrations/0001 (PostgreSQL)
        sites = sites.annotate(search_text=SEARCH_TEXT).filter(search_text__contains=q)
    return sites.only(*SITE_FIELDS).order_by("region_id", "name", "id")


def get_site(pk: int) -> Organisation | None:
    return (
        Organisation.objects.filter(pk=pk, kind__in=SITE_KINDS, is_active=True)
        .select_related("region", "parent")
        .first()
    )


def public_activities(*, region_prefix: str = "", upcoming: bool = True) -> QuerySet[Activity]:
    acts = Activity.objects.filter(status=Activity.Status.PUBLISHED)
    if upcoming:
        acts = acts.filter(ends_at__gte=timezone.now())
    if region_prefix:
        acts = acts.in_subtree(region_prefix)
    return acts.select_related("organisation", "region").order_by("starts_at", "id")


def get_public_activity(pk: int) -> Activity | None:
    return (
        Activity.objects.published()
        .select_related("organisation", "region", "site")
        .filter(pk=pk)
        .first()
    )


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def public_shifts(activity: Activity) -> list[dict]:
    """Shifts with free places; who served is named only with the volunteer's consent."""
    rows = []
    signups = (
        SignUp.objects.filter(shift__activity=activity)
        .select_related("volunteer")
        .only(
            "shift_id", "status", "checked_out_at", "volunteer__name", "volunteer__consent_public"
        )
    )
    by_shift: dict[int, list] = {}
    for s in signups:
        by_shift.setdefault(s.shift_id, []).append(s)
    for shift in activity.shifts.all().order_by("starts_at", "id"):
        items = by_shift.get(shift.pk, [])
        accepted = sum(1 for s in items if s.status == SignUp.Status.ACCEPTED)
        waiting = sum(1 for s in items if s.status == SignUp.Status.WAITLISTED)
        served = [s for s in items if s.checked_out_at]
        rows.append(
            {
                "shift": shift,
                "accepted": accepted,
                "free": max(shift.capacity - accepted, 0),
                "waiting": waiting,
                "served_names": [
                    mask_name(s.volunteer.name) for s in served if s.volunteer.consent_public
                ],
                "served_count": len(served),
            }
        )
    return rows

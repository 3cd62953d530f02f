"""Public reads: only active service sites, only published activities, only consented names."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils import timezone

from shegong.core.regioncode import RegionCode
from shegong.core.scoping import code_range
from shegong.orgs.models import SITE_KINDS, Kind, Organisation
from shegong.regions.models import Level, Region
from shegong.regions.selectors import region_resolve
from shegong.volunteers.models import Activity, Shift, SignUp, Volunteer

PUBLIC_SITES = (
    "The public directory of service sites: active stations, party-mass centres and other "
    "sites are public bodies with published addresses."
)

PUBLISHED_ACTIVITIES = (
    "Published activities are public; who served is named only with the volunteer's "
    "consent, and masked."
)

OWN_SIGNUP = (
    "The public sign-up finds a volunteer only by number AND phone together, to sign that "
    "volunteer up; nothing of the record is shown."
)

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
    """The code prefix of the region a visitor picked or typed ('440106', '440106000000' or
    '天河区' → '440106'); "" (the whole country) when it names no region. The division tree is
    public data, so the whole country is searched."""
    if not (value or "").strip():
        return ""
    try:
        return region_resolve(value[:100]).prefix
    except ValidationError:
        return ""


def site_directory(*, region_prefix: str = "", q: str = "", service: str = "") -> QuerySet:
    """Active service sites (social work stations, party-mass centres, other sites)."""
    sites = Organisation.objects.unscoped(reason=PUBLIC_SITES).filter(
        kind__in=SITE_KINDS, is_active=True
    )
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
        Organisation.objects.unscoped(reason=PUBLIC_SITES)
        .filter(pk=pk, kind__in=SITE_KINDS, is_active=True)
        .select_related("region", "parent")
        .first()
    )


def public_activities(*, region_prefix: str = "", upcoming: bool = True) -> QuerySet[Activity]:
    acts = Activity.objects.unscoped(reason=PUBLISHED_ACTIVITIES).filter(
        status=Activity.Status.PUBLISHED
    )
    if upcoming:
        acts = acts.filter(ends_at__gte=timezone.now())
    if region_prefix:
        acts = acts.in_subtree(region_prefix)
    return acts.select_related("organisation", "region").order_by("starts_at", "id")


def get_public_activity(pk: int) -> Activity | None:
    return (
        Activity.objects.unscoped(reason=PUBLISHED_ACTIVITIES)
        .published()
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
        SignUp.objects.unscoped(reason=PUBLISHED_ACTIVITIES)
        .filter(shift__activity=activity)
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


# ---- public region data (administrative divisions are public) ----------------------------------

# The most children a region page lists (a county has at most a few dozen townships).
REGION_CHILDREN_LIMIT = 60


def get_region(code: str) -> Region | None:
    """A region by its 12-digit code, or None."""
    if not code:
        return None
    return Region.objects.filter(code=code).first()


def region_of_prefix(prefix: str) -> Region | None:
    return get_region(RegionCode.from_prefix(prefix)) if prefix else None


def region_choices_below(region: Region | None) -> list[Region]:
    """What the region picker offers next: the provinces at the top, the children of a region
    above township level, nothing below."""
    if region is None:
        return list(Region.objects.filter(level=Level.PROVINCE).order_by("code"))
    if region.level < Level.TOWNSHIP:
        return list(
            Region.objects.filter(parent_id=region.code).order_by("code")[:REGION_CHILDREN_LIMIT]
        )
    return []


def registration_regions(county: str) -> list[tuple[str, str]]:
    """The townships and villages of a county a volunteer may register in, as (code, name)."""
    if len(county) < 6:
        return []
    low, high = code_range(county[:6])
    return list(
        Region.objects.filter(
            code__gte=low, code__lte=high, level__in=(Level.TOWNSHIP, Level.VILLAGE)
        )
        .order_by("code")
        .values_list("code", "name")
    )


def registration_counties() -> list[tuple[str, str]]:
    """The counties with an active social work station (where volunteers are recruited), as
    (6-digit prefix, name)."""
    county_codes = list(
        Organisation.objects.unscoped(reason=PUBLIC_SITES)
        .filter(kind=Kind.SOCIAL_WORK_STATION, is_active=True)
        .annotate(county=Substr("region_id", 1, 6))
        .values_list("county", flat=True)
        .distinct()
        .order_by("county")
    )
    names = region_names([RegionCode.from_prefix(c) for c in county_codes])
    return [(c, names.get(RegionCode.from_prefix(c), c)) for c in county_codes]


def region_names(codes) -> dict[str, str]:
    """code → name for the given 12-digit codes (one query)."""
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def site_region_names(sites) -> dict[str, dict]:
    """For each site's region: the names of its province, city and county (HSDS addresses)."""
    levels = {"province": 1, "city": 2, "county": 3}
    ancestors = {s.region_id: RegionCode(s.region_id) for s in sites}
    names = region_names(
        {code.ancestor(level) for code in ancestors.values() for level in levels.values()}
    )
    return {
        region_id: {key: names.get(code.ancestor(level), "") for key, level in levels.items()}
        for region_id, code in ancestors.items()
    }


# ---- public sign-up ----------------------------------------------------------------------------


def get_public_shift(pk: int) -> Shift | None:
    """A shift of a published (public) activity, or None."""
    shift = (
        Shift.objects.unscoped(reason=PUBLISHED_ACTIVITIES)
        .select_related("activity")
        .filter(pk=pk)
        .first()
    )
    if shift is None or not shift.activity.is_public:
        return None
    return shift


def volunteer_by_number_and_phone(*, number: str, phone: str) -> Volunteer | None:
    """The public sign-up identifies a volunteer by number AND phone, never one alone."""
    number, phone = number.strip().upper(), phone.strip()
    if not number or not phone:
        return None
    return Volunteer.objects.unscoped(reason=OWN_SIGNUP).filter(number=number, phone=phone).first()


STATISTICS_SECONDS = 300  # how long a published roll-up is served before it is counted again


def published_statistics(*, prefix: str, year: int, month: int) -> dict:
    """The published volunteer figures of a region subtree and month (`rollup_with_names`)
    with `computed_at`, the time they were counted. The page is open to anybody and a national
    roll-up reads every service record of the month (1.7 s at 10 million records), so a
    region's month is counted at most once per `STATISTICS_SECONDS` per process and the page
    says when; the figures are public totals, the same for every reader."""
    from django.core.cache import cache

    from shegong.volunteers.selectors import rollup_with_names

    key = f"portal:stats:{prefix}:{year:04d}-{month:02d}"
    found = cache.get(key)
    if found is None:
        found = {
            **rollup_with_names(prefix=prefix, year=year, month=month),
            "computed_at": timezone.now(),
        }
        cache.set(key, found, STATISTICS_SECONDS)
    return found

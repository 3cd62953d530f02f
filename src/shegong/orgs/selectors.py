from __future__ import annotations

from django.db.models import Q, QuerySet

from shegong.accounts.models import User
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import get_visible_or_404
from shegong.orgs.models import Organisation

CHILD_COUNTS = (
    "Counts per child region of a subtree the caller checked against the user's "
    "jurisdiction; only figures leave."
)


def organisation_list(
    *, fetched_by: User, kind: str = "", region_prefix: str = "", q: str = "", sector: str = ""
) -> QuerySet[Organisation]:
    """Organisations inside the user's jurisdiction, filtered by kind, a region subtree and text."""
    orgs = Organisation.objects.visible_to(fetched_by)
    if region_prefix and region_prefix.isdigit():
        orgs = orgs.in_subtree(region_prefix)
    if kind:
        orgs = orgs.filter(kind=kind)
    if sector:
        orgs = orgs.filter(sector=sector)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(credit_code=q.upper()) | Q(region_id=q))
    return orgs.select_related("region", "parent")


def get_organisation_for(*, fetched_by: User, pk: int) -> Organisation:
    return get_visible_or_404(
        Organisation.objects.select_related("region", "parent"), fetched_by, pk=pk
    )


def supervisor_choices(*, fetched_by: User) -> QuerySet[Organisation]:
    """Organisations the user may name as a supervising unit (inside their jurisdiction)."""
    return (
        Organisation.objects.visible_to(fetched_by)
        .only("pk", "name", "region_id")
        .order_by("region_id", "name")
    )


def count_by_child_region(low: str, high: str, child_len: int) -> dict[str, int]:
    from shegong.core.counting import count_by_child

    return count_by_child(
        Organisation.objects.unscoped(reason=CHILD_COUNTS).filter(is_active=True),
        "region_id",
        low,
        high,
        child_len,
    )


def home_figures(*, fetched_by: User) -> list:
    from django.db.models import Count
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from shegong.core.registry import Figure
    from shegong.orgs.models import Kind

    counts = dict(
        Organisation.objects.visible_to(fetched_by)
        .filter(is_active=True)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    url = reverse("orgs:list")
    return [
        Figure(_("组织总数"), sum(counts.values()), url, order=10),
        Figure(
            _("社工站"),
            counts.get(Kind.SOCIAL_WORK_STATION, 0),
            f"{url}?kind={Kind.SOCIAL_WORK_STATION}",
            order=11,
        ),
        Figure(
            _("社会工作服务机构"),
            counts.get(Kind.SOCIAL_WORK_ORGANISATION, 0),
            f"{url}?kind={Kind.SOCIAL_WORK_ORGANISATION}",
            order=12,
        ),
        Figure(
            _("党群服务中心等服务站点"),
            counts.get(Kind.PARTY_MASS_CENTRE, 0) + counts.get(Kind.SERVICE_SITE, 0),
            f"{url}?kind={Kind.PARTY_MASS_CENTRE}",
            order=13,
        ),
    ]


def department_to_contact(region_code: str) -> str:
    """Whom a user of another jurisdiction should contact about a record found in the county of
    `region_code`: the name of that county's social work department (or, if none is registered,
    "<county> 社会工作部门"). Department names are public contact information; this is all a
    duplicate or repeat check may say about a match outside the user's jurisdiction."""
    from django.utils.translation import gettext as _

    from shegong.orgs.models import Kind
    from shegong.regions.selectors import region_names

    county = RegionCode.from_prefix((region_code or "")[:6])
    name = (
        Organisation.objects.unscoped(
            reason="A county's social work department is public contact information; only its "
            "name is returned, to tell a user of another jurisdiction whom to contact."
        )
        .filter(kind=Kind.SOCIAL_WORK_DEPARTMENT, region_id=county, is_active=True)
        .order_by("id")
        .values_list("name", flat=True)
        .first()
    )
    if name:
        return name
    county_name = region_names([county]).get(county) or county[:6]
    return _("%(county)s社会工作部门") % {"county": county_name}


def is_superior_organ(org: Organisation | None, *, of: Organisation | None) -> bool:
    """Whether `org` is the superior organ (上一级机关) of `of`: the unit it answers to
    (`parent`, when that sits at a higher level), or a unit of the region directly above `of`'s
    region — the level its overdue matters escalate to (`Matter.escalation_code`) — in the same
    line of work (a unit without a sector, such as the social work department that leads
    petition work, is of every line). A unit of the same region is never its superior."""
    if org is None or of is None or org.pk == of.pk:
        return False
    org_level = RegionCode(org.region_id).level
    of_level = RegionCode(of.region_id).level
    if org.pk == of.parent_id:
        return org_level < of_level
    if org.region_id != (of.region.parent_id or ""):
        return False
    return not org.sector or not of.sector or org.sector == of.sector

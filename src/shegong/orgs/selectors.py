from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shegong.accounts.models import User
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import get_visible_or_404
from shegong.orgs.models import Organisation, StaffingStandard

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


# ---- staffing standards of township social work stations ---------------------------------------
# The levels that may set a standard: the nation (""), a province, a city (prefecture).
STANDARD_LEVELS = {0: "", 1: "province", 2: "city"}


def standard_chain(region_code: str) -> list[str]:
    """The region codes whose standard would apply to `region_code`, most specific first:
    its city, its province, the nation ("")."""
    code = region_code or ""
    chain = []
    for length in (4, 2):
        if len(code) >= length and code[:length].strip("0") and code[:length].isdigit():
            full = RegionCode.from_prefix(code[:length])
            if full not in chain and full[:length] == code[:length]:
                chain.append(full)
    return [*chain, ""]


def staffing_standards_all() -> dict[str, StaffingStandard]:
    """Every standard by its region code (a few dozen rows: the nation, provinces, cities)."""
    return {s.region_code: s for s in StaffingStandard.objects.all()}


def staffing_standard_resolve(
    region_code: str, *, standards: dict[str, StaffingStandard] | None = None
) -> StaffingStandard | None:
    """The standard that applies in `region_code`: its city's, else its province's, else the
    national default. `standards` (from `staffing_standards_all`) saves a query per region."""
    if standards is None:
        standards = {
            s.region_code: s
            for s in StaffingStandard.objects.filter(region_code__in=standard_chain(region_code))
        }
    for code in standard_chain(region_code):
        if code in standards:
            return standards[code]
    return None


def staffing_standard_list(*, fetched_by: User) -> list[StaffingStandard]:
    """The standards a user works under or may set: those that apply to their jurisdiction
    (the nation's, their province's, their city's) and those set inside it."""
    from shegong.core.scoping import NOWHERE, jurisdiction_of

    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE:
        return []
    above = standard_chain(jurisdiction.region_code) if jurisdiction.prefix else [""]
    rows = StaffingStandard.objects.filter(
        Q(region_code__in=above) | Q(pk__in=StaffingStandard.objects.visible_to(fetched_by))
    ).order_by("region_code")
    return list(rows)


def get_staffing_standard_for(*, fetched_by: User, pk: int) -> StaffingStandard:
    """A standard the user may read (any: they are public documents), with its history."""
    from django.http import Http404

    found = {s.pk: s for s in staffing_standard_list(fetched_by=fetched_by)}
    if pk not in found:
        raise Http404("Not found")
    return found[pk]


@dataclass(frozen=True)
class StationStaffing:
    standard: StaffingStandard | None
    staffed: int

    @property
    def required(self) -> int:
        return self.standard.workers_per_station if self.standard else 0

    @property
    def gap(self) -> int:
        return max(self.required - self.staffed, 0)


def station_staffing(*, fetched_by: User, station: Organisation) -> StationStaffing:
    """A station's social workers in post against the standard that applies where it is."""
    from shegong.accounts.models import Membership, Role

    staffed = (
        Membership.objects.visible_to(fetched_by)
        .filter(organisation=station, role=Role.STATION_WORKER, is_active=True)
        .count()
    )
    return StationStaffing(standard=staffing_standard_resolve(station.region_id), staffed=staffed)


def standard_place_names(standards) -> dict[str, str]:
    """`{region code: name}` of the places these standards are set for ("" → 全国默认)."""
    from django.utils.translation import gettext as _

    from shegong.regions.selectors import region_names

    codes = [s.region_code for s in standards if s.region_code]
    return {"": _("全国默认"), **region_names(codes)}


# ---- the hierarchy of leading units (directives down, reports up) -----------------------------
# The unit that leads social work at each level: the social work department of the nation, a
# province, a city and a county; the social work station of a township. Directives are sent to
# these units and periodic reports are filled and approved by them.
LEADING_KIND_AT_LEVEL = {
    0: "sw_department",
    1: "sw_department",
    2: "sw_department",
    3: "sw_department",
    4: "sw_station",
}
SUPERIOR_UNIT = (
    "The unit a directive or a report goes up to is the leading unit of the region above; its "
    "name and id are organisational facts every subordinate unit works with."
)


def leading_units(
    *, fetched_by: User, level: int, within: list[str] | tuple[str, ...] = ()
) -> QuerySet[Organisation]:
    """The active leading units (社会工作部 / 社工站) at region `level` inside the user's
    jurisdiction and, when `within` names region codes or prefixes, inside those subtrees.
    A subtree outside the jurisdiction adds nothing: `visible_to` bounds every row."""
    kind = LEADING_KIND_AT_LEVEL.get(level)
    if kind is None:
        return Organisation.objects.none()
    units = Organisation.objects.visible_to(fetched_by).filter(
        kind=kind, is_active=True, region__level=level
    )
    if within:
        from shegong.core.scoping import code_range

        condition = Q()
        for code in within:
            prefix = RegionCode(code).prefix if len(code) == 12 else code
            low, high = code_range(prefix)
            condition |= Q(region_id__gte=low, region_id__lte=high)
        units = units.filter(condition)
    return units.order_by("region_id", "id")


def unit_of(*, fetched_by: User) -> Organisation | None:
    """The organisation of the user's active membership (the unit they act for)."""
    membership = getattr(fetched_by, "active_membership", None)
    return membership.organisation if membership is not None else None


def superior_unit(unit: Organisation) -> Organisation | None:
    """The leading unit a unit reports to: its `parent` when that is a leading unit of a higher
    level, else the active leading unit of the nearest region above that has one."""
    level = RegionCode(unit.region_id).level
    if unit.parent_id is not None:
        parent = (
            Organisation.objects.unscoped(reason=SUPERIOR_UNIT)
            .filter(pk=unit.parent_id, is_active=True)
            .first()
        )
        if (
            parent is not None
            and parent.kind in LEADING_KIND_AT_LEVEL.values()
            and RegionCode(parent.region_id).level < level
        ):
            return parent
    code = RegionCode(unit.region_id)
    for up in range(level - 1, -1, -1):
        ancestor = code.ancestor(up)
        found = (
            Organisation.objects.unscoped(reason=SUPERIOR_UNIT)
            .filter(region_id=ancestor, kind=LEADING_KIND_AT_LEVEL[up], is_active=True)
            .order_by("id")
            .first()
        )
        if found is not None:
            return found
    return None


# ---- duty lists (职责清单) ---------------------------------------------------------------------


def duty_lists_current(*, fetched_by: User, organisation: Organisation) -> list:
    """The unit's lists in force (the whole unit's first, then one per role), with their items."""
    from shegong.orgs.models import DutyList

    return list(
        DutyList.objects.visible_to(fetched_by)
        .published()
        .filter(organisation=organisation)
        .select_related("published_by")
        .prefetch_related("items")
        .order_by("role", "-version")
    )


def duty_list_versions(*, fetched_by: User, organisation: Organisation) -> list:
    """Every version of the unit's lists, newest first per role; the draft only for the unit's
    own editors."""
    from shegong.orgs.duties import may_edit_duties
    from shegong.orgs.models import DutyList, DutyStatus

    lists = DutyList.objects.visible_to(fetched_by).filter(organisation=organisation)
    if not may_edit_duties(fetched_by, organisation):
        lists = lists.exclude(status=DutyStatus.DRAFT)
    return list(lists.select_related("published_by").order_by("role", "-version"))


def get_duty_list_for(*, fetched_by: User, organisation: Organisation, pk: int):
    """One version of the unit's list with its items (404 when missing, outside the
    jurisdiction, or a draft the reader may not edit)."""
    from django.http import Http404

    for duty_list in duty_list_versions(fetched_by=fetched_by, organisation=organisation):
        if duty_list.pk == pk:
            return duty_list
    raise Http404("Not found")


def duty_items_of(duty_list) -> list:
    return list(duty_list.items.all())


def duty_list_for_editing(*, fetched_by: User, organisation: Organisation, role: str = ""):
    """What the unit's edit page starts from: its draft, else the version in force (its items
    are copied into the next draft when saved), else None."""
    from shegong.orgs.models import DutyList, DutyStatus

    lists = DutyList.objects.visible_to(fetched_by).filter(organisation=organisation, role=role)
    return (
        lists.filter(status=DutyStatus.DRAFT).first()
        or lists.filter(status=DutyStatus.PUBLISHED).first()
    )


@dataclass
class DutyHolder:
    """A unit whose published duty items match a text, with those items and a score."""

    organisation: Organisation
    items: list
    score: int


# A text up to this long is cut into every piece a keyword could be (≤ KEYWORD_MAX characters) and
# the pieces are looked up; a longer one is compared with each keyword row of the jurisdiction.
CANDIDATES_TEXT_MAX = 400
COUNTY_PREFIX = 6


def text_pieces(text: str) -> set[str]:
    from shegong.orgs.duties import KEYWORD_MAX

    return {text[i : i + n] for n in range(1, KEYWORD_MAX + 1) for i in range(len(text) - n + 1)}


# A text longer than this is a matter's description: only its keywords are looked for in it.
# A shorter one is a search: it is also looked for in the items' titles and keywords.
SHORT_QUERY = 30


def duty_holders(
    *, fetched_by: User, text: str, within: str = "", limit: int = 10
) -> list[DutyHolder]:
    """The units inside the user's jurisdiction (and inside the region subtree `within`, a code
    or prefix) whose published duty items match `text`, best first: a keyword of an item found
    in the text counts 2, the (short) text found in an item's title or keywords counts 1.
    Set-based: the scores are summed per unit in SQL (one range scan of the keyword table, one
    of the items for a short text); only the items of the best `limit` units are loaded."""
    from django.db.models import CharField, Count, F, Value

    from shegong.orgs.duties import normalise
    from shegong.orgs.models import DutyItem, DutyKeyword, DutyStatus

    query = normalise(text)[:2000]
    if not query:
        return []
    if within and len(within) == 12 and within.isdigit():
        within = RegionCode(within).prefix
    within = within if within.isdigit() else ""
    keywords = DutyKeyword.objects.visible_to(fetched_by).in_subtree(within)
    from shegong.core.scoping import jurisdiction_of

    narrowest = max(len(within), len(jurisdiction_of(fetched_by).prefix))
    if len(query) <= CANDIDATES_TEXT_MAX and narrowest < COUNTY_PREFIX:
        # Above a county, every piece of the text as long as a keyword can be is looked up on
        # (word, region); inside a county, its few keyword rows are each compared with the text.
        keywords = keywords.filter(word__in=text_pieces(query))
    else:
        keywords = keywords.annotate(text=Value(query, output_field=CharField())).filter(
            text__contains=F("word")
        )
    items = DutyItem.objects.none()
    if len(query) <= SHORT_QUERY:
        items = DutyItem.objects.visible_to(fetched_by).filter(
            Q(title__icontains=query) | Q(keywords__icontains=query),
            duty_list__status=DutyStatus.PUBLISHED,
        )
        if within:
            from shegong.core.scoping import code_range

            low, high = code_range(within)
            items = items.filter(
                duty_list__organisation__region_id__gte=low,
                duty_list__organisation__region_id__lte=high,
            )
    scores: dict[int, int] = {}
    wide = max(limit * 5, 50)  # units taken from each part before the two are added up
    for org_id, n in (
        keywords.values("organisation_id")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation_id")
        .values_list("organisation_id", "n")[:wide]
    ):
        scores[org_id] = scores.get(org_id, 0) + 2 * n
    for org_id, n in (
        items.values("duty_list__organisation_id")
        .annotate(n=Count("id"))
        .order_by("-n", "duty_list__organisation_id")
        .values_list("duty_list__organisation_id", "n")[:wide]
    ):
        scores[org_id] = scores.get(org_id, 0) + n
    if not scores:
        return []
    best = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
    item_ids = set(
        keywords.filter(organisation_id__in=best).values_list("item_id", flat=True)
    ) | set(items.filter(duty_list__organisation_id__in=best).values_list("pk", flat=True))
    matched = (
        DutyItem.objects.visible_to(fetched_by)
        .filter(pk__in=item_ids, duty_list__status=DutyStatus.PUBLISHED)
        .select_related("duty_list__organisation__region")
        .order_by("duty_list__organisation_id", "order", "id")
    )
    holders: dict[int, DutyHolder] = {}
    for item in matched:
        org = item.duty_list.organisation
        holder = holders.setdefault(
            org.pk, DutyHolder(organisation=org, items=[], score=scores[org.pk])
        )
        holder.items.append(item)
    return sorted(
        holders.values(),
        key=lambda h: (-h.score, -len(h.items), h.organisation.region_id, h.organisation.name),
    )

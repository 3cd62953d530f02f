from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.regioncode import PREFIX_LENGTH, RegionCode
from shegong.core.registry import region_counters
from shegong.core.scoping import NOWHERE, code_range, get_visible_or_404, jurisdiction_of
from shegong.regions.models import NATION_CODE, Region


@dataclass
class ChildRow:
    region: Region
    counts: list[int]


# Names of regions by code: reference data (GB/T 2260) that changes only when an administrator
# reloads the divisions, so each process keeps the names it has looked up for a while.
NAME_TTL_SECONDS = 600
_names: dict[str, tuple[float, str]] = {}
_names_lock = threading.Lock()


def region_names(codes) -> dict[str, str]:
    """`{code: name}` for the given region codes (unknown codes are left out): from the
    process's cache, and one query for those it has not seen in the last `NAME_TTL_SECONDS`."""
    now = time.monotonic()
    found, missing = {}, []
    for code in set(codes):
        hit = _names.get(code)
        if hit is not None and hit[0] > now:
            found[code] = hit[1]
        else:
            missing.append(code)
    if missing:
        fetched = dict(Region.objects.filter(code__in=missing).values_list("code", "name"))
        with _names_lock:
            if len(_names) > 100_000:
                _names.clear()
            for code, name in fetched.items():
                _names[code] = (now + NAME_TTL_SECONDS, name)
        found.update(fetched)
    return found


def forget_region_names() -> None:
    with _names_lock:
        _names.clear()
        _trees.clear()


# The region tree the home page shows of a jurisdiction, kept like the names (reference data).
_trees: dict[str, tuple[float, JurisdictionTree]] = {}


def region_for(*, fetched_by: User, code: str) -> Region:
    return get_visible_or_404(Region.objects.all(), fetched_by, code=code)


def jurisdiction_root(*, fetched_by: User) -> Region:
    return region_for(fetched_by=fetched_by, code=jurisdiction_of(fetched_by).region_code)


@dataclass
class JurisdictionTree:
    root: Region
    full_name: str
    children: list[Region]


def jurisdiction_tree(*, fetched_by: User) -> JurisdictionTree:
    """The user's jurisdiction root with its full name (its ancestors' names before its own)
    and its child regions: one query, then kept by the process like the region names."""
    jurisdiction = jurisdiction_of(fetched_by)
    code = jurisdiction.region_code
    if not code:
        raise Http404("Not found")
    now = time.monotonic()
    hit = _trees.get(code)
    if hit is not None and hit[0] > now:
        return hit[1]
    ancestors = [NATION_CODE] + [
        RegionCode.from_prefix(code[:length])
        for level, length in PREFIX_LENGTH.items()
        if 0 < level < jurisdiction.level
    ]
    found = list(
        Region.objects.filter(Q(code__in=[*ancestors, code]) | Q(parent_id=code)).order_by("code")
    )
    by_code = {r.code: r for r in found}
    root = by_code.get(code)
    if root is None:
        raise Http404("Not found")
    names = [
        by_code[c].name
        for c in dict.fromkeys(ancestors)
        if c in by_code and c != code and by_code[c].level > 0 and by_code[c].name != "市辖区"
    ]
    children = [r for r in found if r.parent_id == code and r.code != code]
    tree = JurisdictionTree(root=root, full_name="".join([*names, root.name]), children=children)
    with _names_lock:
        if len(_trees) > 10_000:
            _trees.clear()
        _trees[code] = (now + NAME_TTL_SECONDS, tree)
    return tree


def breadcrumbs(*, fetched_by: User, region: Region) -> list[Region]:
    """Ancestors the user may see (their jurisdiction root and below)."""
    jurisdiction = jurisdiction_of(fetched_by)
    return [
        r
        for r in region.ancestors()
        if jurisdiction.contains(r.code) and len(r.prefix) >= len(jurisdiction.prefix)
    ]


def children_with_counts(
    region: Region, children: list[Region] | None = None
) -> tuple[list[str], list[ChildRow]]:
    """The child regions with one set-based count per registered counter (organisations, people…);
    `children`, when the caller has read them already."""
    if children is None:
        children = list(Region.objects.children_of(region))
    if not children:
        return [str(c.label) for c in region_counters], []
    child_len = region.child_prefix_length
    low, high = code_range(region.prefix)
    tallies = [counter.count(low, high, child_len) for counter in region_counters]
    rows = []
    for child in children:
        key = child.code[:child_len]
        rows.append(ChildRow(region=child, counts=[t.get(key, 0) for t in tallies]))
    # A child whose code equals the parent's (a city with no county level) is shown with its own counts.
    return [str(c.label) for c in region_counters], rows


def region_search(
    *, fetched_by: User | None, q: str, levels: Iterable[int] | None = None, limit: int = 20
) -> QuerySet[Region]:
    """Regions whose code starts with, or whose name contains, what was typed: inside the
    user's jurisdiction, or in the whole country when `fetched_by` is None (public forms: the
    division tree is public data)."""
    q = " ".join((q or "").split())
    regions = Region.objects.visible_to(fetched_by) if fetched_by is not None else Region.objects
    if levels is not None:
        regions = regions.filter(level__in=tuple(levels))
    if not q:
        return regions.none()
    if q.isdigit():
        low, high = code_range(q[:12])
        return regions.filter(code__gte=low, code__lte=high).order_by("code")[:limit]
    if fetched_by is None and len(q) < 2:
        return regions.none()
    return regions.filter(Q(name__startswith=q) | Q(name__contains=q)).order_by("level", "code")[
        :limit
    ]


# ---- the one way a region typed by a person is resolved ----------------------------------------

LEVEL_WORDS = {
    1: _("省级"),
    2: _("地级"),
    3: _("县级"),
    4: _("乡镇（街道）"),
    5: _("村（社区）"),
}


def region_resolve(
    text: str | None,
    *,
    fetched_by: User | None = None,
    within: str | None = None,
    levels: Iterable[int] | None = None,
    field: str = "region",
) -> Region:
    """The region a person meant by `text`: a code (2, 4, 6, 9 or 12 digits) or a name.

    The search runs inside `fetched_by`'s jurisdiction (or the subtree `within`, or the whole
    country for public forms, where both are None) and among `levels`. A name must be unique
    there. Every refusal is a `ValidationError` on `field` with one of the same few messages.
    """
    value = " ".join((text or "").split())
    if not value:
        raise ValidationError(
            {field: ValidationError(_("请填写区划代码或名称。"), code="required")}
        )
    prefix = ""
    if fetched_by is not None:
        jurisdiction = jurisdiction_of(fetched_by)
        if jurisdiction is NOWHERE:
            raise ValidationError(
                {
                    field: ValidationError(
                        _("该区划不在您的辖区范围内。"), code="out_of_jurisdiction"
                    )
                }
            )
        prefix = jurisdiction.prefix
    if within is not None and within.startswith(prefix):
        prefix = within  # a narrower subtree inside the jurisdiction
    allowed = tuple(sorted(set(levels))) if levels is not None else None
    regions = Region.objects.all()
    if RegionCode.looks_like(value):
        code = RegionCode.parse(value, field=field)
        region = regions.filter(code=code).first()
        if region is None:
            raise ValidationError(
                {field: ValidationError(_("未找到区划：%(v)s") % {"v": value}, code="unknown")}
            )
        if not region.code.startswith(prefix):
            raise ValidationError(
                {
                    field: ValidationError(
                        _("该区划不在您的辖区范围内。"), code="out_of_jurisdiction"
                    )
                }
            )
    else:
        if len(value) > 100:
            raise ValidationError({field: ValidationError(_("区划名称过长。"), code="length")})
        candidates = regions.in_subtree(prefix).filter(name=value)
        if allowed is not None:
            candidates = candidates.filter(level__in=allowed)
        found = list(candidates.order_by("code")[:2])
        if not found:
            raise ValidationError(
                {field: ValidationError(_("未找到区划：%(v)s") % {"v": value}, code="unknown")}
            )
        if len(found) > 1:
            raise ValidationError(
                {
                    field: ValidationError(
                        _("有多个名为“%(v)s”的区划，请填写区划代码。") % {"v": value},
                        code="ambiguous",
                    )
                }
            )
        region = found[0]
    if allowed is not None and region.level not in allowed:
        words = "、".join(str(LEVEL_WORDS[level]) for level in allowed if level in LEVEL_WORDS)
        raise ValidationError(
            {
                field: ValidationError(
                    _("请选择%(levels)s一级的区划。") % {"levels": words}, code="level"
                )
            }
        )
    return region

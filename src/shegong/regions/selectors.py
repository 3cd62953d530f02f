from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shegong.accounts.models import User
from shegong.core.registry import region_counters
from shegong.core.scoping import code_range, get_visible_or_404, jurisdiction_of
from shegong.regions.models import Region


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


def region_for(user: User, code: str) -> Region:
    return get_visible_or_404(Region.objects.all(), user, code=code)


def jurisdiction_root(user: User) -> Region:
    return region_for(user, jurisdiction_of(user).region_code)


def breadcrumbs(user: User, region: Region) -> list[Region]:
    """Ancestors the user may see (their jurisdiction root and below)."""
    jurisdiction = jurisdiction_of(user)
    return [
        r
        for r in region.ancestors()
        if jurisdiction.contains(r.code) and len(r.prefix) >= len(jurisdiction.prefix)
    ]


def children_with_counts(region: Region) -> tuple[list[str], list[ChildRow]]:
    """The child regions with one set-based count per registered counter (organisations, people…)."""
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


def region_search(*, fetched_by: User, q: str, limit: int = 20) -> QuerySet[Region]:
    q = (q or "").strip()
    regions = Region.objects.visible_to(fetched_by)
    if not q:
        return regions.none()
    if q.isdigit():
        low, high = code_range(q[:12])
        return regions.filter(code__gte=low, code__lte=high).order_by("code")[:limit]
    return regions.filter(Q(name__startswith=q) | Q(name__contains=q)).order_by("level", "code")[
        :limit
    ]

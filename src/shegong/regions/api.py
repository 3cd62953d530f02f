from ninja import Router, Schema

from shegong.core.api_schema import Search, Text
from shegong.core.api_utils import require_perm
from shegong.regions import selectors

router = Router(tags=["regions 行政区划"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_id: str | None


class ChildOut(RegionOut):
    counts: dict[str, int]


class RegionDetailOut(RegionOut):
    full_name: str
    children: list[ChildOut]


@router.get(
    "/{code}", response=RegionDetailOut, summary="A region with its children and their counts"
)
def region_detail(request, code: Text(12, pattern="^[0-9]{12}$")):
    require_perm(request, "regions.view")
    region = selectors.region_for(request.user, code)
    labels, rows = selectors.children_with_counts(region)
    from shegong.core.registry import region_counters

    keys = [c.key for c in region_counters]
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent_id": region.parent_id,
        "full_name": region.full_name,
        "children": [
            {
                "code": r.region.code,
                "name": r.region.name,
                "level": r.region.level,
                "parent_id": r.region.parent_id,
                "counts": dict(zip(keys, r.counts, strict=True)),
            }
            for r in rows
        ],
    }


@router.get("/", response=list[RegionOut], summary="Search regions inside the jurisdiction")
def region_search(request, q: Search = ""):
    require_perm(request, "regions.view")
    return list(selectors.region_search(fetched_by=request.user, q=q, limit=50))

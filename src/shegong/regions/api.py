from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Search, Text
from shegong.core.registry import region_counters
from shegong.regions import selectors
from shegong.regions.schemas import RegionDetailOut, RegionOut

router = Router(tags=["regions 行政区划"])


@router.get(
    "/{code}", response=RegionDetailOut, summary="A region with its children and their counts"
)
@scoped("regions.view")
def region_detail(request, code: Text(12, pattern="^[0-9]{12}$")):
    region = selectors.region_for(fetched_by=request.user, code=code)
    labels, rows = selectors.children_with_counts(region)
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
@scoped("regions.view")
def region_search(request, q: Search = ""):
    return list(selectors.region_search(fetched_by=request.user, q=q, limit=50))

from django.shortcuts import redirect, render

from shegong.core.access import public, scoped
from shegong.core.scoping import jurisdiction_of
from shegong.regions import selectors


@scoped("regions.view")
def region_index(request):
    return redirect("regions:detail", code=jurisdiction_of(request.user).region_code)


@scoped("regions.view")
def region_detail(request, code: str):
    region = selectors.region_for(fetched_by=request.user, code=code)
    labels, rows = selectors.children_with_counts(region)
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "crumbs": selectors.breadcrumbs(fetched_by=request.user, region=region),
            "labels": labels,
            "rows": rows,
            "totals": [sum(r.counts[i] for r in rows) for i in range(len(labels))],
        },
    )


LEVEL_DIGITS = {"0", "1", "2", "3", "4", "5"}


def _suggest_query(request) -> tuple[str, tuple[int, ...] | None]:
    """What a `RegionInput` sends: its own value under its field name, and the levels allowed."""
    field = request.GET.get("field") or "region"
    q = request.GET.get(field) or request.GET.get("q", "")
    levels = tuple(int(x) for x in request.GET.get("levels", "").split(",") if x in LEVEL_DIGITS)
    return q, levels or None


@scoped("regions.view")
def region_suggest(request):
    """<option>s for a region input's datalist (htmx), inside the user's jurisdiction."""
    q, levels = _suggest_query(request)
    regions = selectors.region_search(fetched_by=request.user, q=q, levels=levels)
    return render(request, "regions/partials/options.html", {"regions": regions})


@public
def region_suggest_public(request):
    """The same for public forms: the whole division tree (public data), two characters at least."""
    q, levels = _suggest_query(request)
    regions = selectors.region_search(fetched_by=None, q=q, levels=levels)
    return render(request, "regions/partials/options.html", {"regions": regions})


@scoped("regions.view")
def region_search_page(request):
    q = request.GET.get("q", "")
    return render(
        request,
        "regions/region_search.html",
        {
            "q": q,
            "regions": selectors.region_search(fetched_by=request.user, q=q, limit=100),
        },
    )

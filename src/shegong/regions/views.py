from django.shortcuts import redirect, render

from shegong.core.access import scoped
from shegong.core.scoping import jurisdiction_of
from shegong.regions import selectors


@scoped("regions.view")
def region_index(request):
    return redirect("regions:detail", code=jurisdiction_of(request.user).region_code)


@scoped("regions.view")
def region_detail(request, code: str):
    region = selectors.region_for(request.user, code)
    labels, rows = selectors.children_with_counts(region)
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "crumbs": selectors.breadcrumbs(request.user, region),
            "labels": labels,
            "rows": rows,
            "totals": [sum(r.counts[i] for r in rows) for i in range(len(labels))],
        },
    )


@scoped("regions.view")
def region_suggest(request):
    """<option>s for a region input's datalist (htmx)."""
    q = request.GET.get("region") or request.GET.get("q", "")
    regions = selectors.region_search(fetched_by=request.user, q=q)
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

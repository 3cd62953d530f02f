from django.shortcuts import redirect, render

from shegong.core.access import login_only
from shegong.core.permissions import has_perm
from shegong.core.registry import figures_for
from shegong.core.scoping import jurisdiction_of


@login_only
def home(request):
    membership = getattr(request.user, "active_membership", None)
    if membership is None:
        return render(request, "core/no_membership.html", status=403)
    figures = figures_for(request.user)
    from shegong.regions.selectors import children_with_counts, jurisdiction_tree

    tree = jurisdiction_tree(fetched_by=request.user)  # the region tree read once
    root = tree.root
    labels, rows = children_with_counts(root, tree.children)
    chart = {
        "labels": [r.region.name for r in rows],
        "series": [
            {"name": label, "data": [r.counts[i] for r in rows]} for i, label in enumerate(labels)
        ],
    }
    return render(
        request,
        "core/home.html",
        {
            "figures": figures,
            "root": root,
            "root_name": tree.full_name,
            "labels": labels,
            "rows": rows,
            "chart": chart,
            "jurisdiction": jurisdiction_of(request.user),
            "can_dashboard": has_perm(request.user, "indicators.view"),
        },
    )


def root_redirect(request):
    return redirect("core:home")

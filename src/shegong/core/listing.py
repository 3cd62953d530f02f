"""Lists: pagination, sorting and filters that live in the URL (they survive a reload)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from shegong.core.counting import total_rows


@dataclass
class Listing:
    page: Page
    sort: str
    sort_options: dict[str, str]

    @property
    def object_list(self):
        return self.page.object_list


def paginate(
    request,
    queryset: QuerySet,
    *,
    sorts: dict[str, tuple[str, ...]],
    default: str,
    labels: dict[str, str] | None = None,
    per_page: int | None = None,
    estimate: bool = False,
) -> Listing:
    """`sorts` maps a URL sort key (e.g. "name", "-name") to the ORDER BY fields. `estimate`:
    an exact total is not needed (see `shegong.core.counting.total_rows`)."""
    sort = request.GET.get("sort", default)
    if sort not in sorts:
        sort = default
    ordered = queryset.order_by(*sorts[sort])
    paginator = CountedPaginator(ordered, per_page or settings.SHEGONG_PAGE_SIZE)
    paginator.count, paginator.count_estimated = total_rows(queryset, estimate=estimate)
    page = paginator.get_page(request.GET.get("page"))
    return Listing(page=page, sort=sort, sort_options=labels or {})


class CountedPaginator(Paginator):
    """A paginator given its total (one COUNT, or PostgreSQL's estimate, labelled as such on the
    page: `count_estimated`)."""

    count_estimated = False

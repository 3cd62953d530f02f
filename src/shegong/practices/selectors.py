"""Reads of model practices: a department's own and its jurisdiction's (every status), the
library (published, searchable by topic and region), a practice's page with what each reader
may see of it — review notes for the submitting chain, an adoption's private notes for the
adopting chain — and the public reads of the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shegong.core.regioncode import RegionCode
from shegong.core.scoping import code_range, get_visible_or_404, jurisdiction_of
from shegong.orgs.selectors import unit_of
from shegong.practices.models import Adoption, Document, Practice, PracticeFigure, Review, Topic

LIBRARY = (
    "The practice library is public: a practice recommended by a higher level is published with "
    "its figures, documents and the adopting departments' results (never their private notes, "
    "never the review notes)."
)


def _library() -> QuerySet[Practice]:
    return Practice.objects.unscoped(reason=LIBRARY).filter(published_on__isnull=False)


def get_practice_for(*, fetched_by: Any, pk: int) -> Practice:
    """A practice of the reader's jurisdiction (any status) or a published one; 404 otherwise."""
    jurisdiction = jurisdiction_of(fetched_by)
    low, high = jurisdiction.range()
    found = (
        Practice.objects.unscoped(reason=LIBRARY)
        .filter(pk=pk)
        .filter(Q(published_on__isnull=False) | Q(region_code__gte=low, region_code__lte=high))
        .select_related("department")
        .first()
    )
    if found is None or not getattr(fetched_by, "is_authenticated", False):
        raise Http404("Not found")
    return found


def get_own_practice_for(*, fetched_by: Any, pk: int) -> Practice:
    """A practice of the reader's jurisdiction (the submitting chain): what the review chain's
    transitions act on (a published practice of elsewhere is read, never acted on)."""
    return get_visible_or_404(Practice.objects.select_related("department"), fetched_by, pk=pk)


def is_own(*, fetched_by: Any, practice: Practice) -> bool:
    """The reader's jurisdiction holds the practice (the submitting chain)."""
    return jurisdiction_of(fetched_by).contains(practice.region_code)


def practice_list(
    *, fetched_by: Any, status: str = "", topic: str = "", q: str = "", queue: bool = False
):
    """Practices of the reader's jurisdiction, every status; `queue`: those waiting for the
    reader's unit to review."""
    practices = Practice.objects.visible_to(fetched_by).select_related("department")
    if status in Practice.Status.values:
        practices = practices.filter(status=status)
    if topic in Topic.values:
        practices = practices.filter(topic=topic)
    if q:
        practices = practices.filter(Q(title__contains=q) | Q(department__name__contains=q))
    if queue:
        unit = unit_of(fetched_by=fetched_by)
        code = unit.region_id if unit is not None else "-"
        practices = practices.filter(status=Practice.Status.SUBMITTED, review_code=code)
    return practices.annotate(adoption_count=Count("adoptions"))


def library(*, topic: str = "", region: str = "", q: str = "") -> QuerySet[Practice]:
    """Published practices, by topic, region (a code prefix) and words."""
    practices = _library().select_related("department")
    if topic in Topic.values:
        practices = practices.filter(topic=topic)
    if region and region.isdigit() and len(region) <= 12:
        low, high = code_range(region)
        practices = practices.filter(region_code__gte=low, region_code__lte=high)
    if q:
        practices = practices.filter(
            Q(title__contains=q) | Q(problem__contains=q) | Q(actions__contains=q)
        )
    return practices.annotate(adoption_count=Count("adoptions")).order_by("-published_on", "-id")


def get_published(pk: int) -> Practice | None:
    return _library().select_related("department").filter(pk=pk).first()


def figures_of(practice: Practice) -> list[PracticeFigure]:
    """The figures of a practice the caller may open (fetched by `get_practice_for`)."""
    return list(PracticeFigure.objects.unscoped(reason=LIBRARY).filter(practice=practice))


def documents_of(practice: Practice) -> list[Document]:
    return list(Document.objects.unscoped(reason=LIBRARY).filter(practice=practice))


def get_document_for(*, fetched_by: Any, pk: int) -> Document:
    document = Document.objects.unscoped(reason=LIBRARY).filter(pk=pk).first()
    if document is None:
        raise Http404("Not found")
    get_practice_for(fetched_by=fetched_by, pk=document.practice_id)
    return document


def reviews_of(*, fetched_by: Any, practice: Practice) -> QuerySet[Review]:
    """The review chain with its private notes: the submitting chain only (scoped)."""
    return Review.objects.visible_to(fetched_by).filter(practice=practice).select_related("unit")


@dataclass(frozen=True)
class AdoptionView:
    """An adoption as a reader sees it: its private notes only for the adopting chain."""

    id: int
    practice_id: int
    department_id: int
    department_name: str
    region_code: str
    kind: str
    kind_label: str
    adopted_on: date
    results: str
    private_notes: str | None  # None: not the reader's to see


def adoptions_of(*, fetched_by: Any, practice: Practice) -> list[AdoptionView]:
    """Who adopted the practice and with what results; private notes for the adopter's chain."""
    jurisdiction = jurisdiction_of(fetched_by)
    rows = (
        Adoption.objects.unscoped(reason=LIBRARY)
        .filter(practice=practice)
        .select_related("department")
        .order_by("adopted_on", "id")
    )
    return [
        AdoptionView(
            id=a.pk,
            practice_id=a.practice_id,
            department_id=a.department_id,
            department_name=a.department.name,
            region_code=a.region_code,
            kind=a.kind,
            kind_label=str(a.get_kind_display()),
            adopted_on=a.adopted_on,
            results=a.results,
            private_notes=a.private_notes if jurisdiction.contains(a.region_code) else None,
        )
        for a in rows
    ]


def own_adoption(*, fetched_by: Any, practice: Practice) -> Adoption | None:
    unit = unit_of(fetched_by=fetched_by)
    if unit is None:
        return None
    return (
        Adoption.objects.visible_to(fetched_by).filter(practice=practice, department=unit).first()
    )


def level_name(code: str) -> str:
    if not code:
        return ""
    from shegong.regions.selectors import region_names

    region = RegionCode(code)
    return region_names([region]).get(region, code)


def export_rows(*, fetched_by: Any, status: str = "", topic: str = "", q: str = "") -> list[list]:
    rows = []
    practices = practice_list(fetched_by=fetched_by, status=status, topic=topic, q=q)
    for p in practices.order_by("region_code", "id")[:20000]:
        rows.append(
            [
                p.title,
                p.get_topic_display(),
                p.department.name,
                p.region_code,
                p.get_status_display(),
                p.published_on,
                p.adoption_count,
                p.results,
            ]
        )
    return rows


# ---- the portal --------------------------------------------------------------------------------


def public_adoptions(practice: Practice) -> list[dict]:
    """Where a published practice was taken up and how it worked there (no private notes)."""
    return list(
        Adoption.objects.unscoped(reason=LIBRARY)
        .filter(practice=practice)
        .values("department__name", "kind", "adopted_on", "results")
        .order_by("adopted_on", "id")
    )

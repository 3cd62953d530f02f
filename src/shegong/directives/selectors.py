"""Reads of directives: what a user may see, the live roll-up, the inboxes and task list."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from shegong.core.regioncode import LEVEL_OF_LENGTH, PREFIX_LENGTH, RegionCode
from shegong.core.scoping import NOWHERE, code_range, get_visible_or_404, jurisdiction_of
from shegong.directives.models import (
    Attachment,
    Directive,
    DirectiveTarget,
    Event,
    Inspection,
    ProgressReport,
)
from shegong.orgs.selectors import unit_of
from shegong.regions.selectors import region_names

S = DirectiveTarget.Status
OPEN = (S.RECEIVED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.SUBMITTED, S.RETURNED)
OWN_COPY = "Whether the user's own unit holds a copy; the directives are already scoped."
SHARED_WITH_RECIPIENTS = (
    "A directive's own lines (its issue, its closing) and its own attachments are shown to every "
    "unit that received a copy of it; the directive itself was already fetched through scoping."
)


def get_directive_for(*, fetched_by: Any, pk: int) -> Directive:
    return get_visible_or_404(Directive.objects.select_related("issuer"), fetched_by, pk=pk)


def get_target_for(*, fetched_by: Any, pk: int) -> DirectiveTarget:
    return get_visible_or_404(
        DirectiveTarget.objects.select_related("directive", "unit", "sender", "parent__unit"),
        fetched_by,
        pk=pk,
    )


def get_inspection_for(*, fetched_by: Any, pk: int) -> Inspection:
    return get_visible_or_404(
        Inspection.objects.select_related("department", "organisation", "directive"),
        fetched_by,
        pk=pk,
    )


def get_attachment_for(*, fetched_by: Any, pk: int) -> Attachment:
    """A file of a directive the user sees: the directive's own, or one of a report in the
    user's jurisdiction."""
    found = (
        Attachment.objects.unscoped(reason=SHARED_WITH_RECIPIENTS)
        .filter(pk=pk)
        .select_related("directive")
        .first()
    )
    if found is None:
        raise Http404("Not found")
    get_directive_for(fetched_by=fetched_by, pk=found.directive_id)
    if found.report_id is not None and not jurisdiction_of(fetched_by).contains(found.region_code):
        raise Http404("Not found")
    return found


def directive_list(*, fetched_by: Any, box: str = "all") -> QuerySet[Directive]:
    """The directives the user sees; `box`: "issued" (by the user's unit), "received" (a copy
    of the user's unit), "all" (everything visible: issued or received in the jurisdiction)."""
    qs = Directive.objects.visible_to(fetched_by).select_related("issuer")
    unit = unit_of(fetched_by=fetched_by)
    if box == "issued":
        qs = qs.filter(issuer=unit) if unit is not None else qs.none()
    elif box == "received":
        qs = (
            qs.filter(
                Exists(
                    DirectiveTarget.objects.unscoped(reason=OWN_COPY).filter(
                        directive=OuterRef("pk"), unit=unit
                    )
                )
            )
            if unit is not None
            else qs.none()
        )
    return qs.order_by("-issued_on", "-id")


def task_list(*, fetched_by: Any, include_closed: bool = False) -> QuerySet[DirectiveTarget]:
    """The user's unit's copies still to act on (tasks and rectification items), soonest due."""
    unit = unit_of(fetched_by=fetched_by)
    if unit is None:
        return DirectiveTarget.objects.none()
    qs = (
        DirectiveTarget.objects.visible_to(fetched_by)
        .filter(unit=unit)
        .select_related("directive", "sender")
    )
    if not include_closed:
        qs = qs.filter(status__in=OPEN, directive__status=Directive.Status.OPEN)
    return qs.order_by("due_date", "id")


def own_copy(*, fetched_by: Any, directive: Directive) -> DirectiveTarget | None:
    unit = unit_of(fetched_by=fetched_by)
    if unit is None:
        return None
    return (
        DirectiveTarget.objects.visible_to(fetched_by)
        .filter(directive=directive, unit=unit)
        .select_related("directive", "unit", "sender", "parent__unit")
        .first()
    )


def copies_sent(*, fetched_by: Any, directive: Directive) -> QuerySet[DirectiveTarget]:
    """The copies the user's unit sent (its direct recipients), to accept or return."""
    unit = unit_of(fetched_by=fetched_by)
    if unit is None:
        return DirectiveTarget.objects.none()
    return (
        DirectiveTarget.objects.visible_to(fetched_by)
        .filter(directive=directive, sender=unit)
        .select_related("unit")
        .order_by("region_code")
    )


def directive_targets(
    *, fetched_by: Any, directive: Directive, overdue: bool = False
) -> QuerySet[DirectiveTarget]:
    """Every copy of the directive in the user's jurisdiction (for the API)."""
    qs = (
        DirectiveTarget.objects.visible_to(fetched_by)
        .filter(directive=directive)
        .select_related("unit")
        .order_by("region_code", "id")
    )
    return qs.filter(overdue=True) if overdue else qs


def laggards(*, fetched_by: Any, directive: Directive, limit: int = 50) -> list[DirectiveTarget]:
    """The copies in the user's jurisdiction marked overdue by the daily sweep (逾期)."""
    return list(
        DirectiveTarget.objects.visible_to(fetched_by)
        .filter(directive=directive, overdue=True)
        .select_related("unit")
        .order_by("ack_due", "due_date", "region_code")[:limit]
    )


def target_reports(*, fetched_by: Any, target: DirectiveTarget) -> list[ProgressReport]:
    return list(
        ProgressReport.objects.visible_to(fetched_by)
        .filter(target=target)
        .select_related("reported_by")
        .prefetch_related("attachments")
    )


def directive_attachments(*, fetched_by: Any, directive: Directive) -> list[Attachment]:
    return list(
        Attachment.objects.unscoped(reason=SHARED_WITH_RECIPIENTS).filter(
            directive=directive, report__isnull=True
        )
    )


def timeline(*, fetched_by: Any, directive: Directive, limit: int = 200) -> list[Event]:
    """The directive's timeline as the user sees it: the directive's own lines and every line
    about a copy in the user's jurisdiction."""
    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE:
        return []
    low, high = code_range(jurisdiction.prefix)
    return list(
        Event.objects.unscoped(reason=SHARED_WITH_RECIPIENTS)
        .filter(directive=directive)
        .filter(Q(target__isnull=True) | Q(region_code__gte=low, region_code__lte=high))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


# ---- the roll-up ---------------------------------------------------------------------------


@dataclass
class RollupRow:
    prefix: str  # the child region's significant digits
    code: str  # its 12-digit code
    name: str
    is_self: bool  # the copies of the region itself (本级), not a subtree
    total: int
    received: int
    acknowledged: int
    in_progress: int
    submitted: int
    completed: int
    overdue: int

    @property
    def done_share(self) -> float:
        return self.completed / self.total if self.total else 1.0

    @property
    def done_percent(self) -> int:
        return round(100 * self.done_share)

    @property
    def drillable(self) -> bool:
        return not self.is_self and len(self.prefix) < PREFIX_LENGTH[4]

    def as_dict(self) -> dict:
        return asdict(self)


def child_length(prefix: str) -> int:
    level = LEVEL_OF_LENGTH[len(prefix)]
    return PREFIX_LENGTH[min(level + 1, 5)]


def rollup_rows(*, directive: Directive, prefix: str) -> list[RollupRow]:
    """One GROUP BY over the directive's copies in the subtree `prefix`, by child region:
    received / acknowledged / in progress / submitted / completed / overdue, slowest first."""
    if len(prefix) >= PREFIX_LENGTH[5]:
        return []
    length = child_length(prefix)
    low, high = code_range(prefix)
    rows = (
        DirectiveTarget.objects.unscoped(reason="bounded by the caller's checked prefix")
        .filter(directive=directive, region_code__gte=low, region_code__lte=high)
        .annotate(child=Substr("region_code", 1, length))
        .values("child")
        .annotate(
            total=Count("id"),
            received=Count("id", filter=Q(status=S.RECEIVED)),
            acknowledged=Count("id", filter=Q(status=S.ACKNOWLEDGED)),
            in_progress=Count("id", filter=Q(status__in=(S.IN_PROGRESS, S.RETURNED))),
            submitted=Count("id", filter=Q(status=S.SUBMITTED)),
            completed=Count("id", filter=Q(status=S.COMPLETED)),
            overdue=Count("id", filter=Q(overdue=True)),
        )
        .order_by()
    )
    rows = list(rows)
    self_code = RegionCode.from_prefix(prefix)
    codes = {row["child"]: RegionCode.from_prefix(row["child"]) for row in rows}
    names = region_names(codes.values())
    result = []
    for row in rows:
        code = codes[row["child"]]
        is_self = code == self_code
        result.append(
            RollupRow(
                prefix=row["child"] if not is_self else prefix,
                code=str(code),
                name=names.get(code, str(code)),
                is_self=is_self,
                total=row["total"],
                received=row["received"],
                acknowledged=row["acknowledged"],
                in_progress=row["in_progress"],
                submitted=row["submitted"],
                completed=row["completed"],
                overdue=row["overdue"],
            )
        )
    result.sort(key=lambda r: (r.done_share, -r.overdue, -r.received, r.code))
    return result


def rollup(*, fetched_by: Any, directive: Directive, prefix: str | None = None) -> dict:
    """The live roll-up for the viewer: their jurisdiction, or a region drilled into inside it
    (`prefix`: 2, 4, 6 or 9 digits). Outside the jurisdiction: 404."""
    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE:
        raise Http404("Not found")
    prefix = jurisdiction.prefix if prefix is None else prefix
    if (not prefix.isdigit() and prefix != "") or len(prefix) not in (0, *PREFIX_LENGTH.values()):
        raise Http404("Not found")
    if not prefix.startswith(jurisdiction.prefix):
        raise Http404("Not found")
    rows = rollup_rows(directive=directive, prefix=prefix)
    totals = {
        key: sum(getattr(r, key) for r in rows)
        for key in (
            "total",
            "received",
            "acknowledged",
            "in_progress",
            "submitted",
            "completed",
            "overdue",
        )
    }
    trail = []
    for level in range(1, 5):
        length = PREFIX_LENGTH[level]
        if len(jurisdiction.prefix) < length <= len(prefix):
            trail.append(prefix[:length])
    names = region_names([RegionCode.from_prefix(p) for p in trail])
    return {
        "prefix": prefix,
        "rows": rows,
        "totals": totals,
        "trail": [(p, names.get(RegionCode.from_prefix(p), p)) for p in trail],
        "home": jurisdiction.prefix,
    }


def inspection_list(*, fetched_by: Any) -> QuerySet[Inspection]:
    return (
        Inspection.objects.visible_to(fetched_by)
        .select_related("department", "organisation", "directive")
        .order_by("-visited_on", "-id")
    )


def rectification_items(*, fetched_by: Any, inspection: Inspection) -> list[DirectiveTarget]:
    if inspection.directive_id is None:
        return []
    return list(
        DirectiveTarget.objects.visible_to(fetched_by)
        .filter(directive_id=inspection.directive_id)
        .select_related("unit")
        .prefetch_related("reports__attachments")
        .order_by("due_date", "id")
    )


def subordinate_levels(*, fetched_by: Any) -> list[tuple[int, str]]:
    """The levels below the user's unit it may send to."""
    from shegong.directives.services.issuing import LEVEL_NAMES

    unit = unit_of(fetched_by=fetched_by)
    if unit is None:
        return []
    own = RegionCode(unit.region_id).level
    return [(level, name) for level, name in LEVEL_NAMES.items() if level > own]


def outstanding_in_subtree(*, prefix: str) -> tuple[int, int]:
    """`(open, overdue)`: the copies of open directives held by units in a region's subtree
    and not yet done (a department's monthly report, written by the worker)."""
    found = (
        DirectiveTarget.objects.in_subtree(prefix)
        .filter(status__in=OPEN, directive__status=Directive.Status.OPEN)
        .aggregate(open=Count("id"), overdue=Count("id", filter=Q(overdue=True)))
    )
    return found["open"], found["overdue"]

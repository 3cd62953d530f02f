"""Reads. Every selector that shows matters to a user starts from `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import Substr, TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import code_range, get_visible_or_404, jurisdiction_of
from shegong.orgs.models import Kind as OrgKind
from shegong.orgs.models import Organisation
from shegong.people.models import Visit
from shegong.petitions.models import (
    Category,
    Channel,
    Matter,
    MatterEvent,
    Mediation,
    Rating,
    RoutingRule,
    Tier,
)
from shegong.petitions.workflow import OPEN_STATUSES, Status
from shegong.regions.models import Region

CHILD_COUNTS = (
    "Counts per child region of a subtree the caller checked against the user's "
    "jurisdiction; only figures leave."
)

OWN_UNIT = (
    "The open matters given to the user's own organisation (the handling unit works on "
    "what it was routed), or escalated to the user's own level from below."
)

MATTER_COUNTY = (
    "The units and leaders of the county (and the departments above it) of a matter the "
    "caller already read through its scope; units and their leaders are public bodies and "
    "officials."
)

PUBLIC_TRACKING = (
    "The public tracking lookup needs the number AND the last four phone digits "
    "(rate-limited) and shows only public fields."
)

ROUTING_TARGET = (
    "The unit a matter is routed to, by its id (API): the routing service accepts only an "
    "active unit of the matter's county, as routing_targets offers."
)

OPEN311_PUBLISHED = (
    "Open311 publishes the matters that came in through public channels, and only their "
    "public fields (docs/decisions/petitions-deadlines-repeats-open311.md)."
)

DAILY_SWEEP = (
    "The morning reminder sweep over every handling unit's deadlines in the country (a "
    "scheduled task, run as the system); each unit is told only of its own matters."
)


def overdue_q(today: date) -> Q:
    """Overdue: a matter past its running deadline (the sweep's flag), or a matter whose
    mediation is past its period (Mediation.due_date) and not ended."""
    return Q(status__in=OPEN_STATUSES, is_overdue=True) | Q(
        status__in=OPEN_STATUSES,
        mediation__outcome=Mediation.Outcome.PENDING,
        mediation__ended_on__isnull=True,
        mediation__due_date__lt=today,
    )


LIST_VIEWS = {
    "all": "全部",
    "mine": "本单位承办",
    "dispatch": "待分流",
    "due_soon": "即将到期",
    "overdue": "已超期",
    "escalated": "下级超期（上报本级）",
    "supervised": "督办",
    "followup": "待回访",
    "dissatisfied": "不满意",
    "rating_review": "待复核（不满意评价）",
    "repeats": "重复件",
}


def matter_list(
    *,
    fetched_by,
    view: str = "all",
    q: str = "",
    status: str = "",
    category: str = "",
    channel: str = "",
    region: str = "",
    today: date | None = None,
):
    today = today or timezone.localdate()
    qs = (
        Matter.objects.visible_to(fetched_by)
        .select_related("category", "handling_org", "region")
        .annotate(
            mediation_overdue=ExpressionWrapper(
                Q(
                    mediation__outcome=Mediation.Outcome.PENDING,
                    mediation__ended_on__isnull=True,
                    mediation__due_date__lt=today,
                ),
                output_field=BooleanField(),
            )
        )
    )
    membership = getattr(fetched_by, "active_membership", None)
    org_id = membership.organisation_id if membership else None
    if view == "mine":
        qs = qs.filter(handling_org_id=org_id).exclude(status=Status.MERGED)
    elif view == "dispatch":
        qs = qs.filter(status=Status.REGISTERED)
    elif view == "due_soon":
        qs = qs.filter(
            status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=today + timedelta(days=3)
        )
    elif view == "overdue":
        qs = qs.filter(overdue_q(today))
    elif view == "escalated":
        qs = qs.filter(
            escalation_code=jurisdiction_of(fetched_by).region_code,
            is_overdue=True,
            status__in=OPEN_STATUSES,
        )
    elif view == "supervised":
        qs = qs.filter(is_supervised=True, status__in=OPEN_STATUSES)
    elif view == "followup":
        qs = qs.filter(status=Status.CLOSED, followed_up_on__isnull=True)
    elif view == "dissatisfied":
        qs = qs.filter(rating=Rating.DISSATISFIED)
    elif view == "rating_review":
        qs = qs.filter(pk__in=rating_review_list(fetched_by=fetched_by).values("matter_id"))
    elif view == "repeats":
        qs = qs.filter(is_repeat=True)
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(title__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(Q(category__code=category) | Q(category__parent__code=category))
    if channel:
        qs = qs.filter(channel=channel)
    if region and region.isdigit():
        qs = qs.in_subtree(region)
    return qs


def handling_list(*, organisation_id: int, today: date | None = None):
    """The handling unit's open matters, nearest deadline first (benchmarked)."""
    return (
        Matter.objects.unscoped(reason=OWN_UNIT)
        .filter(handling_org_id=organisation_id, status__in=OPEN_STATUSES)
        .select_related("category")
        .order_by("due_date", "id")
    )


def get_matter_for(*, fetched_by: User, pk: int) -> Matter:
    return get_visible_or_404(
        Matter.objects.select_related(
            "category__parent",
            "handling_org__region",
            "region",
            "registering_org",
            "repeat_of",
            "lead_leader",
        ),
        fetched_by,
        pk=pk,
    )


def routing_rule_for(category: Category, tier: int) -> RoutingRule | None:
    rules = RoutingRule.objects.filter(level=tier, category__in=[category.pk, category.parent_id])
    found = {r.category_id: r for r in rules}
    return found.get(category.pk) or found.get(category.parent_id)


def routing_proposal(matter: Matter) -> Organisation | None:
    """The unit the routing table names, in the matter's region at the handling tier."""
    rule = routing_rule_for(matter.category, matter.tier)
    if rule is None:
        return None
    length = {Tier.COUNTY: 6, Tier.TOWNSHIP: 9, Tier.VILLAGE: 12}[matter.tier]
    region_code = RegionCode.from_prefix(matter.region_id[:length])
    orgs = Organisation.objects.unscoped(reason=MATTER_COUNTY).filter(
        kind=rule.org_kind, region_id=region_code, is_active=True
    )
    if rule.sector:
        orgs = orgs.filter(sector=rule.sector)
    return orgs.order_by("id").first()


def timeline(matter: Matter, *, public: bool = False):
    events = MatterEvent.objects.filter(matter=matter).select_related("actor")
    if public:
        events = events.filter(is_public=True)
    return events.order_by("at", "id")


def categories():
    return (
        Category.objects.filter(is_active=True).select_related("parent").order_by("order", "code")
    )


def leaf_categories():
    return categories().filter(children__isnull=True)


def leaf_category(code: str) -> Category | None:
    """An active category without subcategories, by its code (what a petitioner may pick)."""
    return Category.objects.filter(code=code, is_active=True, children__isnull=True).first()


def get_category_or_404(*, code: str) -> Category:
    return get_object_or_404(Category, code=code)


def top_categories() -> QuerySet[Category]:
    """The first level of the category tree (the list filter)."""
    return Category.objects.filter(parent__isnull=True)


def category_by_code(code: str) -> Category:
    """A category the data migrations seed (e.g. "other.other"); missing one is a bug."""
    return Category.objects.get(code=code)


# ---- choices on the matter page (each bounded by the matter's county) -------------------------


def _county_range(matter: Matter) -> tuple[str, str]:
    return code_range(matter.region_id[:6])


def routing_targets(*, matter: Matter) -> QuerySet[Organisation]:
    """Units a matter may be routed to (交办): active units of the matter's county, other than
    social work organisations and hospitals."""
    low, high = _county_range(matter)
    return (
        Organisation.objects.unscoped(reason=MATTER_COUNTY)
        .filter(is_active=True, region_id__gte=low, region_id__lte=high)
        .exclude(kind__in=[OrgKind.SOCIAL_WORK_ORGANISATION, OrgKind.HOSPITAL])
        .order_by("kind", "name")
    )


def mediation_committees(*, matter: Matter) -> QuerySet[Organisation]:
    """The people's mediation committees a dispute may go to: those of the matter's county."""
    low, high = _county_range(matter)
    return (
        Organisation.objects.unscoped(reason=MATTER_COUNTY)
        .filter(
            kind=OrgKind.MEDIATION_COMMITTEE,
            is_active=True,
            region_id__gte=low,
            region_id__lte=high,
        )
        .order_by("region_id", "name")
    )


def leaders_for(*, matter: Matter) -> QuerySet[User]:
    """Department leaders who may take charge of the matter (包案): those of the matter's
    province, city and county departments and of the units inside the county."""
    county = matter.region_id[:6]
    low, high = code_range(county)
    above = [RegionCode.from_prefix(county[:2]), RegionCode.from_prefix(county[:4])]
    # One filter() call: the same membership must match role, state and place.
    return (
        User.objects.unscoped(reason=MATTER_COUNTY)
        .filter(
            Q(memberships__organisation__region_id__in=above)
            | Q(
                memberships__organisation__region_id__gte=low,
                memberships__organisation__region_id__lte=high,
            ),
            memberships__role="dept_leader",
            memberships__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def matter_by_number(*, fetched_by: User, number: str) -> Matter | None:
    """A visible matter by its number (the merge target), or None."""
    number = number.strip()
    if not number:
        return None
    return Matter.objects.visible_to(fetched_by).filter(number=number).first()


def get_routing_target_or_404(*, pk: int) -> Organisation:
    """The unit named by id as the one to route to; matter_route refuses one outside the
    matter's county."""
    return get_object_or_404(Organisation.objects.unscoped(reason=ROUTING_TARGET), pk=pk)


def get_visit_for(*, fetched_by: User, pk: int):
    """A care visit in the user's jurisdiction (a dispute found there may be registered)."""
    return get_visible_or_404(Visit.objects.select_related("resident"), fetched_by, pk=pk)


# ---- routing table (national configuration, not regional) --------------------------------------


def routing_rules() -> QuerySet[RoutingRule]:
    return RoutingRule.objects.select_related("category__parent").order_by(
        "category__order", "level"
    )


def get_routing_rule(*, pk: str | int) -> RoutingRule | None:
    try:
        return RoutingRule.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def mediation_for(*, fetched_by: User, pk: int) -> Mediation:
    mediation = get_object_or_404(Mediation.objects.select_related("matter", "committee"), pk=pk)
    get_visible_or_404(Matter.objects.all(), fetched_by, pk=mediation.matter_id)
    return mediation


def track(number: str, suffix: str) -> Matter | None:
    """The public tracking lookup: number AND the last four phone digits, or nothing."""
    number, suffix = (number or "").strip(), (suffix or "").strip()
    if not number or len(suffix) != 4 or not suffix.isdigit():
        return None
    matter = (
        Matter.objects.unscoped(reason=PUBLIC_TRACKING)
        .select_related("handling_org", "category", "repeat_of")
        .filter(number=number, track_suffix=suffix)
        .first()
    )
    return matter


# ---- public pages and Open311 (no login) -----------------------------------------------------


def public_requests() -> QuerySet[Matter]:
    """The matters Open311 publishes: those that came in through the online channels."""
    return (
        Matter.objects.unscoped(reason=OPEN311_PUBLISHED)
        .filter(channel=Channel.ONLINE)
        .select_related("category", "handling_org", "repeat_of")
    )


def public_region_names(codes) -> dict[str, str]:
    """`{code: name}` of the regions (public reference data) with the given codes."""
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def public_region_options(q: str) -> QuerySet[Region]:
    """Regions of county level and below whose name starts with or contains `q` (two
    characters at least), for the public form's suggestions."""
    if len(q) < 2:
        return Region.objects.none()
    return (
        Region.objects.filter(level__gte=3)
        .filter(Q(name__startswith=q) | Q(name__contains=q))
        .order_by("level", "code")[:20]
    )


def is_county_or_below(code: str) -> bool:
    """Whether `code` is a known region of county level or below."""
    return Region.objects.filter(code=code, level__gte=3).exists()


def region_named_in(text: str) -> str | None:
    """The code of the region an address names, narrowed down level by level: the county
    named in the text, then its township, then its village (a few thousand names at most,
    never the whole village table); None when it names no county."""
    found, parent = None, None
    for level in (3, 4, 5):
        regions = Region.objects.filter(level=level).only("code", "name")
        if parent is not None:
            regions = regions.filter(parent_id=parent)
        names = [r for r in regions if len(r.name) >= 2 and r.name in text]
        if not names:
            break
        found = max(names, key=lambda r: (len(r.name), r.code))
        parent = found.code
    return found.code if found is not None else None


# ---- analysis ----------------------------------------------------------------------------------


@dataclass
class Analysis:
    total: int
    by_category: list
    by_channel: list
    by_region: list
    weekly: list
    replied: int
    on_time: int
    rated: int
    satisfied: int
    repeats: int
    overdue: int

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.replied, 1) if self.replied else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None

    # The same two rates as fractions, as pages write them (the `percent` figure kind).
    @property
    def on_time_fraction(self) -> float | None:
        return self.on_time / self.replied if self.replied else None

    @property
    def satisfaction_fraction(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


def analysis(*, fetched_by, start: date, end: date) -> Analysis:
    base = Matter.objects.visible_to(fetched_by).filter(
        received_on__gte=start, received_on__lte=end
    )
    counted = base.filter(is_repeat=False)
    jurisdiction = jurisdiction_of(fetched_by)
    child_len = {0: 2, 1: 4, 2: 6, 3: 9, 4: 12, 5: 12}[max(jurisdiction.level, 0)]
    categories_by_id = {c.pk: c for c in Category.objects.select_related("parent")}
    cat_counts: dict[str, int] = {}
    for row in counted.values("category_id").annotate(n=Count("id")).order_by():
        top = categories_by_id[row["category_id"]].top.name
        cat_counts[top] = cat_counts.get(top, 0) + row["n"]
    by_channel = [
        (Channel(r["channel"]).label, r["n"])
        for r in counted.values("channel").annotate(n=Count("id")).order_by("-n")
    ]
    region_rows = (
        counted.annotate(child=Substr("region_id", 1, child_len))
        .values("child")
        .annotate(n=Count("id"))
        .order_by("child")
    )
    codes = [RegionCode.from_prefix(r["child"]) for r in region_rows]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    by_region = [
        (names.get(RegionCode.from_prefix(r["child"]), r["child"]), r["n"]) for r in region_rows
    ]
    counts_by_week = {
        (r["week"].date() if hasattr(r["week"], "date") else r["week"]): r["n"]
        for r in counted.annotate(week=TruncWeek("received_on"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by("week")
    }
    weekly, week = [], start - timedelta(days=start.weekday())
    while week <= end:  # every week, with the empty ones as zero
        weekly.append((week, counts_by_week.get(week, 0)))
        week += timedelta(days=7)
    totals = counted.aggregate(
        total=Count("id"),
        replied=Count("id", filter=Q(replied_on_time__isnull=False)),
        on_time=Count("id", filter=Q(replied_on_time=True)),
        rated=Count("id", filter=~Q(rating="")),
        satisfied=Count("id", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASIC])),
        overdue=Count("id", filter=overdue_q(timezone.localdate())),
    )
    return Analysis(
        total=totals["total"],
        by_category=sorted(cat_counts.items(), key=lambda kv: -kv[1]),
        by_channel=by_channel,
        by_region=by_region,
        weekly=weekly,
        replied=totals["replied"],
        on_time=totals["on_time"],
        rated=totals["rated"],
        satisfied=totals["satisfied"],
        repeats=base.filter(is_repeat=True).count(),
        overdue=totals["overdue"],
    )


def on_time_rollup(*, prefix: str = "", child_len: int = 2):
    """National (or any subtree) on-time roll-up by child region: one GROUP BY (benchmarked).

    Counts `county_code` (never null) rather than the id so PostgreSQL can answer from the
    partial index `matter_on_time` alone (an index-only scan)."""
    qs = Matter.objects.unscoped(reason=CHILD_COUNTS).filter(replied_on_time__isnull=False)
    if prefix:
        qs = (
            qs.filter(county_code__startswith=prefix[:6])
            if len(prefix) <= 6
            else qs.in_subtree(prefix)
        )
    return list(
        qs.annotate(child=Substr("county_code", 1, child_len))
        .values("child")
        .annotate(
            replied=Count("county_code"),
            on_time=Count("county_code", filter=Q(replied_on_time=True)),
        )
        .order_by("child")
    )


@dataclass
class HotSpot:
    region_code: str
    region_name: str
    category: str
    this_week: int
    last_week: int


def hot_spots(*, fetched_by, today: date | None = None, minimum: int = 3) -> list[HotSpot]:
    """A category rising in a child region week on week (this 7 days vs the previous 7)."""
    jurisdiction = jurisdiction_of(fetched_by)
    return _hot_spots(
        Matter.objects.visible_to(fetched_by), jurisdiction.level, today=today, minimum=minimum
    )


def hot_spots_in_subtree(
    *, prefix: str, level: int, today: date | None = None, minimum: int = 3
) -> list[HotSpot]:
    """The hot spots of a region's subtree (`prefix`, the region at `level`), for a
    department's monthly report written by the worker."""
    return _hot_spots(Matter.objects.in_subtree(prefix), level, today=today, minimum=minimum)


def overdue_count_in_subtree(*, prefix: str, today: date | None = None) -> int:
    """Open matters overdue in a region's subtree (a department's monthly report)."""
    today = today or timezone.localdate()
    return Matter.objects.in_subtree(prefix).filter(overdue_q(today)).distinct().count()


def _hot_spots(matters, level: int, *, today: date | None, minimum: int) -> list[HotSpot]:
    today = today or timezone.localdate()
    child_len = {0: 2, 1: 4, 2: 6, 3: 9, 4: 12, 5: 12}[max(level, 0)]
    week_start = today - timedelta(days=6)
    prev_start = week_start - timedelta(days=7)
    rows = (
        matters.filter(is_repeat=False, received_on__gte=prev_start, received_on__lte=today)
        .annotate(child=Substr("region_id", 1, child_len))
        .values("child", "category__parent_id", "category_id")
        .annotate(
            this_week=Count("id", filter=Q(received_on__gte=week_start)),
            last_week=Count("id", filter=Q(received_on__lt=week_start)),
        )
        .order_by()
    )
    merged: dict[tuple[str, int], list[int]] = {}
    for r in rows:
        key = (r["child"], r["category__parent_id"] or r["category_id"])
        agg = merged.setdefault(key, [0, 0])
        agg[0] += r["this_week"]
        agg[1] += r["last_week"]
    spots = [(k, v) for k, v in merged.items() if v[0] >= minimum and v[0] > v[1]]
    codes = [RegionCode.from_prefix(k[0]) for k, _v in spots]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    cats = dict(Category.objects.values_list("id", "name"))
    return sorted(
        (
            HotSpot(
                region_code=RegionCode.from_prefix(k[0]),
                region_name=names.get(RegionCode.from_prefix(k[0]), k[0]),
                category=cats.get(k[1], ""),
                this_week=v[0],
                last_week=v[1],
            )
            for k, v in spots
        ),
        key=lambda s: (-(s.this_week - s.last_week), s.region_code),
    )


def count_by_child_region(low: str, high: str, child_len: int) -> dict[str, int]:
    from shegong.core.counting import count_by_child

    return count_by_child(
        Matter.objects.unscoped(reason=CHILD_COUNTS).filter(
            is_repeat=False, status__in=OPEN_STATUSES
        ),
        "region_id",
        low,
        high,
        child_len,
    )


def person_panel(request, resident) -> dict | None:
    """The resident's petitions and disputes, on the resident's page (people app)."""
    from django.urls import reverse

    from shegong.core.permissions import has_perm

    if not has_perm(request.user, "petitions.view"):
        return None
    matters = (
        Matter.objects.visible_to(request.user)
        .filter(petitioners__resident=resident)
        .select_related("category")
        .distinct()
        .order_by("-received_on")[:20]
    )
    return {
        "title": "信访与矛盾纠纷",
        "rows": [
            (
                f"{m.number} {m.title}",
                reverse("petitions:detail", args=[m.pk]),
                f"{m.category.name} · {m.get_status_display()}",
            )
            for m in matters
        ],
    }


def home_figures(*, fetched_by):
    from django.urls import reverse

    from shegong.core.permissions import has_perm
    from shegong.core.registry import Figure

    if not has_perm(fetched_by, "petitions.view"):
        return []
    qs = Matter.objects.visible_to(fetched_by)
    counts = qs.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES, is_repeat=False)),
        overdue=Count("id", filter=overdue_q(timezone.localdate())),
    )
    url = reverse("petitions:list")
    figures = [
        Figure(_("在办信访事项"), counts["open"], url, order=40),
        Figure(_("超期事项"), counts["overdue"], f"{url}?view=overdue", order=41),
    ]
    membership = fetched_by.active_membership
    today = timezone.localdate()
    mine = Matter.objects.unscoped(reason=OWN_UNIT).filter(
        handling_org_id=membership.organisation_id, status__in=OPEN_STATUSES
    )
    due_soon = mine.filter(due_date__gte=today, due_date__lte=today + timedelta(days=3)).count()
    if due_soon or mine.exists():
        figures.append(Figure(_("本单位 3 天内到期"), due_soon, f"{url}?view=due_soon", order=39))
    escalated = (
        Matter.objects.unscoped(reason=OWN_UNIT)
        .filter(
            escalation_code=jurisdiction_of(fetched_by).region_code,
            is_overdue=True,
            status__in=OPEN_STATUSES,
        )
        .count()
    )
    if escalated:
        figures.append(Figure(_("下级超期上报"), escalated, f"{url}?view=escalated", order=41))
    for spot in hot_spots(fetched_by=fetched_by)[:3]:
        figures.append(
            Figure(
                _("热点预警：%(r)s · %(c)s") % {"r": spot.region_name, "c": spot.category},
                spot.this_week,
                reverse("petitions:analysis"),
                hint=_("本周 %(a)d 件，上周 %(b)d 件") % {"a": spot.this_week, "b": spot.last_week},
                order=42,
            )
        )
    return figures


def mediation_list(*, fetched_by):
    """Mediations of matters inside the user's jurisdiction (a code range on the matter)."""
    from shegong.core.scoping import NOWHERE, code_range, jurisdiction_of
    from shegong.petitions.models import Mediation

    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE:
        return Mediation.objects.none()
    low, high = code_range(jurisdiction.prefix)
    return (
        Mediation.objects.filter(matter__region_id__gte=low, matter__region_id__lte=high)
        .select_related("matter", "committee", "agreement")
        .prefetch_related("sessions")
        .order_by("-started_on", "-id")
    )


# ---- reminders for the inbox -------------------------------------------------------------------


def reminders_due(today: date):
    """One reminder per open matter whose deadline is within the reminder lead (or passed), to
    every active member of its handling unit whose role handles matters."""
    from django.urls import reverse

    from shegong.core.registry import Reminder
    from shegong.inbox.selectors import members_who_may
    from shegong.petitions import deadlines

    lead, _rule = deadlines.setting("reminder")
    matters = list(
        Matter.objects.unscoped(reason=DAILY_SWEEP)
        .filter(
            status__in=deadlines.STAGED_STATUSES, handling_org__isnull=False, due_date__isnull=False
        )
        .filter(Q(is_overdue=True) | Q(due_date__gte=today, due_date__lte=today + timedelta(lead)))
        .values_list(
            "id",
            "number",
            "title",
            "handling_org__region_id",
            "handling_org_id",
            "due_date",
            "is_overdue",
        )
    )
    members = members_who_may((m[4] for m in matters), "petitions.handle")
    marker = 987654321
    head, tail = reverse("petitions:detail", args=[marker]).rsplit(str(marker), 1)
    for pk, number, title, region, org_id, due, overdue in matters:
        kind = "matter_overdue" if overdue else "matter_due"
        params = {"number": number, "title": title, "due": due.isoformat()}
        key = f"matter:{pk}:{'overdue' if overdue else 'due'}:{due.isoformat()}"
        for user_id in members.get(org_id, ()):
            yield Reminder(user_id, region, kind, params, f"{head}{pk}{tail}", key)


SUPERVISORS = (
    "Who reviews a dissatisfied rating: active members of the matter's county organisations "
    "whose role may supervise (their jurisdiction, the county, covers the matter); only user "
    "ids are read."
)


def county_supervisors(county_codes) -> dict[str, list[int]]:
    """`{county code (6 digits): [user ids]}`: active members of organisations of the county
    itself whose role holds `petitions.supervise`."""
    from shegong.accounts.models import Membership
    from shegong.core.permissions import all_permissions

    roles = all_permissions().get("petitions.supervise", frozenset())
    regions = {RegionCode.from_prefix(c): c for c in set(county_codes) if c}
    found: dict[str, list[int]] = {}
    rows = (
        Membership.objects.unscoped(reason=SUPERVISORS)
        .filter(organisation__region_id__in=list(regions), is_active=True, role__in=roles)
        .values_list("organisation__region_id", "user_id")
        .distinct()
    )
    for region_id, user_id in rows:
        found.setdefault(regions[region_id], []).append(user_id)
    return found


def rating_review_list(*, fetched_by: User, open_only: bool = True):
    """Dissatisfied-rating reviews of matters in the user's jurisdiction, nearest due first."""
    from shegong.petitions.models import RatingReview

    qs = RatingReview.objects.visible_to(fetched_by).select_related("matter")
    return qs.filter(closed_on__isnull=True) if open_only else qs


def get_rating_review_for(*, fetched_by: User, pk: int):
    from shegong.petitions.models import RatingReview

    return get_visible_or_404(RatingReview.objects.select_related("matter"), fetched_by, pk=pk)


def _detail_url_parts() -> tuple[str, str]:
    from django.urls import reverse

    marker = 987654321
    head, tail = reverse("petitions:detail", args=[marker]).rsplit(str(marker), 1)
    return head, tail


def confirmation_reminders(today: date):
    """The court-confirmation window (人民调解法 Art. 33, 30 days) closes within the reminder
    lead and the parties have not declined: remind the mediation committee's mediators whose
    jurisdiction covers the matter. One query for the agreements, one for the members."""
    from shegong.core.regioncode import PREFIX_LENGTH
    from shegong.core.registry import Reminder
    from shegong.inbox.selectors import members_who_may
    from shegong.petitions import deadlines
    from shegong.petitions.models import ConfirmationChoice, MediationAgreement

    lead, _rule = deadlines.setting("reminder")
    rows = list(
        MediationAgreement.objects.filter(
            confirmation_deadline__gte=today,
            confirmation_deadline__lte=today + timedelta(days=lead),
        )
        .exclude(confirmation_choice=ConfirmationChoice.DECLINE)
        .values_list(
            "pk",
            "confirmation_deadline",
            "mediation__matter_id",
            "mediation__matter__number",
            "mediation__matter__title",
            "mediation__matter__region_id",
            "mediation__committee_id",
            "mediation__committee__region_id",
            "mediation__committee__region__level",
        )
    )
    members = members_who_may((r[6] for r in rows), "petitions.mediate")
    head, tail = _detail_url_parts()
    for pk, due, matter_id, number, title, region, committee, c_region, c_level in rows:
        if not region.startswith(c_region[: PREFIX_LENGTH[c_level]]):
            continue  # the committee's jurisdiction does not cover the matter
        params = {"number": number, "title": title, "due": due.isoformat()}
        key = f"agreement:{pk}:confirmation:{due.isoformat()}"
        for user_id in members.get(committee, ()):
            yield Reminder(
                user_id, region, "confirmation_due", params, f"{head}{matter_id}{tail}", key
            )


def rating_review_reminders(today: date):
    """Open dissatisfied-rating reviews due within the reminder lead (or overdue), to the
    county's supervisors."""
    from shegong.core.registry import Reminder
    from shegong.petitions import deadlines
    from shegong.petitions.models import RatingReview

    lead, _rule = deadlines.setting("reminder")
    rows = list(
        RatingReview.objects.unscoped(reason=DAILY_SWEEP)
        .filter(closed_on__isnull=True, due_date__lte=today + timedelta(days=lead))
        .values_list("pk", "due_date", "region_code", "matter_id", "matter__number")
    )
    supervisors = county_supervisors(r[2][:6] for r in rows)
    head, tail = _detail_url_parts()
    for pk, due, region, matter_id, number in rows:
        params = {"number": number, "due": due.isoformat()}
        key = f"rating_review:{pk}:due:{due.isoformat()}"
        for user_id in supervisors.get(region[:6], ()):
            yield Reminder(
                user_id, region, "rating_review_due", params, f"{head}{matter_id}{tail}", key
            )


def followup_reminders(today: date):
    """A follow-up (回访) due within the reminder lead and not yet made: the same reminder as a
    handling deadline, to the handling unit's members who follow up."""
    from shegong.core.registry import Reminder
    from shegong.inbox.selectors import members_who_may
    from shegong.petitions import deadlines

    lead, _rule = deadlines.setting("reminder")
    rows = list(
        Matter.objects.unscoped(reason=DAILY_SWEEP)
        .filter(
            status=Status.CLOSED,
            followed_up_on__isnull=True,
            handling_org__isnull=False,
            followup_due__gte=today,
            followup_due__lte=today + timedelta(days=lead),
        )
        .values_list(
            "id", "number", "title", "handling_org__region_id", "handling_org_id", "followup_due"
        )
    )
    members = members_who_may((r[4] for r in rows), "petitions.followup")
    head, tail = _detail_url_parts()
    for pk, number, title, region, org_id, due in rows:
        params = {"number": number, "title": title, "due": due.isoformat()}
        key = f"matter:{pk}:followup:{due.isoformat()}"
        for user_id in members.get(org_id, ()):
            yield Reminder(user_id, region, "matter_due", params, f"{head}{pk}{tail}", key)


def prefill_matters_closed_on_time(prefix: str, start: date, end: date) -> int:
    """Matters in the subtree `prefix` closed in [start, end] by their handling deadline (a
    report's pre-filled figure)."""
    from django.db.models import F

    from shegong.petitions.models import Matter

    return (
        Matter.objects.in_subtree(prefix)
        .filter(closed_on__range=(start, end))
        .filter(Q(due_date__isnull=True) | Q(closed_on__lte=F("due_date")))
        .count()
    )

"""Home-page cards and per-child-region counts for the foundation's registries."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.figures import Kind
from shegong.core.permissions import has_perm
from shegong.core.registry import Figure

CHILD_COUNTS = (
    "Counts per child region of a subtree the caller checked against the user's "
    "jurisdiction; only figures leave."
)


def count_by_child_region(low: str, high: str, child_len: int) -> dict[str, int]:
    from shegong.core.counting import count_by_child
    from shegong.volunteers.models import Volunteer

    return count_by_child(
        Volunteer.objects.unscoped(reason=CHILD_COUNTS).filter(is_active=True),
        "region_id",
        low,
        high,
        child_len,
    )


def home_figures(*, fetched_by) -> list[Figure]:
    from shegong.volunteers.models import Activity, ServiceRecord, Volunteer
    from shegong.volunteers.selectors import volunteer_of

    if has_perm(fetched_by, "volunteers.self"):
        me = volunteer_of(fetched_by=fetched_by)
        if me is None:
            return []
        return [
            Figure(
                _("我的认证服务时长（小时）"),
                me.certified_hours,
                reverse("volunteers:me"),
                order=5,
                kind=Kind.HOURS,
            ),
            Figure(
                _("我的星级"),
                "★" * me.star_level or "—",
                reverse("volunteers:me"),
                order=6,
                kind=Kind.TEXT,
            ),
        ]
    if not has_perm(fetched_by, "volunteers.view"):
        return []
    counts = Volunteer.objects.visible_to(fetched_by).aggregate(
        n=Count("id", filter=Q(is_active=True)),
        party=Count("id", filter=Q(is_active=True, is_party_member=True)),
    )
    pending = ServiceRecord.objects.visible_to(fetched_by).filter(
        status=ServiceRecord.Status.PENDING
    )
    return [
        Figure(_("注册志愿者"), counts["n"], reverse("volunteers:list"), order=40),
        Figure(_("党员志愿者"), counts["party"], reverse("volunteers:list") + "?party=1", order=41),
        Figure(
            _("进行中与即将开展的活动"),
            Activity.objects.visible_to(fetched_by)
            .filter(status=Activity.Status.PUBLISHED, ends_at__gte=timezone.now())
            .count(),
            reverse("volunteers:activities") + "?when=upcoming",
            order=42,
        ),
        Figure(
            _("待确认的服务时长（小时）"),
            pending.aggregate(h=Sum("hours"))["h"] or 0,
            reverse("volunteers:records") + "?status=pending",
            order=43,
            kind=Kind.HOURS,
        ),
    ]


def prefill_volunteer_hours(prefix: str, start, end):
    """Confirmed volunteer service hours in the subtree `prefix` in [start, end] (a report's
    pre-filled figure)."""
    from django.db.models import Sum

    from shegong.volunteers.models import ServiceRecord

    total = (
        ServiceRecord.objects.in_subtree(prefix)
        .confirmed()
        .filter(service_date__range=(start, end))
        .aggregate(h=Sum("hours"))["h"]
    )
    return total or 0

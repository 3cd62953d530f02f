"""Reads of mass-contact meetings and raised items: what a user may see, the calendar, the
attendance per organisation, the on-time share per child region, the overdue reminders."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from shegong.contact.models import Attachment, Invitation, Meeting, RaisedItem
from shegong.core.regioncode import PREFIX_LENGTH, RegionCode
from shegong.core.scoping import NOWHERE, code_range, get_visible_or_404, jurisdiction_of
from shegong.orgs.models import Organisation
from shegong.regions.selectors import region_names

S = RaisedItem.Status
ANSWERED = (S.ANSWERED, S.FED_BACK)


def get_meeting_for(*, fetched_by: Any, pk: int) -> Meeting:
    return get_visible_or_404(Meeting.objects.select_related("organiser"), fetched_by, pk=pk)


def get_item_for(*, fetched_by: Any, pk: int) -> RaisedItem:
    return get_visible_or_404(
        RaisedItem.objects.select_related(
            "meeting__organiser", "unit", "matter", "raised_by__user", "raised_by__volunteer"
        ),
        fetched_by,
        pk=pk,
    )


def get_attachment_for(*, fetched_by: Any, pk: int) -> Attachment:
    return get_visible_or_404(Attachment.objects.select_related("meeting"), fetched_by, pk=pk)


def month_bounds(month: str | None) -> tuple[date, date] | None:
    """`YYYY-MM` → (first day, last day); None when absent or not a month."""
    if not month:
        return None
    try:
        year, mon = (int(part) for part in month.split("-"))
        first = date(year, mon, 1)
    except (ValueError, TypeError):
        return None
    last = date(year, mon, monthrange(year, mon)[1])
    return first, last


def meeting_list(
    *, fetched_by: Any, kind: str = "", status: str = "", month: str = ""
) -> QuerySet[Meeting]:
    meetings = Meeting.objects.visible_to(fetched_by).select_related("organiser")
    if kind in Meeting.Kind.values:
        meetings = meetings.filter(kind=kind)
    if status in Meeting.Status.values:
        meetings = meetings.filter(status=status)
    bounds = month_bounds(month)
    if bounds is not None:
        meetings = meetings.filter(held_on__range=bounds)
    return meetings.annotate(
        invited=Count("invitations", distinct=True),
        item_count=Count("items", distinct=True),
    )


def meeting_calendar(*, fetched_by: Any, month: str = "", prefix: str = "") -> dict:
    """The meetings of a month in the user's jurisdiction (or a region inside it), by date."""
    today = timezone.localdate()
    bounds = month_bounds(month) or month_bounds(f"{today.year}-{today.month}")
    first, last = bounds
    meetings = Meeting.objects.visible_to(fetched_by).filter(held_on__range=bounds)
    if prefix:
        if not prefix.isdigit() or not prefix.startswith(jurisdiction_of(fetched_by).prefix):
            raise Http404("Not found")
        low, high = code_range(prefix)
        meetings = meetings.filter(region_code__gte=low, region_code__lte=high)
    days: dict[date, list[Meeting]] = {}
    for meeting in meetings.select_related("organiser").order_by("held_on", "id")[:1000]:
        days.setdefault(meeting.held_on, []).append(meeting)
    previous = date.fromordinal(first.toordinal() - 1)
    following = date.fromordinal(last.toordinal() + 1)
    return {
        "first": first,
        "days": sorted(days.items()),
        "previous": f"{previous.year}-{previous.month:02d}",
        "next": f"{following.year}-{following.month:02d}",
        "month": f"{first.year}-{first.month:02d}",
    }


def invitations_of(*, fetched_by: Any, meeting: Meeting) -> QuerySet[Invitation]:
    return (
        Invitation.objects.visible_to(fetched_by)
        .filter(meeting=meeting)
        .select_related("user", "volunteer", "organisation", "resident")
    )


def items_of(*, fetched_by: Any, meeting: Meeting) -> QuerySet[RaisedItem]:
    return (
        RaisedItem.objects.visible_to(fetched_by)
        .filter(meeting=meeting)
        .select_related("unit", "matter", "raised_by__user", "raised_by__volunteer")
        .order_by("id")
    )


def attachments_of(*, fetched_by: Any, meeting: Meeting) -> QuerySet[Attachment]:
    return Attachment.objects.visible_to(fetched_by).filter(meeting=meeting)


def published_answers(*, fetched_by: Any, meeting: Meeting) -> QuerySet[RaisedItem]:
    """The answers published with the meeting's summary: fed back, and the raiser agreed."""
    return items_of(fetched_by=fetched_by, meeting=meeting).filter(
        status=S.FED_BACK, consent_publish=True
    )


def item_list(
    *, fetched_by: Any, status: str = "", overdue: bool = False, prefix: str = ""
) -> QuerySet[RaisedItem]:
    items = RaisedItem.objects.visible_to(fetched_by).select_related(
        "meeting",
        "unit",
        "matter",
        "raised_by__user",
        "raised_by__volunteer",
        "raised_by__organisation",  # the invitee's name, whatever kind of record it is
        "raised_by__resident",
    )
    if status in S.values:
        items = items.filter(status=status)
    if overdue:
        items = items.filter(status=S.ASSIGNED, due_date__lt=timezone.localdate())
    if prefix:
        low, high = code_range(prefix)
        items = items.filter(region_code__gte=low, region_code__lte=high)
    return items


def attendance_by_organisation(*, fetched_by: Any, month: str = "") -> list[dict]:
    """Per organising unit: meetings held, invitees, attendees (one GROUP BY)."""
    rows = Invitation.objects.visible_to(fetched_by).exclude(
        meeting__status=Meeting.Status.CANCELLED
    )
    bounds = month_bounds(month)
    if bounds is not None:
        rows = rows.filter(meeting__held_on__range=bounds)
    found = (
        rows.values("meeting__organiser_id", "meeting__organiser__name")
        .annotate(
            meetings=Count("meeting", distinct=True),
            invited=Count("id"),
            attended=Count("id", filter=Q(attended=True)),
        )
        .order_by("meeting__organiser__name")
    )
    return [
        {
            "organiser": row["meeting__organiser__name"],
            "meetings": row["meetings"],
            "invited": row["invited"],
            "attended": row["attended"],
            "share": row["attended"] / row["invited"] if row["invited"] else None,
        }
        for row in found
    ]


@dataclass
class OnTimeRow:
    prefix: str
    code: str
    name: str
    is_self: bool
    items: int
    answered: int
    on_time: int
    overdue: int

    @property
    def share(self) -> float | None:
        """Answered on time, as a share of the items answered (a fraction)."""
        return self.on_time / self.answered if self.answered else None

    @property
    def drillable(self) -> bool:
        return not self.is_self and len(self.prefix) < PREFIX_LENGTH[5]


def _child_length(prefix: str) -> int:
    for level in range(0, 5):
        if len(prefix) == PREFIX_LENGTH[level]:
            return PREFIX_LENGTH[level + 1]
    return PREFIX_LENGTH[5]


def on_time_rollup(*, fetched_by: Any, prefix: str | None = None) -> dict:
    """Items answered on time per child region of the user's jurisdiction or of a region inside
    it (`prefix`: 2, 4, 6 or 9 digits): one GROUP BY over a prefix of the region code."""
    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE:
        raise Http404("Not found")
    prefix = jurisdiction.prefix if prefix is None else prefix
    if (not prefix.isdigit() and prefix != "") or len(prefix) not in PREFIX_LENGTH.values():
        raise Http404("Not found")
    if not prefix.startswith(jurisdiction.prefix) or len(prefix) >= PREFIX_LENGTH[5]:
        raise Http404("Not found")
    length = _child_length(prefix)
    low, high = code_range(prefix)
    today = timezone.localdate()
    rows = list(
        RaisedItem.objects.visible_to(fetched_by)
        .filter(region_code__gte=low, region_code__lte=high)
        .exclude(status=S.CONVERTED)
        .annotate(child=Substr("region_code", 1, length))
        .values("child")
        .annotate(
            items=Count("id"),
            answered=Count("id", filter=Q(status__in=ANSWERED)),
            on_time=Count("id", filter=Q(status__in=ANSWERED, on_time=True)),
            overdue=Count("id", filter=Q(status=S.ASSIGNED, due_date__lt=today)),
        )
        .order_by("child")
    )
    self_code = RegionCode.from_prefix(prefix)
    codes = {row["child"]: RegionCode.from_prefix(row["child"]) for row in rows}
    names = region_names(codes.values())
    result = []
    for row in rows:
        code = codes[row["child"]]
        is_self = code == self_code
        result.append(
            OnTimeRow(
                prefix=prefix if is_self else row["child"],
                code=str(code),
                name=names.get(code, str(code)),
                is_self=is_self,
                items=row["items"],
                answered=row["answered"],
                on_time=row["on_time"],
                overdue=row["overdue"],
            )
        )
    answered = sum(r.answered for r in result)
    on_time = sum(r.on_time for r in result)
    up = None
    if len(prefix) > len(jurisdiction.prefix):
        for level in range(4, -1, -1):
            if PREFIX_LENGTH[level] < len(prefix):
                up = prefix[: PREFIX_LENGTH[level]]
                break
    return {
        "prefix": prefix,
        "name": region_names([self_code]).get(self_code, str(self_code)),
        "rows": result,
        "items": sum(r.items for r in result),
        "answered": answered,
        "on_time": on_time,
        "share": on_time / answered if answered else None,
        "up": up,
    }


RESPONSIBLE = (
    "The units a meeting's item may be assigned to: those of the meeting's county on the path "
    "from the county down to the meeting's place, or below it — a station assigns to a county "
    "department above it. Only names are shown, and only to the meeting's organiser."
)


def responsible_units(*, fetched_by: Any, meeting: Meeting) -> QuerySet[Organisation]:
    """Units an item of `meeting` may be assigned to (see `services.items.unit_may_answer`)."""
    if not jurisdiction_of(fetched_by).contains(meeting.region_code):
        return Organisation.objects.none()
    code = RegionCode(meeting.region_code)
    path = [str(code.ancestor(level)) for level in range(3, code.level)] + [str(code)]
    low, high = code_range(code.prefix)
    return (
        Organisation.objects.unscoped(reason=RESPONSIBLE)
        .filter(Q(region_id__in=path) | Q(region_id__gte=low, region_id__lte=high))
        .filter(is_active=True)
        .order_by("region_id", "name")
    )


def get_responsible_unit(*, fetched_by: Any, meeting: Meeting, pk: int) -> Organisation:
    found = responsible_units(fetched_by=fetched_by, meeting=meeting).filter(pk=pk).first()
    if found is None:
        raise Http404("Not found")
    return found


OVERDUE = (
    "The daily reminders run as the system over every assigned item past its deadline; each "
    "is sent to the members of its responsible unit only."
)


def reminders_due(today: date):
    """An item past its answer deadline: remind the responsible unit's members once a day."""
    from shegong.accounts.models import Membership
    from shegong.core.registry import Reminder

    items = list(
        RaisedItem.objects.unscoped(reason=OVERDUE)
        .filter(status=S.ASSIGNED, due_date__lt=today, unit__isnull=False)
        .values_list("pk", "unit_id", "region_code", "text", "due_date")[:5000]
    )
    if not items:
        return []
    units = {unit for _, unit, *_ in items}
    members: dict[int, list[int]] = {}
    for user_id, org_id in (
        Membership.objects.unscoped(reason=OVERDUE)
        .filter(organisation_id__in=units, is_active=True, user__is_active=True)
        .values_list("user_id", "organisation_id")
    ):
        members.setdefault(org_id, []).append(user_id)
    from django.urls import reverse

    found = []
    for pk, unit, region_code, text, due in items:
        for user_id in members.get(unit, []):
            found.append(
                Reminder(
                    recipient_id=user_id,
                    region_code=region_code,
                    kind="contact_overdue",
                    params={"title": text[:60], "due": due.isoformat()},
                    url=reverse("contact:item", args=[pk]),
                    key=f"contact_overdue:{pk}:{today.isoformat()}",
                )
            )
    return found


def items_export_rows(*, fetched_by: Any, status: str = "") -> list[list]:
    rows = []
    for item in item_list(fetched_by=fetched_by, status=status).order_by("id")[:50000]:
        rows.append(
            [
                item.pk,
                item.meeting.title,
                item.meeting.held_on,
                item.region_code,
                item.raised_by.display_name,
                item.text,
                item.get_status_display(),
                item.unit.name if item.unit else "",
                item.due_date,
                item.answered_on,
                {True: "是", False: "否"}.get(item.on_time, ""),
                item.matter.number if item.matter else "",
            ]
        )
    return rows


def invitee_accounts(*, fetched_by: Any):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.visible_to(fetched_by).filter(is_active=True).order_by("pk")


def invitee_volunteers(*, fetched_by: Any):
    from shegong.volunteers.models import Volunteer

    return Volunteer.objects.visible_to(fetched_by).order_by("name", "pk")


def invitee_organisations(*, fetched_by: Any):
    return Organisation.objects.visible_to(fetched_by).filter(is_active=True).order_by("name")


def invitee_residents(*, fetched_by: Any):
    from shegong.people.selectors import residents_visible

    return residents_visible(fetched_by=fetched_by).order_by("name", "pk")


RAISER = (
    "The answer to an item is shown to the person who raised it, wherever they are: the row is "
    "found by its id and by the reader's own account, nothing else."
)


def get_answer_for(*, fetched_by: Any, pk: int) -> RaisedItem:
    """An answered item, for the account that raised it (404 otherwise)."""
    uid = getattr(fetched_by, "pk", None)
    found = (
        RaisedItem.objects.unscoped(reason=RAISER)
        .filter(pk=pk, status__in=ANSWERED)
        .filter(Q(raised_by__user_id=uid) | Q(raised_by__volunteer__user_id=uid))
        .select_related("meeting", "unit")
        .first()
        if uid
        else None
    )
    if found is None:
        raise Http404("Not found")
    return found


CHILD_COUNTS = (
    "The region page's counts of meetings held per child region: numbers only, over the subtree "
    "the caller has already checked."
)


def meetings_by_child_region(low: str, high: str, child_len: int) -> dict[str, int]:
    """Meetings held (or with minutes) per child region (the region page's counter)."""
    from shegong.core.counting import count_by_child

    return count_by_child(
        Meeting.objects.unscoped(reason=CHILD_COUNTS).filter(
            status__in=(Meeting.Status.HELD, Meeting.Status.CLOSED)
        ),
        "region_code",
        low,
        high,
        child_len,
    )


PUBLISHED_ANSWERS = (
    "The portal's published answers: a closed meeting's public summary with the answers to the "
    "items whose raisers agreed to publication; never who raised them."
)


def public_meetings(*, region_prefix: str = "") -> QuerySet[Meeting]:
    """Closed meetings with a public summary and at least one published answer (the portal's
    会议答复): the summary is the organiser's act of publication."""
    published = RaisedItem.objects.unscoped(reason=PUBLISHED_ANSWERS).filter(
        status=S.FED_BACK, consent_publish=True
    )
    meetings = (
        Meeting.objects.unscoped(reason=PUBLISHED_ANSWERS)
        .filter(status=Meeting.Status.CLOSED, pk__in=published.values("meeting_id"))
        .exclude(summary="")
    )
    if region_prefix:
        low, high = code_range(region_prefix)
        meetings = meetings.filter(region_code__gte=low, region_code__lte=high)
    return meetings.select_related("organiser").order_by("-held_on", "-id")


def public_answers(meetings: list[Meeting]) -> dict[int, list[dict]]:
    """The published questions and answers of these meetings (text and answer only), by meeting
    id: one query for a page of meetings."""
    rows = (
        RaisedItem.objects.unscoped(reason=PUBLISHED_ANSWERS)
        .filter(meeting__in=meetings, status=S.FED_BACK, consent_publish=True)
        .values("meeting_id", "text", "answer", "answered_on", "unit__name")
        .order_by("meeting_id", "id")
    )
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row["meeting_id"], []).append(row)
    return found

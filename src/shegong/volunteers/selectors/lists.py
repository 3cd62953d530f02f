"""Scoped lists and the access helpers (404 for "missing" and "outside your jurisdiction" alike)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shegong.accounts.models import User
from shegong.core.scoping import get_visible_or_404
from shegong.orgs.models import Organisation
from shegong.volunteers.models import (
    Activity,
    Certificate,
    ServiceRecord,
    Shift,
    SignUp,
    Team,
    TeamMember,
    Volunteer,
    VolunteerApplication,
)

OWN_ROWS = (
    "Rows of a team, activity or volunteer the caller already read through its scope (or "
    "the signed-in volunteer's own record, sign-ups, records and certifying "
    "organisations)."
)


def volunteer_list(
    *, fetched_by: User, q: str = "", region_prefix: str = "", party: str = "", skill: str = ""
) -> QuerySet[Volunteer]:
    qs = Volunteer.objects.visible_to(fetched_by)
    if region_prefix.isdigit():
        qs = qs.in_subtree(region_prefix)
    if q:
        from shegong.core.crypto import blind_indexes

        if len(q) == 18:
            qs = qs.filter(id_number_hash__in=blind_indexes(q))
        else:
            qs = qs.filter(Q(name__startswith=q) | Q(number=q.upper()) | Q(phone=q))
    if party == "1":
        qs = qs.filter(is_party_member=True)
    if skill:
        qs = qs.filter(skills__contains=skill) if _json_contains_ok() else qs
    return qs.select_related("region")


def _json_contains_ok() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def get_volunteer_for(*, fetched_by: User, pk: int) -> Volunteer:
    return get_visible_or_404(Volunteer.objects.select_related("region", "user"), fetched_by, pk=pk)


def volunteer_by_number(*, fetched_by: User, number: str) -> Volunteer | None:
    """A volunteer of the reader's jurisdiction, by the number typed into a form."""
    number = (number or "").strip().upper()
    return Volunteer.objects.visible_to(fetched_by).filter(number=number).first()


def volunteer_recent_records(volunteer: Volunteer, limit: int = 30) -> QuerySet[ServiceRecord]:
    """The latest service records of a volunteer the reader already fetched."""
    return volunteer.records.select_related("organisation").order_by("-service_date", "-id")[:limit]


def volunteer_teams(volunteer: Volunteer) -> QuerySet[TeamMember]:
    return volunteer.team_members.select_related("team").order_by("-joined_on")


def application_list(
    *, fetched_by: User, status: str = VolunteerApplication.Status.PENDING
) -> QuerySet[VolunteerApplication]:
    """Registrations from the public portal for the reader's jurisdiction, oldest first."""
    qs = VolunteerApplication.objects.visible_to(fetched_by).select_related(
        "region", "decided_by", "volunteer"
    )
    if status in VolunteerApplication.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def get_application_for(*, fetched_by: User, pk: int) -> VolunteerApplication:
    return get_visible_or_404(VolunteerApplication.objects.all(), fetched_by, pk=pk)


def team_list(*, fetched_by: User, q: str = "") -> QuerySet[Team]:
    qs = Team.objects.visible_to(fetched_by).select_related("organisation", "region")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.annotate(members=Count("team_members", filter=Q(team_members__left_on__isnull=True)))


def get_team_for(*, fetched_by: User, pk: int) -> Team:
    return get_visible_or_404(
        Team.objects.select_related("organisation", "region"), fetched_by, pk=pk
    )


def get_team_member_for(*, fetched_by: User, pk: int) -> TeamMember:
    return get_visible_or_404(TeamMember.objects.all(), fetched_by, pk=pk)


def team_members(team: Team) -> QuerySet[TeamMember]:
    return (
        TeamMember.objects.unscoped(reason=OWN_ROWS)
        .filter(team=team)
        .select_related("volunteer")
        .order_by("left_on", "-is_leader", "joined_on", "id")
    )


def activity_list(
    *, fetched_by: User, status: str = "", q: str = "", when: str = ""
) -> QuerySet[Activity]:
    qs = Activity.objects.visible_to(fetched_by).select_related("organisation", "region")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now)
    elif when == "past":
        qs = qs.filter(ends_at__lt=now)
    return qs


def get_activity_for(*, fetched_by: User, pk: int) -> Activity:
    return get_visible_or_404(
        Activity.objects.select_related("organisation", "region", "site"), fetched_by, pk=pk
    )


def activity_sites(*, fetched_by: User) -> QuerySet[Organisation]:
    """The service sites an organiser may hold an activity at."""
    return Organisation.objects.visible_to(fetched_by).sites().order_by("region_id", "name")


def activity_shifts(activity: Activity) -> list[Shift]:
    return list(activity.shifts.all())


def get_shift_for(*, fetched_by: User, pk: int) -> Shift:
    return get_visible_or_404(Shift.objects.select_related("activity"), fetched_by, pk=pk)


def get_signup_for(*, fetched_by: User, pk: int) -> SignUp:
    return get_visible_or_404(
        SignUp.objects.select_related("shift__activity", "volunteer"), fetched_by, pk=pk
    )


def get_record_for(*, fetched_by: User, pk: int) -> ServiceRecord:
    return get_visible_or_404(
        ServiceRecord.objects.select_related("volunteer", "activity", "organisation"),
        fetched_by,
        pk=pk,
    )


def record_list(*, fetched_by: User, status: str = "", q: str = "") -> QuerySet[ServiceRecord]:
    qs = ServiceRecord.objects.visible_to(fetched_by).select_related("volunteer", "organisation")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(activity_name__icontains=q) | Q(volunteer__number=q.upper()))
    return qs


def get_certificate_for(*, fetched_by: User, pk: int) -> Certificate:
    return get_visible_or_404(
        Certificate.objects.select_related("volunteer", "organisation"), fetched_by, pk=pk
    )


def volunteers_by_id(*, fetched_by: User, ids) -> dict[int, Volunteer]:
    """`{id: volunteer}` for the given ids, among the volunteers the user may see."""
    return Volunteer.objects.visible_to(fetched_by).in_bulk(list(ids))


def invitable_volunteer(*, fetched_by: User, pk) -> Volunteer | None:
    """A volunteer inside the organiser's jurisdiction, by id from a form."""
    try:
        return Volunteer.objects.visible_to(fetched_by).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None

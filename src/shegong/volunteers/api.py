"""/api/v1/volunteers/: volunteers, teams, activities, sign-ups and service records (scoped)."""

from typing import Literal

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from shegong.core.api_schema import Choice, Digits, Pagination, Search, Text
from shegong.core.api_utils import require_perm
from shegong.core.scoping import jurisdiction_of
from shegong.volunteers import selectors, services
from shegong.volunteers.models import Activity, ServiceRecord, Volunteer
from shegong.volunteers.schemas import (
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    CorrectionIn,
    RecordOut,
    SignUpIn,
    SignUpOut,
    TeamDetailOut,
    TeamOut,
    VolunteerIn,
    VolunteerOut,
)

router = Router(tags=["volunteers 志愿服务"])


class VolunteerFilters(Schema):
    q: Search = ""
    region: Digits = ""
    party: Literal["", "0", "1"] = ""


@router.get("/volunteers", response=list[VolunteerOut], summary="Volunteers in the jurisdiction")
@paginate(Pagination, page_size=25)
def volunteer_list(request, filters: Query[VolunteerFilters]):
    require_perm(request, "volunteers.view")
    return selectors.volunteer_list(
        fetched_by=request.user, q=filters.q, region_prefix=filters.region, party=filters.party
    ).order_by("id")


@router.get("/volunteers/{int:volunteer_id}", response=VolunteerOut)
def volunteer_detail(request, volunteer_id: int):
    require_perm(request, "volunteers.view")
    return selectors.get_volunteer_for(request.user, volunteer_id)


@router.post("/volunteers", response={201: VolunteerOut}, summary="Register a volunteer")
def volunteer_create(request, payload: VolunteerIn):
    require_perm(request, "volunteers.edit")
    data = payload.dict()
    data["region"] = data["region"].ljust(12, "0")
    v = services.volunteer_register(
        data=data,
        source=Volunteer.Source.ORGANISATION,
        registered_by=request.user,
        organisation=request.user.active_membership.organisation,
        consent=payload.consent,
    )
    return 201, v


@router.get("/teams", response=list[TeamOut])
@paginate(Pagination, page_size=25)
def team_list(request, q: Search = ""):
    require_perm(request, "volunteers.view")
    return selectors.team_list(fetched_by=request.user, q=q).order_by("name", "id")


@router.get("/teams/{int:team_id}", response=TeamDetailOut)
def team_detail(request, team_id: int):
    require_perm(request, "volunteers.view")
    team = selectors.get_team_for(request.user, team_id)
    team.members = list(selectors.team_members(team))
    return team


@router.get("/activities", response=list[ActivityOut])
@paginate(Pagination, page_size=25)
def activity_list(
    request,
    status: Choice(Activity.Status, blank=True) = "",
    q: Search = "",
    when: Literal["", "upcoming", "past"] = "",
):
    require_perm(request, "volunteers.view")
    return selectors.activity_list(fetched_by=request.user, status=status, q=q, when=when).order_by(
        "-starts_at", "-id"
    )


@router.get("/activities/{int:activity_id}", response=ActivityDetailOut)
def activity_detail(request, activity_id: int):
    require_perm(request, "volunteers.view")
    activity = selectors.get_activity_for(request.user, activity_id)
    activity.shifts_list = list(activity.shifts.all())
    return {
        **ActivityOut.from_orm(activity).dict(),
        "description": activity.description,
        "beneficiaries": activity.beneficiaries,
        "address": activity.address,
        "shifts": activity.shifts_list,
    }


@router.post("/activities", response={201: ActivityDetailOut}, summary="Create an activity")
def activity_create(request, payload: ActivityIn):
    require_perm(request, "volunteers.organise")
    data = payload.dict()
    shifts = data.pop("shifts")
    activity = services.activity_create(
        created_by=request.user,
        organisation=request.user.active_membership.organisation,
        data=data,
        shifts=shifts,
        publish=data.pop("publish"),
    )
    return 201, activity_detail(request, activity.pk)


@router.get("/activities/{int:activity_id}/signups", response=list[SignUpOut])
def activity_signups(request, activity_id: int):
    require_perm(request, "volunteers.view")
    activity = selectors.get_activity_for(request.user, activity_id)
    return [s for row in selectors.shifts_with_signups(activity) for s in row["signups"]]


@router.post("/shifts/{int:shift_id}/signups", response={201: SignUpOut})
def signup_create(request, shift_id: int, payload: SignUpIn):
    require_perm(request, "volunteers.organise")
    shift = selectors.get_shift_for(request.user, shift_id)
    volunteer = selectors.get_volunteer_for(request.user, payload.volunteer_id)
    return 201, services.signup_create(shift=shift, volunteer=volunteer, by=request.user)


@router.post("/signups/{int:signup_id}/{action}", response=SignUpOut)
def signup_action(
    request,
    signup_id: int,
    action: Literal["withdraw", "checkin", "checkout", "accept", "reject"],
):
    require_perm(request, "volunteers.organise")
    signup = selectors.get_signup_for(request.user, signup_id)
    if action == "withdraw":
        services.signup_withdraw(signup=signup, by=request.user)
    elif action == "checkin":
        services.signup_check_in(signup=signup, by=request.user)
    elif action == "checkout":
        services.signup_check_out(signup=signup, by=request.user)
    elif action in ("accept", "reject"):
        services.signup_decide(signup=signup, by=request.user, accept=action == "accept")
    else:
        from django.http import Http404

        raise Http404
    signup.refresh_from_db()
    return signup


@router.get("/records", response=list[RecordOut])
@paginate(Pagination, page_size=25)
def record_list(request, status: Choice(ServiceRecord.Status, blank=True) = "", q: Search = ""):
    require_perm(request, "volunteers.view")
    return selectors.record_list(fetched_by=request.user, status=status, q=q).order_by(
        "-service_date", "-id"
    )


@router.get("/records/{int:record_id}", response=RecordOut)
def record_detail(request, record_id: int):
    require_perm(request, "volunteers.view")
    return selectors.get_record_for(request.user, record_id)


@router.post("/records/{int:record_id}/confirm", response=RecordOut)
def record_confirm(request, record_id: int):
    require_perm(request, "volunteers.organise")
    record = selectors.get_record_for(request.user, record_id)
    return services.record_confirm(record=record, by=request.user)


@router.post("/records/{int:record_id}/correct", response=RecordOut)
def record_correct(request, record_id: int, payload: CorrectionIn):
    require_perm(request, "volunteers.organise")
    record = selectors.get_record_for(request.user, record_id)
    return services.record_correct(
        record=record, by=request.user, hours=payload.hours, reason=payload.reason
    )


@router.get("/stats", summary="Roll-up of the jurisdiction for a month (same as the portal)")
def stats(request, month: Text(7, pattern="^[0-9]{4}-[0-9]{2}$") = ""):
    require_perm(request, "volunteers.stats")
    from shegong.volunteers.views import parse_month

    year, mon = parse_month(month)
    prefix = jurisdiction_of(request.user).prefix
    data = selectors.rollup_with_names(prefix=prefix, year=year, month=mon)
    return {
        "region": prefix.ljust(12, "0"),
        "month": f"{year:04d}-{mon:02d}",
        "total": data["total"].as_dict(),
        "by_region": [
            {"code": r["code"], "name": r["name"], **r["figures"].as_dict()} for r in data["rows"]
        ],
    }

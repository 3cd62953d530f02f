"""/api/v1/volunteers/: volunteers, teams, activities, sign-ups and service records (scoped).

Every route declares its access (core.api_access); the lifecycles' actions are the generic
`POST …/{pk}/actions/{action}` routes of volunteers.workflow, and the older action routes stay as
aliases that take the same transitions."""

from typing import Literal

from django.http import Http404
from ninja import Query, Schema
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Choice, Digits, Pagination, Search, Text
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import jurisdiction_of
from shegong.core.workflow.api import action_route
from shegong.people.selectors import get_resident_for
from shegong.regions.selectors import region_resolve
from shegong.volunteers import selectors, services
from shegong.volunteers.models import Activity, ServiceRecord, Volunteer
from shegong.volunteers.schemas import (
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    ApplicationOut,
    BeneficiaryIn,
    BeneficiaryOut,
    CorrectionIn,
    RecordOut,
    ResidentChoiceOut,
    SignUpIn,
    SignUpOut,
    TeamDetailOut,
    TeamOut,
    VolunteerHelpOut,
    VolunteerIn,
    VolunteerOut,
)
from shegong.volunteers.workflow import ACTIVITY, APPLICATION, RECORD, SIGNUP

router = Router(tags=["volunteers 志愿服务"])


class VolunteerFilters(Schema):
    q: Search = ""
    region: Digits = ""
    party: Literal["", "0", "1"] = ""


@router.get("/volunteers", response=list[VolunteerOut], summary="Volunteers in the jurisdiction")
@scoped("volunteers.view")
@paginate(Pagination, page_size=25)
def volunteer_list(request, filters: Query[VolunteerFilters]):
    return selectors.volunteer_list(
        fetched_by=request.user, q=filters.q, region_prefix=filters.region, party=filters.party
    ).order_by("id")


@router.get("/volunteers/{int:volunteer_id}", response=VolunteerOut)
@scoped("volunteers.view")
def volunteer_detail(request, volunteer_id: int):
    return selectors.get_volunteer_for(fetched_by=request.user, pk=volunteer_id)


@router.post("/volunteers", response={201: VolunteerOut}, summary="Register a volunteer")
@scoped("volunteers.edit")
def volunteer_create(request, payload: VolunteerIn):
    data = payload.dict()
    data["region"] = region_resolve(payload.region, fetched_by=request.user)
    v = services.volunteer_register(
        data=data,
        source=Volunteer.Source.ORGANISATION,
        acting_user=request.user,
        organisation=request.user.active_membership.organisation,
        consent=payload.consent,
    )
    return 201, v


@router.get("/teams", response=list[TeamOut])
@scoped("volunteers.view")
@paginate(Pagination, page_size=25)
def team_list(request, q: Search = ""):
    return selectors.team_list(fetched_by=request.user, q=q).order_by("name", "id")


@router.get("/teams/{int:team_id}", response=TeamDetailOut)
@scoped("volunteers.view")
def team_detail(request, team_id: int):
    team = selectors.get_team_for(fetched_by=request.user, pk=team_id)
    team.members = list(selectors.team_members(team))
    return team


@router.get("/activities", response=list[ActivityOut])
@scoped("volunteers.view")
@paginate(Pagination, page_size=25)
def activity_list(
    request,
    status: Choice(Activity.Status, blank=True) = "",
    q: Search = "",
    when: Literal["", "upcoming", "past"] = "",
):
    return selectors.activity_list(fetched_by=request.user, status=status, q=q, when=when).order_by(
        "-starts_at", "-id"
    )


@router.get("/activities/{int:activity_id}", response=ActivityDetailOut)
@scoped("volunteers.view")
def activity_detail(request, activity_id: int):
    activity = selectors.get_activity_for(fetched_by=request.user, pk=activity_id)
    activity.shifts_list = list(activity.shifts.all())
    return {
        **ActivityOut.from_orm(activity).dict(),
        "description": activity.description,
        "beneficiaries": activity.beneficiaries,
        "address": activity.address,
        "shifts": activity.shifts_list,
    }


@router.post("/activities", response={201: ActivityDetailOut}, summary="Create an activity")
@scoped("volunteers.organise")
def activity_create(request, payload: ActivityIn):
    data = payload.dict()
    if payload.region:
        data["region"] = region_resolve(payload.region, fetched_by=request.user)
    shifts = data.pop("shifts")
    activity = services.activity_create(
        acting_user=request.user,
        organisation=request.user.active_membership.organisation,
        data=data,
        shifts=shifts,
        publish=data.pop("publish"),
    )
    return 201, activity_detail(request, activity.pk)


action_route(router, ACTIVITY, path="/activities", response=ActivityOut)


@router.get("/activities/{int:activity_id}/signups", response=list[SignUpOut])
@scoped("volunteers.view")
def activity_signups(request, activity_id: int):
    activity = selectors.get_activity_for(fetched_by=request.user, pk=activity_id)
    return [s for row in selectors.shifts_with_signups(activity) for s in row["signups"]]


@router.post("/shifts/{int:shift_id}/signups", response={201: SignUpOut})
@scoped("volunteers.organise")
def signup_create(request, shift_id: int, payload: SignUpIn):
    shift = selectors.get_shift_for(fetched_by=request.user, pk=shift_id)
    volunteer = selectors.get_volunteer_for(fetched_by=request.user, pk=payload.volunteer_id)
    return 201, services.signup_create(shift=shift, volunteer=volunteer, acting_user=request.user)


action_route(router, SIGNUP, path="/signups", response=SignUpOut)


@router.post(
    "/signups/{int:signup_id}/{action}",
    response=SignUpOut,
    summary="The same as POST /signups/{pk}/actions/{action}",
)
@scoped("volunteers.organise")
def signup_action(
    request,
    signup_id: int,
    action: Literal["withdraw", "checkin", "checkout", "accept", "reject"],
):
    signup = selectors.get_signup_for(fetched_by=request.user, pk=signup_id)
    if action not in SIGNUP.offered_names:
        raise Http404
    SIGNUP.perform(action, obj=signup, acting_user=request.user)
    return selectors.get_signup_for(fetched_by=request.user, pk=signup_id)


@router.get("/records", response=list[RecordOut])
@scoped("volunteers.view")
@paginate(Pagination, page_size=25)
def record_list(request, status: Choice(ServiceRecord.Status, blank=True) = "", q: Search = ""):
    return selectors.record_list(fetched_by=request.user, status=status, q=q).order_by(
        "-service_date", "-id"
    )


@router.get("/records/{int:record_id}", response=RecordOut)
@scoped("volunteers.view")
def record_detail(request, record_id: int):
    return selectors.get_record_for(fetched_by=request.user, pk=record_id)


action_route(router, RECORD, path="/records", response=RecordOut)


@router.post(
    "/records/{int:record_id}/confirm",
    response=RecordOut,
    summary="The same as POST /records/{pk}/actions/confirm",
)
@scoped("volunteers.organise")
def record_confirm(request, record_id: int):
    record = selectors.get_record_for(fetched_by=request.user, pk=record_id)
    RECORD.perform("confirm", obj=record, acting_user=request.user)
    return selectors.get_record_for(fetched_by=request.user, pk=record_id)


@router.post(
    "/records/{int:record_id}/correct",
    response=RecordOut,
    summary="The same as POST /records/{pk}/actions/correct",
)
@scoped("volunteers.organise")
def record_correct(request, record_id: int, payload: CorrectionIn):
    record = selectors.get_record_for(fetched_by=request.user, pk=record_id)
    data = {"hours": str(payload.hours), "reason": payload.reason}
    RECORD.perform("correct", obj=record, acting_user=request.user, data=data)
    return selectors.get_record_for(fetched_by=request.user, pk=record_id)


@router.get(
    "/records/{int:record_id}/beneficiaries",
    response=list[BeneficiaryOut],
    summary="The registered residents the record served (those the caller may see)",
)
@scoped("volunteers.view")
def record_beneficiaries(request, record_id: int):
    record = selectors.get_record_for(fetched_by=request.user, pk=record_id)
    return selectors.record_beneficiaries(fetched_by=request.user, record=record)


@router.get(
    "/records/{int:record_id}/resident-choices",
    response=list[ResidentChoiceOut],
    summary="Registered residents the caller may link: inside the record's area, visible to them",
)
@scoped("volunteers.organise")
def record_resident_choices(request, record_id: int, q: Search = ""):
    record = selectors.get_record_for(fetched_by=request.user, pk=record_id)
    return list(
        selectors.linkable_residents(fetched_by=request.user, record=record, q=q)[
            : selectors.CHOICES_SHOWN
        ]
    )


@router.post(
    "/records/{int:record_id}/beneficiaries",
    response={201: BeneficiaryOut},
    summary="Link a registered resident to the record",
)
@scoped("volunteers.organise")
def record_beneficiary_add(request, record_id: int, payload: BeneficiaryIn):
    record = selectors.get_record_for(fetched_by=request.user, pk=record_id)
    link = services.record_link_resident(
        record=record, resident_id=payload.resident_id, acting_user=request.user
    )
    return 201, link


@router.delete(
    "/records/{int:record_id}/beneficiaries/{int:resident_id}",
    response={204: None},
    summary="Remove the link of a resident from the record",
)
@scoped("volunteers.organise")
def record_beneficiary_remove(request, record_id: int, resident_id: int):
    record = selectors.get_record_for(fetched_by=request.user, pk=record_id)
    services.record_unlink_resident(
        record=record, resident_id=resident_id, acting_user=request.user
    )
    return 204, None


@router.get(
    "/residents/{int:resident_id}/services",
    response=list[VolunteerHelpOut],
    summary="The volunteer service a resident received (as on the resident's page)",
)
@scoped("people.view")
def resident_volunteer_help(request, resident_id: int):
    resident = get_resident_for(fetched_by=request.user, pk=resident_id)
    return list(selectors.volunteer_help_of(fetched_by=request.user, resident=resident)[:200])


action_route(router, APPLICATION, path="/applications", response=ApplicationOut)


@router.get("/stats", summary="Roll-up of the jurisdiction for a month (same as the portal)")
@scoped("volunteers.stats")
def stats(request, month: Text(7, pattern="^[0-9]{4}-[0-9]{2}$") = ""):
    from shegong.volunteers.views import parse_month

    year, mon = parse_month(month)
    prefix = jurisdiction_of(request.user).prefix
    data = selectors.rollup_with_names(prefix=prefix, year=year, month=mon)
    return {
        "region": RegionCode.from_prefix(prefix),
        "month": f"{year:04d}-{mon:02d}",
        "total": data["total"].as_dict(),
        "by_region": [
            {"code": r["code"], "name": r["name"], **r["figures"].as_dict()} for r in data["rows"]
        ],
    }

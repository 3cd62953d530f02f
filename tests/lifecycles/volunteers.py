"""Volunteer activities, sign-ups, service records and portal registrations of a 天河区 township
station, organised by its station worker."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from shegong.core.workflow import Transition
from shegong.volunteers import applications, services, workflow
from shegong.volunteers.models import ServiceRecord, SignUp
from tests.lifecycles import HOME_COUNTY, Scenario
from tests.volunteers.helpers import make_activity, make_volunteer, resident_id

HOME_TOWNSHIP = HOME_COUNTY[:6] + "001000"
HOME_VILLAGE = HOME_COUNTY[:6] + "001001"


def _organiser(make_member):
    return make_member("station_worker", HOME_TOWNSHIP, kind="sw_station", name="五山街社工站")


def _activity(transition: Transition, organiser) -> Scenario:
    activity = make_activity(organiser, publish=transition.sources[0] == workflow.A_PUBLISHED)
    start = timezone.localtime(activity.starts_at) + timedelta(days=1)
    payloads = {
        "cancel": {"reason": "台风停课，活动取消"},
        "shift": {
            "title": "加班",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "3",
        },
    }
    return Scenario(
        subject=activity,
        actor=organiser,
        payload=payloads.get(transition.name, {}),
        effect=lambda a: a.shifts.count(),
    )


def _signup(transition: Transition, organiser) -> Scenario:
    stage = transition.sources[0]
    activity = make_activity(organiser, auto_accept=stage != workflow.S_PENDING)
    shift = activity.shifts.get()
    signup = services.signup_create(shift=shift, volunteer=make_volunteer(), acting_user=None)
    if stage == workflow.S_CHECKED_IN:
        services.signup_check_in(
            signup=signup, acting_user=organiser, at=timezone.now() - timedelta(hours=2)
        )
    signup = SignUp.objects.get(pk=signup.pk)
    assert signup.stage == stage, signup.stage
    return Scenario(subject=signup, actor=organiser, payload={})


def _record(transition: Transition, organiser) -> Scenario:
    activity = make_activity(organiser)
    signup = services.signup_create(
        shift=activity.shifts.get(), volunteer=make_volunteer(), acting_user=None
    )
    start = timezone.now() - timedelta(hours=3)
    services.signup_check_in(signup=signup, acting_user=organiser, at=start)
    record = services.signup_check_out(
        signup=signup, acting_user=organiser, at=start + timedelta(hours=2)
    )
    payloads = {
        "correct": ({"hours": "1.5", "reason": "扣除往返路程"}, lambda r: r.hours),
        "rate": ({"quality_rating": "5"}, lambda r: r.quality_rating),
    }
    payload, effect = payloads.get(transition.name, ({}, None))
    record = ServiceRecord.objects.get(pk=record.pk)
    return Scenario(subject=record, actor=organiser, payload=payload, effect=effect)


def _application(transition: Transition, organiser) -> Scenario:
    application = applications.application_submit(
        data={
            "name": "林志愿",
            "id_number": resident_id("440106", date(1996, 6, 1)),
            "phone": "13711112222",
            "region": HOME_VILLAGE,
            "political_status": "masses",
        },
        consent=True,
        username="linzy",
        password="Volunteer@2026",
    )
    assert application is not None
    payload = {"reason": "电话无法核实身份"} if transition.name == "reject" else {}
    return Scenario(subject=application, actor=organiser, payload=payload)


BUILDERS = {
    workflow.ACTIVITY.key: _activity,
    workflow.SIGNUP.key: _signup,
    workflow.RECORD.key: _record,
    workflow.APPLICATION.key: _application,
}


class VolunteersBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        organiser = _organiser(make_member)
        for lifecycle in workflow.LIFECYCLES:
            if transition in lifecycle.transitions:
                return BUILDERS[lifecycle.key](transition, organiser)
        raise AssertionError(f"not a volunteers transition: {transition.name}")


BUILDER = VolunteersBuilder()

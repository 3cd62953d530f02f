"""A title application of a worker of a 天河区 social work agency, in a round of the 广东省
department; the agency's staff confirm it, the 天河区 department's leader takes the panel's
steps (the lifecycle does not tie the panel to a level; round_open does)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from shegong.careers import services, workflow
from shegong.careers.services import titles
from shegong.core.workflow import Transition
from tests.careers.factories import make_worker
from tests.lifecycles import HOME_COUNTY, Scenario

ROUTE = {
    workflow.APPLIED: (),
    workflow.CONFIRMED: ("confirm",),
    workflow.SCORED: ("confirm", "score"),
    workflow.PASSED: ("confirm", "score", "pass"),
    workflow.NOTICE: ("confirm", "score", "pass", "publish"),
    workflow.OBJECTED: ("confirm", "score", "pass", "publish", "object"),
}
PAYLOAD = {
    "return": {"note": "材料不全"},
    "score": {"score": 85, "comment": "业绩突出"},
    "object": {"objection": "业绩材料与事实不符"},
}


def application_in(state: str, *, make_member):
    province = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
    employer_staff = make_member(
        "org_staff", HOME_COUNTY, kind="sw_organisation", name="天河区启智社工服务中心"
    )
    panel = make_member("dept_leader", HOME_COUNTY, name="天河区委社会工作部")
    worker = make_worker(employer_staff.active_membership.organisation, name="王社工")
    today = timezone.localdate()
    found = services.round_open(
        acting_user=province,
        title=f"{today.year}年度广东省社会工作师评审",
        level="social_worker",
        year=today.year,
        closes_on=today + timedelta(days=30),
        min_education="bachelor",
        min_years=3,
    )
    application = services.application_create(
        acting_user=employer_staff,
        round=found,
        worker=worker,
        years_in_social_work=6,
        exam_passed_on=today - timedelta(days=400),
        achievements="主持社区长者服务项目两项",
    )
    for step in ROUTE[state]:
        actor = employer_staff if step == "confirm" else panel
        kwargs = {"note": ""}
        if step == "score":
            kwargs = {"score": 85, "comment": "业绩突出"}
        elif step == "publish":
            kwargs = {}
        elif step == "object":
            kwargs = {"objection": "业绩材料与事实不符"}
        getattr(titles, f"application_{step}")(application=application, acting_user=actor, **kwargs)
    application.refresh_from_db()
    return application, employer_staff, panel


class ApplicationBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        application, employer_staff, panel = application_in(
            transition.sources[0], make_member=make_member
        )
        actor = employer_staff if transition.actor == "employer" else panel
        return Scenario(
            subject=application,
            actor=actor,
            payload=PAYLOAD.get(transition.name, {"note": "按程序办理"}),
        )


BUILDER = ApplicationBuilder()

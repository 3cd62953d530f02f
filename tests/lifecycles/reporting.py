"""A monthly report of a township station in 天河区, reviewed by the 天河区 department (the
scenario's actor for review), defined by the 广州市 department (so that the county forwards it
up) or by the 天河区 department itself (so that the county's approval is the last)."""

from __future__ import annotations

from datetime import date

from shegong.core.workflow import Transition
from shegong.orgs.models import Organisation
from shegong.regions.models import Region
from shegong.reporting import services, workflow
from tests.lifecycles import HOME_COUNTY, Scenario

PERIOD = date(2026, 10, 1)


def build(*, make_member, defined_by_county: bool, state: str):
    leader = make_member("dept_leader", HOME_COUNTY, name="天河区委社会工作部")
    county = leader.active_membership.organisation
    township = Region.objects.filter(parent_id=HOME_COUNTY).order_by("code").first()
    worker = make_member("station_worker", township.code, kind="sw_station", name="社工站")
    if defined_by_county:
        department = county
    else:
        department = Organisation.objects.create(
            name="广州市委社会工作部", kind="sw_department", region_id="440100000000"
        )
    form = services.form_create(acting_user=None, department=department, name="社工站月报")
    services.element_create(acting_user=None, form=form, code="total", label="服务人次")
    services.element_create(acting_user=None, form=form, code="women", label="其中女性")
    services.rule_create(
        acting_user=None, form=form, left="women", operator="le", right="total", name="女性≤总数"
    )
    submission = services.submission_open(acting_user=worker, form=form, period_start=PERIOD)
    services.submission_values_save(
        acting_user=worker, submission=submission, values={"total": "10", "women": "4"}
    )
    if state in (workflow.SUBMITTED, workflow.REVIEWING, workflow.APPROVED):
        services.submission_submit(submission=submission, acting_user=worker)
    if state in (workflow.REVIEWING, workflow.APPROVED):
        submission.refresh_from_db()
        services.submission_forward(submission=submission, acting_user=leader) if (
            not defined_by_county
        ) else services.submission_approve(submission=submission, acting_user=leader)
    submission.refresh_from_db()
    return submission, worker, leader


class SubmissionBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        name = transition.name
        if name == "submit":
            s, worker, _ = build(make_member=make_member, defined_by_county=False, state="draft")
            return Scenario(subject=s, actor=worker, payload={})
        if name in ("forward", "return"):
            s, _, leader = build(
                make_member=make_member, defined_by_county=False, state=workflow.SUBMITTED
            )
            return Scenario(subject=s, actor=leader, payload={"note": "请核对"})
        if name == "approve":
            s, _, leader = build(
                make_member=make_member, defined_by_county=True, state=workflow.SUBMITTED
            )
            return Scenario(subject=s, actor=leader, payload={"note": "同意"})
        # reopen: the county's own form, approved by the county's leader
        s, _, leader = build(
            make_member=make_member, defined_by_county=True, state=workflow.APPROVED
        )
        return Scenario(subject=s, actor=leader, payload={"note": "数据有误，重新开放更正"})


BUILDER = SubmissionBuilder()

"""A directive of the 天河区 department sent to the social work stations of its townships; the
subject is the copy of the 五山街道 station, acted on by the station's worker (签收, 转发 is not
possible below a station, so a station copy is replaced by the county's own copy for cascading)
or by the department (办结/退回)."""

from __future__ import annotations

from shegong.core.workflow import Transition
from shegong.directives import services, workflow
from shegong.directives.models import DirectiveTarget
from shegong.orgs.models import Organisation
from tests.lifecycles import HOME_COUNTY, Scenario

STATION_REGION = "440106001000"  # 五山街道

# The services that bring a copy from received to each state.
ROUTE = {
    workflow.RECEIVED: (),
    workflow.ACKNOWLEDGED: ("acknowledge",),
    workflow.IN_PROGRESS: ("acknowledge", "report"),
    workflow.RETURNED: ("acknowledge", "complete", "return"),
    workflow.SUBMITTED: ("acknowledge", "complete"),
}


def _step(name, target, unit_user, sender_user):
    target = DirectiveTarget.objects.unscoped(reason="test").get(pk=target.pk)
    if name == "acknowledge":
        services.target_acknowledge(target=target, acting_user=unit_user)
    elif name == "report":
        services.progress_report(target=target, acting_user=unit_user, text="进展")
    elif name == "complete":
        services.target_complete(target=target, acting_user=unit_user, text="已完成")
    elif name == "return":
        services.completion_return(target=target, acting_user=sender_user, reason="补充材料")


class TargetBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        if transition.name == "cascade":
            return self._cascade(transition, make_member=make_member)
        department = make_member("dept_leader", HOME_COUNTY, name="天河区委社会工作部")
        worker = make_member("station_worker", STATION_REGION, kind="sw_station", name="五山社工站")
        Organisation.objects.create(name="员村社工站", kind="sw_station", region_id="440106002000")
        directive = services.directive_issue(
            acting_user=department, title="社工站专项任务", level=4, due_days=10
        )
        target = DirectiveTarget.objects.unscoped(reason="test").get(
            directive=directive, unit=worker.active_membership.organisation
        )
        for step in ROUTE[transition.sources[0]]:
            _step(step, target, worker, department)
        target.refresh_from_db()
        actor = department if transition.actor == "sender" else worker
        payload = {
            "report": {"text": "已部署"},
            "complete": {"text": "已完成", "done_count": 3},
            "return": {"reason": "请补充佐证材料"},
        }.get(transition.name, {})
        return Scenario(subject=target, actor=actor, payload=payload)

    def _cascade(self, transition: Transition, *, make_member) -> Scenario:
        """The 广州 department's copy, cascaded to 天河区 (the subject lies in 广州, so the
        outsider of 英德 cannot see it)."""
        city = make_member("dept_leader", "440100000000", name="广州市委社会工作部")
        make_member("dept_staff", HOME_COUNTY, name="天河区委社会工作部")
        province = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
        directive = services.directive_issue(
            acting_user=province, title="全省任务", level=2, due_days=10, regions=["440100000000"]
        )
        target = DirectiveTarget.objects.unscoped(reason="test").get(
            directive=directive, unit=city.active_membership.organisation
        )
        services.target_acknowledge(target=target, acting_user=city)
        target.refresh_from_db()
        return Scenario(subject=target, actor=city, payload={"level": 3, "instructions": "抓落实"})


BUILDER = TargetBuilder()

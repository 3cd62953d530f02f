"""A meeting of the 五山街道 station (its worker organises it) with one invited account and a
raised item; the item's responsible unit is the 天河区 civil affairs bureau, whose member
answers."""

from __future__ import annotations

from datetime import date

from shegong.contact import services, workflow
from shegong.core.workflow import Transition
from shegong.petitions.selectors import leaf_categories
from tests.lifecycles import HOME_COUNTY, Scenario

STATION_REGION = "440106001000"  # 五山街道


def _meeting(make_member, *, held: bool):
    worker = make_member("station_worker", STATION_REGION, kind="sw_station", name="五山社工站")
    invitee = make_member("volunteer", STATION_REGION, kind="residents_committee")
    meeting = services.meeting_plan(
        acting_user=worker,
        kind="residents",
        title="居民代表议事会",
        held_on=date(2026, 12, 1),
        place="社工站",
    )
    invitation = services.invitation_add(
        meeting=meeting, acting_user=worker, kind="account", reference=invitee
    )
    if held:
        services.meeting_hold(meeting=meeting, acting_user=worker)
    return meeting, invitation, worker


class MeetingBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        source = transition.sources[0]
        meeting, _, worker = _meeting(make_member, held=source == workflow.HELD)
        payload = {
            "minutes": {"minutes": "会议纪要", "summary": "摘要"},
            "cancel": {"reason": "改期"},
        }.get(transition.name, {})
        return Scenario(subject=meeting, actor=worker, payload=payload)


class ItemBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        meeting, invitation, worker = _meeting(make_member, held=True)
        civil = make_member(
            "dept_staff",
            HOME_COUNTY,
            kind="gov_department",
            name="天河区民政局",
            sector="civil_affairs",
        )
        item = services.item_record(
            meeting=meeting, acting_user=worker, raiser=invitation, text="路灯损坏"
        )
        unit = civil.active_membership.organisation
        source = transition.sources[0]
        if source in (workflow.ASSIGNED, workflow.ANSWERED):
            services.item_assign(item=item, acting_user=worker, unit=unit)
            item.refresh_from_db()
        if source == workflow.ANSWERED:
            services.item_answer(item=item, acting_user=civil, answer="已维修")
            item.refresh_from_db()
        actor = civil if transition.actor == "unit" else worker
        payload = {
            "assign": {"unit": unit.pk, "due_days": 10},
            "answer": {"answer": "已安排维修"},
            "convert": {"kind": "dispute", "category": leaf_categories().first().pk},
        }.get(transition.name, {})
        return Scenario(subject=item, actor=actor, payload=payload)


class ContactBuilder:
    """One builder for the module's lifecycles (builder_for reads one `BUILDER` per module)."""

    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        if transition in workflow.ITEM.transitions:
            return ItemBuilder().scenario(transition, make_member=make_member)
        return MeetingBuilder().scenario(transition, make_member=make_member)


BUILDER = ContactBuilder()

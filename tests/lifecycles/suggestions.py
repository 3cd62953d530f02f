"""A suggestion submitted on the portal in 五山街道 (天河区); the 天河 department answers,
publishes or converts it."""

from __future__ import annotations

from shegong.core.workflow import Transition
from shegong.petitions.selectors import leaf_categories
from shegong.suggestions import services, workflow
from tests.lifecycles import HOME_COUNTY, Scenario


class SuggestionBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        staff = make_member(
            "dept_staff", HOME_COUNTY, kind="sw_department", name="天河区委社会工作部"
        )
        s = services.suggestion_submit(
            region_code="440106001000", text="小区车位太少，晚上停车难，乱停车堵住消防通道"
        )
        if transition.sources[0] == workflow.ANSWERED:
            services.suggestion_answer(suggestion=s, acting_user=staff, answer="已增划车位")
            s.refresh_from_db()
        payload = {
            "answer": {"answer": "已协调增划车位"},
            "convert": {"kind": "request", "category": leaf_categories().first().pk},
        }.get(transition.name, {})
        return Scenario(subject=s, actor=staff, payload=payload)


BUILDER = SuggestionBuilder()

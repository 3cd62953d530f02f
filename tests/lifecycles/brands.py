"""A brand of the 天河区 department applying for city recognition: the district department
recommends (or declines), Guangzhou's department awards."""

from __future__ import annotations

from datetime import date

from shegong.brands import services, workflow
from shegong.core.workflow import Transition
from tests.lifecycles import HOME_COUNTY, Scenario


class RecognitionBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        county = make_member("dept_staff", HOME_COUNTY, name="天河区委社会工作部")
        city = make_member("dept_leader", "440100000000", name="广州市委社会工作部")
        brand = services.brand_register(
            acting_user=county,
            name="红棉先锋",
            kind="party",
            owner=county.active_membership.organisation,
            description="党员志愿者带头探访",
            started_on=date(2024, 1, 1),
        )
        recognition = services.recognition_apply(
            acting_user=county, brand=brand, level="city", statement="申报市级品牌"
        )
        if transition.sources[0] == workflow.RECOMMENDED:
            services.recognition_recommend(recognition=recognition, acting_user=county)
        actor = city if transition.actor == "awarder" else county
        payload = {"decline": {"note": "服务时长不足"}}.get(transition.name, {"note": "同意"})
        return Scenario(subject=recognition, actor=actor, payload=payload)


BUILDER = RecognitionBuilder()

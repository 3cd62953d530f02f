"""A practice of the 天河区 department: it submits, Guangzhou's department reviews (recommends
or returns) and recommends upward, Guangdong's holds one Guangzhou already published."""

from __future__ import annotations

from shegong.core.workflow import Transition
from shegong.practices import services
from tests.lifecycles import HOME_COUNTY, Scenario


class PracticeBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        county = make_member("dept_staff", HOME_COUNTY, name="天河区委社会工作部")
        city = make_member("dept_leader", "440100000000", name="广州市委社会工作部")
        province = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
        practice = services.practice_create(
            acting_user=county,
            title="独居长者探访一体化",
            topic="elderly",
            problem="底数不清",
            actions="网格员发现、社工评估",
            results="探访全覆盖",
        )
        actor = county
        if transition.name != "submit":
            services.practice_submit(practice=practice, acting_user=county)
            actor = city
        if transition.name in ("escalate", "hold"):
            services.practice_recommend(practice=practice, acting_user=city)
        if transition.name == "hold":
            services.practice_escalate(practice=practice, acting_user=city)
            actor = province
        payload = {"return": {"note": "请补充数据"}}.get(transition.name, {"note": "同意"})
        return Scenario(subject=practice, actor=actor, payload=payload)


BUILDER = PracticeBuilder()

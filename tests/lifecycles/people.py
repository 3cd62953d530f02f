"""A home adaptation project (适老化改造) of a resident of 五山街道 (天河区), run by its station."""

from __future__ import annotations

from datetime import date

from shegong.core.workflow import Transition
from shegong.people import services, workflow
from shegong.people.models import Category
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Region
from tests.lifecycles import Scenario

TOWNSHIP = "440106001000"  # 五山街道, in HOME_COUNTY
VILLAGE = "440106001001"
STEPS = [workflow.SURVEY, workflow.DESIGN, workflow.CONSTRUCTION, workflow.INSPECTION]


class AdaptationBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        worker = make_member("station_worker", TOWNSHIP, kind="sw_station", name="五山街道社工站")
        resident = services.resident_create(
            acting_user=worker,
            name="梁伯",
            id_number=make_id_number("440106", date(1941, 5, 2), 9, "M"),
            region=Region.objects.get(code=VILLAGE),
            categories=[Category.objects.get(code="living_alone")],
            confirm_duplicates=True,
        )
        project = services.assistance_create(
            resident=resident,
            acting_user=worker,
            data={
                "kind": "adaptation",
                "description": "卫生间扶手与防滑地面",
                "amount": 3000,
                "given_on": date.today(),
            },
        )
        for _ in range(STEPS.index(transition.sources[0])):
            services.adaptation_advance(assistance=project, acting_user=worker)
        project.refresh_from_db()
        return Scenario(subject=project, actor=worker, payload={})


BUILDER = AdaptationBuilder()

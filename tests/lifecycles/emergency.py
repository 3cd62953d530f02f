"""An event declared by the 天河区 department over 五山街道 (one resident of a target group),
in its source state; the department's staff take the transitions."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from shegong.core.workflow import Transition
from shegong.emergency import services, workflow
from shegong.people.models import Category
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Region
from tests.lifecycles import HOME_COUNTY, Scenario


class EmergencyBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        from shegong.people import services as people

        staff = make_member("dept_staff", HOME_COUNTY, name="天河区委社会工作部")
        alone = Category.objects.get(code="living_alone")
        people.resident_create(
            acting_user=staff,
            name="独居老人",
            id_number=make_id_number("440106", date(1940, 1, 1), 1, "M"),
            region=Region.objects.get(code="440106001001"),
            categories=[alone],
            confirm_duplicates=True,
        )
        event = services.event_declare(
            acting_user=staff,
            kind="typhoon",
            title="台风排查",
            areas=[Region.objects.get(code="440106001000")],
            categories=[alone],
            starts_at=timezone.now(),
        )
        if transition.sources[0] == workflow.SWEEPING:
            services.event_start(event=event, acting_user=staff)
            event.refresh_from_db()
        payload = {"close": {"summary": "已解除"}}.get(transition.name, {})
        return Scenario(subject=event, actor=staff, payload=payload)


BUILDER = EmergencyBuilder()

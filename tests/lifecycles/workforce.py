"""External continuing-education hours of a 天河区 worker, decided by the county department."""

from __future__ import annotations

from datetime import date, timedelta

from shegong.core.workflow import Transition
from shegong.workforce import services
from tests.lifecycles import HOME_COUNTY, Scenario
from tests.workforce.helpers import make_worker


class WorkforceBuilder:
    def scenario(self, transition: Transition, *, make_member) -> Scenario:
        staff = make_member("dept_staff", HOME_COUNTY, name="天河区委社会工作部")
        worker = make_worker(staff)
        record = services.external_submit(
            worker=worker,
            acting_user=staff,
            title="广东省社会工作督导培训",
            provider="广东省社会工作师联合会",
            kind="theory",
            completed_on=date.today() - timedelta(days=10),
            hours="16",
            evidence="结业证书 GDSW-2026-0815",
        )
        payload = {"note": "证明材料不清晰"} if transition.name == "reject" else {}
        return Scenario(subject=record, actor=staff, payload=payload)


BUILDER = WorkforceBuilder()

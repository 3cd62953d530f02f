""" "My visits" runs its query from SQL compiled once per worker, jurisdiction and day
(`CompiledRows`): the rows are the ORM's, and changes to the data show on the next request."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shegong.core.prepared import CompiledRows
from shegong.people import selectors, services
from shegong.people.models import VisitPlan
from tests.people.test_services import HIGH

FIELDS = (
    "id",
    "resident_id",
    "region_code",
    "risk_level",
    "next_due_date",
    "last_visit_date",
    "event_note",
    "resident__name",
    "resident__address",
    "resident__latitude",
    "resident__longitude",
)


@pytest.mark.django_db
def test_compiled_rows_equal_the_orm_rows_value_for_value(station_worker, make_resident):
    for i in range(3):
        resident = make_resident(station_worker, latitude=f"23.1{i}", longitude="113.3")
        services.assessment_create(resident=resident, acting_user=station_worker, answers=HIGH)
    VisitPlan.objects.update(last_visit_date=date.today() - timedelta(days=3))

    def build():
        return selectors.my_visit_plans(fetched_by=station_worker).values_list(*FIELDS)[:10]

    compiled = CompiledRows()
    orm = list(build())
    got = compiled.rows(("key",), build)
    assert len(got) == 3 and got == orm
    assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in orm]

    # Run again without compiling: new data shows.
    VisitPlan.objects.update(event_note="出院")
    again = compiled.rows(("key",), lambda: pytest.fail("compiled twice for one key"))
    assert again == list(build())
    assert {row[FIELDS.index("event_note")] for row in again} == {"出院"}


@pytest.mark.django_db
def test_my_visits_follows_a_recorded_visit_after_the_page_was_shown(
    station_worker, make_resident, login
):
    resident = make_resident(station_worker)
    services.assessment_create(resident=resident, acting_user=station_worker, answers=HIGH)
    VisitPlan.objects.filter(resident=resident).update(next_due_date=date.today() - timedelta(3))
    client = login(station_worker)
    page = client.get("/people/visits/mine/")
    assert page.context["overdue"] == 1

    services.visit_record(
        resident=resident, acting_user=station_worker, visited_on=date.today(), mode="home"
    )
    page = client.get("/people/visits/mine/")
    assert page.context["overdue"] == 0
    assert (date.today() + timedelta(days=7)).isoformat() in page.content.decode()

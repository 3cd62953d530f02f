from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from shegong.core.models import AuditLog
from shegong.people import selectors, services
from shegong.people.models import Category, Resident, RiskLevel, VisitPlan
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Region
from tests.people.conftest import VILLAGE, VILLAGE2

HIGH = {
    "lives_alone": True,
    "health": "serious",
    "self_care": "partial",
    "income": "tight",
    "housing": "safe",
    "support": "none",
}
GENERAL = {
    "lives_alone": False,
    "health": "good",
    "self_care": "full",
    "income": "adequate",
    "housing": "safe",
    "support": "strong",
}


def _register(user, number, **kw):
    return services.resident_create(
        acting_user=user,
        name=kw.pop("name", "陈阿婆"),
        id_number=number,
        region=Region.objects.get(code=kw.pop("village", VILLAGE)),
        **kw,
    )


@pytest.mark.django_db
def test_registration_derives_sex_and_birth_and_refuses_a_second_registration(station_worker):
    number = make_id_number("440106", date(1941, 6, 2), 7, "F")
    resident = _register(station_worker, number, phone="13800000001")
    assert resident.sex == "F" and resident.birth_date == date(1941, 6, 2)
    assert resident.id_number_masked == number[:6] + "********" + number[-4:]
    assert resident.assigned_worker == station_worker
    with pytest.raises(ValidationError) as exc:
        _register(station_worker, number, name="陈阿婆二")
    assert "已登记" in str(exc.value.message_dict["id_number"])
    assert Resident.objects.count() == 1


@pytest.mark.django_db
def test_wrong_checksum_and_contradicting_birth_date_are_refused_with_clear_messages(
    station_worker,
):
    number = make_id_number("440106", date(1950, 1, 1), 3)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        _register(station_worker, wrong)
    assert "校验位" in exc.value.message_dict["id_number"][0]
    with pytest.raises(ValidationError) as exc:
        _register(station_worker, number, birth_date=date(1950, 1, 2))
    assert "出生日期与身份证号码不符" in exc.value.message_dict["birth_date"][0]
    with pytest.raises(ValidationError) as exc:
        _register(station_worker, number, sex="F")
    assert "性别" in exc.value.message_dict["sex"][0]


@pytest.mark.django_db
def test_likely_duplicates_are_shown_before_creating(station_worker):
    first = _register(
        station_worker, make_id_number("440106", date(1940, 5, 5), 1), phone="13912345678"
    )
    # Same name and birth date in the same county (a different ID number, e.g. a typo).
    with pytest.raises(services.PossibleDuplicates) as exc:
        _register(station_worker, make_id_number("440106", date(1940, 5, 5), 2))
    assert exc.value.candidates == [first]
    # A similar name with the same phone.
    with pytest.raises(services.PossibleDuplicates):
        _register(
            station_worker,
            make_id_number("440106", date(1960, 1, 1), 3),
            name="陈阿珍",
            phone="13912345678",
        )
    confirmed = _register(
        station_worker,
        make_id_number("440106", date(1960, 1, 1), 3),
        name="陈阿珍",
        phone="13912345678",
        confirm_duplicates=True,
    )
    assert confirmed.pk != first.pk


@pytest.mark.django_db
def test_high_risk_assessment_puts_the_first_visit_within_seven_days(station_worker, make_resident):
    resident = make_resident(station_worker)
    assessment = services.assessment_create(
        resident=resident, acting_user=station_worker, answers=HIGH
    )
    assert assessment.risk_level == RiskLevel.HIGH
    plan = VisitPlan.objects.get(resident=resident)
    assert plan.next_due_date <= date.today() + timedelta(days=7)
    mine = selectors.my_visits(fetched_by=station_worker)
    assert [p.resident_id for g in mine["groups"] for p in g.plans] == [resident.pk]


@pytest.mark.django_db
def test_recording_a_visit_moves_the_due_date_by_the_cadence(station_worker, make_resident):
    resident = make_resident(station_worker)
    services.assessment_create(resident=resident, acting_user=station_worker, answers=HIGH)
    visited = date.today() - timedelta(days=1)
    services.visit_record(
        resident=resident, acting_user=station_worker, visited_on=visited, mode="home"
    )
    plan = VisitPlan.objects.get(resident=resident)
    assert plan.next_due_date == visited + timedelta(days=7)
    assert plan.last_visit_date == visited
    with pytest.raises(ValidationError):
        services.visit_record(
            resident=resident,
            acting_user=station_worker,
            visited_on=date.today() + timedelta(days=1),
            mode="phone",
        )


@pytest.mark.django_db
def test_cadence_is_configurable_per_province(station_worker, make_resident, make_member):
    leader = make_member("dept_staff", "440000000000")
    services.cadence_set(
        province_code="44", risk_level="key", interval_days=14, event_hours=12, acting_user=leader
    )
    resident = make_resident(station_worker)
    answers = {**GENERAL, "health": "serious", "self_care": "partial"}
    services.assessment_create(resident=resident, acting_user=station_worker, answers=answers)
    plan = VisitPlan.objects.get(resident=resident)
    assert plan.risk_level == "key" and plan.interval_days == 14
    assert services.cadence_for("52", "key") == (30, 24)
    # one compiled statement answers every province, level and the national default
    assert services.cadence_for("44", "key") == (14, 12)
    assert services.cadence_for("", "key") == (30, 24)


@pytest.mark.django_db
def test_a_major_event_brings_the_visit_within_24_hours(station_worker, make_resident):
    resident = make_resident(station_worker)
    services.assessment_create(resident=resident, acting_user=station_worker, answers=GENERAL)
    assert VisitPlan.objects.get(resident=resident).next_due_date > date.today() + timedelta(30)
    plan = services.plan_record_event(
        resident=resident, event="discharge", acting_user=station_worker
    )
    assert plan.next_due_date == date.today() + timedelta(days=1)
    assert "出院" in plan.event_note


@pytest.mark.django_db
def test_overdue_visits_roll_up_to_township_and_county_with_the_monthly_rate(
    station_worker, make_resident
):
    today = date.today()
    late = make_resident(station_worker)
    visited = make_resident(station_worker, village=VILLAGE2)
    VisitPlan.objects.filter(resident=late).update(next_due_date=today - timedelta(days=3))
    VisitPlan.objects.filter(resident=visited).update(next_due_date=today)
    services.visit_record(
        resident=visited, acting_user=station_worker, visited_on=today, mode="home"
    )

    county = Region.objects.get(code="440106000000")
    rows, total = selectors.visit_rollup(region=county, today=today)
    wushan = next(r for r in rows if r.region.code == "440106001000")
    assert wushan.overdue == 1 and total.overdue == 1
    assert (total.due_month, total.visited_month, total.rate) == (2, 1, 50.0)
    township = Region.objects.get(code="440106001000")
    rows, _ = selectors.visit_rollup(region=township, today=today)
    by_village = {r.region.code: r for r in rows}
    assert by_village[VILLAGE].overdue == 1 and by_village[VILLAGE2].overdue == 0
    assert by_village[VILLAGE2].rate == 100.0
    mine = selectors.my_visits(fetched_by=station_worker)
    assert mine["overdue"] == 1


def test_visit_route_is_shorter_than_due_date_order():
    class R:
        def __init__(self, lat, lon):
            self.latitude, self.longitude, self.address = lat, lon, ""

    class P:
        def __init__(self, lat, lon):
            self.resident = R(lat, lon)

    # Points along a line, given in a zig-zag order.
    plans = [
        P(23.10, 113.30),
        P(23.14, 113.30),
        P(23.11, 113.30),
        P(23.13, 113.30),
        P(23.12, 113.30),
    ]
    route = selectors.visit_route(plans, start=(23.10, 113.30))
    lats = [p.resident.latitude for p in route]
    assert lats == sorted(lats)

    def point(p):
        return (p.resident.latitude, p.resident.longitude)

    assert selectors.route_length(route, point) < selectors.route_length(plans, point)


@pytest.mark.django_db
def test_id_number_is_encrypted_at_rest_found_by_lookup_and_reveal_is_audited(
    station_worker, make_member
):
    number = make_id_number("440106", date(1938, 12, 1), 11)
    resident = _register(station_worker, number)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number_encrypted, id_number_hash, id_number_masked FROM people_resident"
            " WHERE id = %s",
            [resident.pk],
        )
        row = cursor.fetchone()
        cursor.execute("SELECT * FROM people_historicalresident")
        history_rows = cursor.fetchall()
    assert all(number not in str(col) for col in row)
    assert all(number not in str(r) for r in history_rows)
    assert selectors.resident_by_id_number(fetched_by=station_worker, number=number) == resident
    other = make_member("dept_staff", "441881000000")
    assert selectors.resident_by_id_number(fetched_by=other, number=number) is None

    from shegong.core.crypto import reveal

    assert reveal(user=station_worker, obj=resident) == number
    log = AuditLog.objects.get(action=AuditLog.Action.REVEAL)
    assert log.actor == station_worker and log.object_id == str(resident.pk)
    assert log.at is not None


@pytest.mark.django_db
def test_merge_moves_visits_categories_and_history_and_is_audited(station_worker, make_member):
    supervisor = make_member("supervisor", "440106001000", kind="sw_station")
    keep = _register(
        station_worker,
        make_id_number("440106", date(1944, 4, 4), 1),
        categories=[Category.objects.get(code="living_alone")],
    )
    dup = _register(
        station_worker,
        make_id_number("440106", date(1944, 4, 4), 2),
        categories=[Category.objects.get(code="dibao")],
        confirm_duplicates=True,
    )
    services.visit_record(
        resident=dup, acting_user=station_worker, visited_on=date.today(), mode="phone"
    )
    services.resident_merge(keep=keep, remove=dup, acting_user=supervisor)
    dup.refresh_from_db()
    assert dup.status == "merged" and dup.merged_into == keep
    assert keep.visits.count() == 1
    assert set(keep.categories.values_list("code", flat=True)) == {"living_alone", "dibao"}
    assert AuditLog.objects.filter(action=AuditLog.Action.MERGE, object_id=str(keep.pk)).exists()
    assert keep.history.filter(history_change_reason__contains=str(dup.pk)).exists()


@pytest.mark.django_db
def test_children_and_health_are_hidden_from_roles_that_do_not_need_them(
    station_worker, county_user, make_resident
):
    child = make_resident(
        station_worker, birth=date.today().replace(year=date.today().year - 8), name="小明"
    )
    adult = make_resident(station_worker, name="王伯")
    assert set(selectors.resident_list(fetched_by=station_worker)) == {child, adult}
    assert list(selectors.resident_list(fetched_by=county_user)) == [adult]


@pytest.mark.django_db
def test_finding_for_gives_other_apps_the_visit_finding_in_scope(
    station_worker, make_resident, make_member
):
    resident = make_resident(station_worker)
    visit = services.visit_record(
        resident=resident,
        acting_user=station_worker,
        visited_on=date.today(),
        mode="home",
        finding_safety="与邻居因漏水发生争执",
    )
    found = selectors.finding_for(fetched_by=station_worker, ref=f"visit:{visit.pk}")
    assert "漏水" in found["request"] and found["region"] == VILLAGE
    outsider = make_member("station_worker", "441881001000", kind="sw_station")
    assert selectors.finding_for(fetched_by=outsider, ref=f"visit:{visit.pk}") is None

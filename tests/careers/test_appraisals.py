"""Done-when 4: an appraisal computed from real visits and matters matches a hand count, and
the cap on "excellent" is respected (with a clear message when exceeded)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.careers import services
from shegong.careers.models import Appraisal, Grade
from shegong.people import services as people_services
from shegong.people.models import Category, Visit
from shegong.people.synthetic import make_id_number
from shegong.petitions import services as petition_services
from shegong.petitions.models import Category as MatterCategory
from shegong.petitions.models import Matter
from shegong.regions.models import Region
from tests.careers.conftest import STATION_TOWNSHIP
from tests.careers.factories import make_worker

VILLAGE = "440106001001"


def _resident(user, n):
    return people_services.resident_create(
        acting_user=user,
        name=f"测试老人{n}",
        id_number=make_id_number("440106", date(1945, 3, 8), n, "M"),
        region=Region.objects.get(code=VILLAGE),
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
    )


@pytest.fixture
def setting(make_member):
    leader = make_member("dept_leader", "440106000000", name="天河区委社会工作部")
    worker_user = make_member(
        "station_worker", STATION_TOWNSHIP, kind="sw_station", name="五山街道社工站"
    )
    station = worker_user.active_membership.organisation
    worker = make_worker(station, name="李社工", user=worker_user)
    return leader, worker_user, worker, station


@pytest.mark.django_db
def test_appraisal_counts_real_visits_and_matters(setting):
    leader, worker_user, worker, station = setting
    today = timezone.localdate()
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    residents = [_resident(worker_user, n) for n in range(1, 4)]
    # Visits this worker recorded: 2 + 1 + 0 inside the period, one the year before.
    for resident, days in ((residents[0], (1, 2)), (residents[1], (3,))):
        for d in days:
            people_services.visit_record(
                resident=resident,
                acting_user=worker_user,
                visited_on=max(today - timedelta(days=d), start),
                mode="home",
            )
    people_services.visit_record(
        resident=residents[2],
        acting_user=worker_user,
        visited_on=date(today.year - 1, 12, 30),
        mode="phone",
    )
    # Matters this worker registered (a step by them, today): 3; one replied on time and
    # rated satisfied, one rated dissatisfied, one still open.
    wages = MatterCategory.objects.get(code="labour.wages")
    matters = [
        petition_services.matter_register(
            acting_user=worker_user,
            kind="complaint",
            channel="visit",
            region_code=STATION_TOWNSHIP,
            category=wages,
            title=f"拖欠工资{n}",
            request="请求督促某公司支付拖欠的工资",
            petitioners=[{"name": "张建国", "phone": "13800138000"}],
        )
        for n in range(3)
    ]
    Matter.objects.filter(pk=matters[0].pk).update(replied_on_time=True, rating="satisfied")
    Matter.objects.filter(pk=matters[1].pk).update(replied_on_time=False, rating="dissatisfied")

    services.scheme_create(acting_user=leader, name="天河区社工年度考核")
    scheme = leader_scheme(leader)
    assert (
        services.appraisal_run(
            acting_user=leader, scheme=scheme, period=str(today.year), start=start, end=end
        )
        == 1
    )
    a = Appraisal.objects.get(worker=worker)
    # The computed row is in its history, by the leader who ran it; a second run is too.
    assert list(a.history.values_list("history_type", "history_user")) == [("+", leader.pk)]
    services.appraisal_run(
        acting_user=leader, scheme=scheme, period=str(today.year), start=start, end=end
    )
    assert a.history.count() == 2 and a.history.first().history_type == "~"

    # Hand count.
    done = Visit.objects.filter(
        visited_by=worker_user, visited_on__gte=start, visited_on__lte=end
    ).count()
    assert done == 3 == a.visits_done
    days = (end - start).days + 1
    plans = list(worker_user.visit_plans.filter(is_active=True))
    assert len(plans) == 3
    assert a.visits_planned == sum(days // p.interval_days for p in plans)
    assert (a.matters_handled, a.matters_on_time, a.matters_rated, a.matters_satisfied) == (
        3, 1, 2, 1,
    )  # fmt: skip
    assert (a.cases_opened, a.cases_closed, a.activities_organised) == (0, 0, 0)

    # Score by hand with the default weights (20/15/15/10/10/10/20), no supervisor score yet.
    visits = 100 * min(3 / a.visits_planned, 1)
    expected = (20 * visits + 15 * 0 + 15 * (100 / 3) + 10 * 50 + 10 * 0 + 10 * 0 + 20 * 0) / 100
    assert float(a.score) == pytest.approx(round(expected, 1), abs=0.05)

    services.appraisal_review(
        acting_user=leader, appraisal=a, supervisor_score=90, training_hours=30, comment="认真"
    )
    a.refresh_from_db()
    expected += (20 * 90 + 10 * 100) / 100
    assert float(a.score) == pytest.approx(round(expected, 1), abs=0.05)
    # The supervisor's score and comment are in the history.
    assert a.history.filter(supervisor_comment="认真").exists()


def leader_scheme(leader):
    from shegong.careers.models import AppraisalScheme

    return AppraisalScheme.objects.visible_to(leader).get()


@pytest.mark.django_db
def test_excellent_is_capped(make_member):
    leader = make_member("dept_leader", "440106000000", name="天河区委社会工作部")
    station = make_member(
        "station_worker", STATION_TOWNSHIP, kind="sw_station", name="五山街道社工站"
    ).active_membership.organisation
    for n in range(11):
        make_worker(station, name=f"社工{n}")
    services.scheme_create(acting_user=leader, name="年度考核", excellent_cap_percent=20)
    scheme = leader_scheme(leader)
    services.appraisal_run(
        acting_user=leader,
        scheme=scheme,
        period="2026",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    rows = list(Appraisal.objects.filter(scheme=scheme).order_by("id"))
    assert len(rows) == 11
    # 20 % of 11 → at most 2 (rounded down).
    for a in rows[:2]:
        services.appraisal_grade(acting_user=leader, appraisal=a, grade=Grade.EXCELLENT)
    with pytest.raises(ValidationError) as refused:
        services.appraisal_grade(acting_user=leader, appraisal=rows[2], grade=Grade.EXCELLENT)
    message = refused.value.message_dict["grade"][0]
    assert "11" in message and "20%" in message and "最多 2 人" in message
    assert Appraisal.objects.filter(scheme=scheme, grade=Grade.EXCELLENT).count() == 2
    # Other grades are not capped; regrading one excellent frees a place.
    services.appraisal_grade(acting_user=leader, appraisal=rows[2], grade=Grade.COMPETENT)
    services.appraisal_grade(acting_user=leader, appraisal=rows[0], grade=Grade.COMPETENT)
    services.appraisal_grade(acting_user=leader, appraisal=rows[2], grade=Grade.EXCELLENT)
    assert Appraisal.objects.filter(scheme=scheme, grade=Grade.EXCELLENT).count() == 2


@pytest.mark.django_db
def test_cap_message_on_the_page(make_member, client, login):
    leader = make_member("dept_leader", "440106000000", name="天河区委社会工作部")
    station = make_member(
        "station_worker", STATION_TOWNSHIP, kind="sw_station", name="五山街道社工站"
    ).active_membership.organisation
    for n in range(3):
        make_worker(station, name=f"社工{n}")
    services.scheme_create(acting_user=leader, name="年度考核")
    scheme = leader_scheme(leader)
    services.appraisal_run(
        acting_user=leader,
        scheme=scheme,
        period="2026",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    a = Appraisal.objects.filter(scheme=scheme).first()
    login(leader)
    response = client.post(f"/careers/appraisals/{a.pk}/", {"do": "grade", "grade": "excellent"})
    assert response.status_code == 422
    assert "“优秀”等次已达上限" in response.content.decode()

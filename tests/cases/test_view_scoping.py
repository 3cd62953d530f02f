"""The case pages read through selectors that keep to the user's jurisdiction: referral targets
stay inside the case's city, tasks and reviews of another county's case are not found."""

from datetime import date, timedelta

import pytest

from shegong.cases import selectors, services
from shegong.cases.models import Referral, Review, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(station_worker):
    return station_worker.active_membership.organisation


@pytest.fixture
def supervisor(station):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(organisation=station, role="supervisor")
    user = membership.user
    user.active_membership = membership
    return user


@pytest.fixture
def case(station_worker, supervisor, make_resident):
    resident = make_resident(station_worker)
    return services.case_open(
        acting_user=station_worker, resident=resident, title="独居老人照护", source="self"
    )


@pytest.fixture
def yingde_worker(make_member):
    return make_member("station_worker", "441881001000", kind="sw_station", name="英城街道社工站")


@pytest.fixture
def yingde_supervisor(yingde_worker):
    from tests.factories import MembershipFactory

    org = yingde_worker.active_membership.organisation
    membership = MembershipFactory(organisation=org, role="supervisor")
    user = membership.user
    user.active_membership = membership
    return user


def _org(**fields):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(**fields)


def test_referral_choices_are_the_organisations_of_the_case_city(login, station_worker, case):
    same_county = _org(name="天河区康复医院", kind="hospital", region_id="440106000000")
    same_city = _org(name="越秀区社工服务中心", kind="sw_organisation", region_id="440104000000")
    other_city = _org(name="英德市人民医院", kind="hospital", region_id="441881000000")
    page = login(station_worker).get(f"/cases/{case.pk}/").content.decode()
    assert same_county.name in page and same_city.name in page
    assert other_city.name not in page
    assert set(selectors.referral_targets(case=case)) >= {same_county, same_city}
    assert other_city not in selectors.referral_targets(case=case)
    assert case.organisation not in selectors.referral_targets(case=case)


def test_a_referral_outside_the_city_is_refused(login, station_worker, case):
    other_city = _org(name="英德市人民医院", kind="hospital", region_id="441881000000")
    client = login(station_worker)
    response = client.post(
        f"/cases/{case.pk}/refer/",
        {"to_organisation": other_city.pk, "reason": "需要专业康复治疗"},
        follow=True,
    )
    assert "只能转介给本市（州）范围内的其他机构" in response.content.decode()
    assert not Referral.objects.filter(case=case).exists()


def test_a_referral_to_another_county_of_the_city_is_allowed(
    login, station_worker, case, consent_to_sharing
):
    same_city = _org(name="越秀区社工服务中心", kind="sw_organisation", region_id="440104000000")
    consent_to_sharing(case.resident)
    response = login(station_worker).post(
        f"/cases/{case.pk}/refer/", {"to_organisation": same_city.pk, "reason": "搬迁到越秀区"}
    )
    assert response.status_code == 302
    assert Referral.objects.get(case=case).to_organisation == same_city


def test_task_done_on_another_county_case_is_not_found(login, station_worker, yingde_worker, case):
    task = services.task_add(
        case=case,
        acting_user=station_worker,
        title="联系助餐点",
        owner=station_worker,
        due_date=date.today() + timedelta(3),
    )
    assert login(yingde_worker).post(f"/cases/tasks/{task.pk}/done/").status_code == 404
    assert Task.objects.get(pk=task.pk).done_on is None
    # the same request from the holding station works (the 404 is about scope, not the URL)
    assert login(station_worker).post(f"/cases/tasks/{task.pk}/done/").status_code == 302
    assert Task.objects.get(pk=task.pk).done_on == date.today()


def test_task_lookup_is_one_query(station_worker, case, django_assert_num_queries):
    task = services.task_add(
        case=case,
        acting_user=station_worker,
        title="联系助餐点",
        owner=station_worker,
        due_date=date.today() + timedelta(3),
    )
    with django_assert_num_queries(1):
        found = selectors.get_task_to_act_on(fetched_by=station_worker, pk=task.pk)
        assert found.case.pk == case.pk


def test_review_decide_on_another_county_case_is_not_found(
    login, station_worker, supervisor, yingde_supervisor, case
):
    services.case_transition(case=case, to_status="assessment", acting_user=station_worker)
    services.case_transition(
        case=case, to_status="planning", acting_user=station_worker, note="需要日间照料和心理支持"
    )
    services.goal_add(case=case, acting_user=station_worker, text="每周两次上门照料")
    review = services.review_request(case=case, kind="plan", acting_user=station_worker)
    response = login(yingde_supervisor).post(
        f"/cases/reviews/{review.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 404
    assert Review.objects.get(pk=review.pk).decision == "pending"
    response = login(supervisor).post(f"/cases/reviews/{review.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).decision == "approved"

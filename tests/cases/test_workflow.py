from datetime import date, timedelta

import pytest

from shegong.cases import selectors, services
from shegong.cases.models import Case
from shegong.cases.workflow import TRANSITIONS, Status
from shegong.core.errors import ApplicationError


@pytest.fixture
def station(station_worker):
    return station_worker.active_membership.organisation


@pytest.fixture
def supervisor(make_member, station):
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


def test_every_declared_target_is_a_known_status():
    for source, targets in TRANSITIONS.items():
        assert source in Status.values
        assert set(targets) <= set(Status.values)


@pytest.mark.django_db
def test_full_lifecycle_with_supervisor_reviews(case, station_worker, supervisor):
    assert case.supervisor == supervisor
    w = station_worker
    services.case_transition(case=case, to_status="assessment", acting_user=w)
    services.case_transition(
        case=case, to_status="planning", acting_user=w, note="需要日间照料和心理支持"
    )
    case.refresh_from_db()
    with pytest.raises(ApplicationError, match="至少需要一个服务目标"):
        services.case_transition(case=case, to_status="intervention", acting_user=w)
    goal = services.goal_add(case=case, acting_user=w, text="每周两次上门照料")
    services.task_add(
        case=case,
        acting_user=w,
        title="联系助餐点",
        owner=w,
        due_date=date.today() + timedelta(3),
        goal=goal,
    )
    with pytest.raises(ApplicationError, match="督导审核"):
        services.case_transition(case=case, to_status="intervention", acting_user=w)
    review = services.review_request(case=case, kind="plan", acting_user=w)
    services.review_decide(review=review, acting_user=supervisor, approve=True)
    services.case_transition(case=case, to_status="intervention", acting_user=w)
    services.record_add(
        case=case, acting_user=w, served_on=date.today(), kind="home", content="上门探访并协助购物"
    )
    services.case_transition(case=case, to_status="evaluation", acting_user=w)
    with pytest.raises(ApplicationError, match="督导审核"):
        services.case_transition(case=case, to_status="closed", acting_user=w, note="目标达成")
    review = services.review_request(
        case=case, kind="closure", acting_user=w, closure_reason="目标达成"
    )
    services.review_decide(review=review, acting_user=supervisor, approve=True)
    case = services.case_transition(case=case, to_status="closed", acting_user=w)
    assert case.status == "closed" and case.closure_reason == "目标达成"
    assert case.closed_on == date.today()
    log = list(case.transitions.values_list("from_status", "to_status", "by"))
    assert [t[1] for t in log] == [
        "intake",
        "assessment",
        "planning",
        "intervention",
        "evaluation",
        "closed",
    ]
    assert all(t[2] == w.pk for t in log)
    reopened = services.case_transition(
        case=case, to_status="assessment", acting_user=w, note="病情反复"
    )
    assert reopened.status == "assessment" and reopened.closed_on is None


@pytest.mark.django_db
def test_a_forbidden_transition_is_refused_with_a_reason(case, station_worker):
    with pytest.raises(ApplicationError) as exc:
        services.case_transition(case=case, to_status="intervention", acting_user=station_worker)
    assert "不能从「接案」直接转到「服务介入」" in exc.value.message
    case.refresh_from_db()
    assert case.status == "intake"


@pytest.mark.django_db
def test_referral_accepted_moves_the_case_to_the_receiving_organisation(
    case, station_worker, make_member, consent_to_sharing
):
    hospital_staff = make_member(
        "org_staff", "440106000000", kind="hospital", name="天河区人民医院"
    )
    hospital = hospital_staff.active_membership.organisation
    assert case in selectors.case_list(fetched_by=station_worker)
    consent_to_sharing(case.resident)
    referral = services.referral_create(
        case=case, acting_user=station_worker, to_organisation=hospital, reason="需住院康复治疗"
    )
    assert list(selectors.referral_inbox(fetched_by=hospital_staff)) == [referral]
    assert (
        selectors.get_case_for(fetched_by=hospital_staff, pk=case.pk) == case
    )  # may read what is offered
    assert case not in selectors.case_list(fetched_by=hospital_staff)
    with pytest.raises(ApplicationError):
        services.referral_respond(referral=referral, acting_user=station_worker, accept=True)
    services.referral_respond(
        referral=referral, acting_user=hospital_staff, accept=True, reason="已安排床位"
    )
    case.refresh_from_db()
    assert case.organisation == hospital and case.region_code == hospital.region_id
    assert case in selectors.case_list(fetched_by=hospital_staff)
    assert case not in selectors.case_list(fetched_by=station_worker)


@pytest.mark.django_db
def test_declined_referral_needs_a_reason_and_keeps_the_case(case, station_worker, make_member):
    other = make_member("station_worker", "440106002000", kind="sw_station", name="员村街道社工站")
    referral = services.referral_create(
        case=case,
        acting_user=station_worker,
        to_organisation=other.active_membership.organisation,
        reason="搬迁",
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.referral_respond(referral=referral, acting_user=other, accept=False)
    services.referral_respond(
        referral=referral, acting_user=other, accept=False, reason="不在服务范围"
    )
    case.refresh_from_db()
    assert case.organisation == station_worker.active_membership.organisation
    assert Case.objects.get(pk=case.pk) in selectors.case_list(fetched_by=station_worker)


@pytest.mark.django_db
def test_overdue_tasks_and_reviews_show_for_owner_and_supervisor(case, station_worker, supervisor):
    services.case_transition(case=case, to_status="assessment", acting_user=station_worker)
    services.case_transition(
        case=case, to_status="planning", acting_user=station_worker, note="评估"
    )
    task = services.task_add(
        case=case,
        acting_user=station_worker,
        title="申请临时救助",
        owner=station_worker,
        due_date=date.today() - timedelta(days=2),
    )
    services.goal_add(case=case, acting_user=station_worker, text="解决基本生活")
    review = services.review_request(case=case, kind="plan", acting_user=station_worker)
    review.due_date = date.today() - timedelta(days=1)
    review.save()
    assert list(selectors.overdue_tasks(fetched_by=station_worker)) == [task]
    assert list(selectors.overdue_tasks(fetched_by=supervisor)) == [task]
    assert list(selectors.overdue_reviews(fetched_by=supervisor)) == [review]


@pytest.mark.django_db
def test_case_from_visit_finding_links_back(station_worker, make_resident):
    from shegong.people import services as people_services

    resident = make_resident(station_worker)
    visit = people_services.visit_record(
        resident=resident,
        acting_user=station_worker,
        visited_on=date.today(),
        mode="home",
        needs="老人独自在家跌倒过，需要安装紧急呼叫设备",
    )
    case = services.case_from_visit(visit=visit, acting_user=station_worker)
    assert case.source == "visit" and case.source_visit == visit
    assert "紧急呼叫" in case.problem
    assert services.case_from_visit(visit=visit, acting_user=station_worker) == case

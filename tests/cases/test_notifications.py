"""A referral notifies the receiving organisation's staff, and a review request the supervisor,
at once (the inbox)."""

import pytest

from shegong.cases import services
from shegong.inbox.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(station_worker, make_member, make_resident):
    from tests.factories import MembershipFactory

    station = station_worker.active_membership.organisation
    supervisor = MembershipFactory(organisation=station, role="supervisor").user
    resident = make_resident(station_worker)
    case = services.case_open(
        acting_user=station_worker, resident=resident, title="独居老人照护", source="self"
    )
    return case, supervisor


def test_a_review_request_notifies_the_supervisor(case, station_worker):
    case, supervisor = case
    services.case_transition(case=case, to_status="assessment", acting_user=station_worker)
    services.case_transition(
        case=case, to_status="planning", acting_user=station_worker, note="需要日间照料和心理支持"
    )
    case.refresh_from_db()
    services.goal_add(case=case, acting_user=station_worker, text="每周两次上门")
    review = services.review_request(case=case, kind="plan", acting_user=station_worker)
    notice = Notification.objects.get(recipient=supervisor, kind="review_requested")
    assert notice.title == (
        f"个案 {case.number} 提交了督导审核（服务计划审核），请于 {review.due_date.isoformat()} 前审核"
    )
    assert notice.url == f"/cases/{case.pk}/"


def test_a_referral_notifies_who_may_answer_it(
    case, station_worker, make_member, consent_to_sharing
):
    case, _supervisor = case
    consent_to_sharing(case.resident)
    staff = make_member("org_staff", "440106000000", kind="hospital", name="天河区人民医院")
    hospital = staff.active_membership.organisation
    services.referral_create(
        case=case, acting_user=station_worker, to_organisation=hospital, reason="需住院康复治疗"
    )
    notice = Notification.objects.get(kind="case_referred")
    assert notice.recipient == staff
    assert notice.title == f"个案 {case.number} 转介至本机构，待接收：需住院康复治疗"

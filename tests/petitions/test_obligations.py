"""Every dated obligation of petitions (objection, follow-up, 12345 hotline limit, mediation,
court confirmation, dissatisfied-rating review and the handling deadline) is provisional while
its year's holiday schedule is not loaded, and loading the schedule recomputes all of them in one
set-based pass (workdays.obligations)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.core.errors import ApplicationError
from shegong.inbox.models import Notification
from shegong.inbox.services import notify_due
from shegong.petitions import selectors, services
from shegong.petitions.models import (
    Assignment,
    Category,
    Matter,
    Mediation,
    MediationAgreement,
    RatingReview,
)
from shegong.workdays import obligations
from shegong.workdays.calendar import WorkCalendar
from shegong.workdays.services import parse_days, schedule_load
from tests.petitions.conftest import TIANHE_STREET

CHRISTMAS = date(2026, 12, 25)  # a Friday; 2027's schedule is not loaded yet
# A 2027 schedule for the test (the real one is not published yet): New Year's Day on a Friday
# and three days in late January.
HOLIDAYS_2027 = "2027-01-01 元旦\n2027-01-25..2027-01-27 假设的假日"


def load_2027():
    return schedule_load(
        year=2027,
        holidays=parse_days(HOLIDAYS_2027, year=2027, field="holidays"),
        workdays={},
    )


@pytest.fixture
def today_is(monkeypatch):
    """`today_is(day)`: every `timezone.localdate()` (the services' today) returns `day`."""
    real = timezone.localdate

    def set_day(day: date):
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, timezone=None: day if value is None else real(value, timezone),
        )

    return set_day


@pytest.fixture
def committee_and_mediator(make_member):
    from tests.factories import OrganisationFactory

    committee = OrganisationFactory(
        name="天河区人民调解委员会", kind="mediation_committee", region_id="440106000000"
    )
    mediator = make_member("mediator", "440106000000", kind="mediation_committee")
    mediator.active_membership.organisation = committee
    mediator.active_membership.save()
    return committee, mediator


@pytest.fixture
def world(today_is, register, hr_dept, hr_user, county_user, committee_and_mediator):
    """On Friday 2026-12-25: a 12345 work order routed to a unit (objection window open), a
    dispute in mediation concluded with an agreement, a closed matter rated dissatisfied."""
    today_is(CHRISTMAS)
    hotline = register(channel="hotline", urgency="normal")
    services.matter_route(matter=hotline, organisation=hr_dept, acting_user=county_user)

    committee, mediator = committee_and_mediator
    dispute = services.matter_register(
        acting_user=county_user,
        kind="dispute",
        channel="fax",
        region_code=TIANHE_STREET,
        category=Category.objects.get(code="neighbour.adjacent"),
        title="楼上漏水",
        request="楼上漏水导致天花板损坏，请求赔偿",
        petitioners=[{"name": "周明", "phone": "13800001111"}],
    )
    services.matter_route(matter=dispute, organisation=committee, acting_user=county_user)
    services.matter_accept(matter=dispute, acting_user=mediator)
    mediation = services.mediation_start(
        matter=dispute, acting_user=mediator, committee=committee, mediators="黄调解"
    )
    pending = _second_mediation(county_user, committee, mediator)
    _both_consent(mediation, mediator)
    services.mediation_conclude(
        mediation=mediation,
        acting_user=mediator,
        outcome="agreement",
        agreement={
            "parties": "周明\n吴芳",
            "facts": "卫生间漏水",
            "disputed_points": "赔偿数额",
            "terms": "周明赔偿三千二百元",
            "performance_manner": "银行转账",
            "performance_deadline": CHRISTMAS + timedelta(days=20),
        },
    )

    closed = register(
        request="小区电梯长期停运请求维修", petitioners=[{"name": "赵六", "phone": "13600136000"}]
    )
    services.matter_route(matter=closed, organisation=hr_dept, acting_user=county_user)
    services.matter_accept(matter=closed, acting_user=hr_user)
    services.matter_reply(matter=closed, acting_user=hr_user, reply_kind="support", text="已维修")
    services.matter_close(matter=closed, acting_user=hr_user)
    services.matter_rate_public(matter=closed, rating="dissatisfied", comment="没修好")
    return {
        "hotline": hotline,
        "mediation": pending,
        "agreement": mediation.agreement,
        "closed": closed,
        "mediator": mediator,
        "committee": committee,
    }


def _both_consent(mediation: Mediation, mediator) -> None:
    """Both parties' willingness, which an agreement needs (人民调解法 Art. 17)."""
    for side, party in (("applicant", "周明"), ("other", "吴芳")):
        services.mediation_record_consent(
            mediation=mediation,
            acting_user=mediator,
            side=side,
            party=party,
            decision="consent",
            given_on=mediation.started_on,
            method="written",
        )


def _second_mediation(county_user, committee, mediator) -> Mediation:
    matter = services.matter_register(
        acting_user=county_user,
        kind="dispute",
        channel="visit",
        region_code=TIANHE_STREET,
        category=Category.objects.get(code="neighbour.adjacent"),
        title="噪音",
        request="楼上装修噪音扰民",
        petitioners=[{"name": "钱八", "phone": "13900139000"}],
    )
    services.matter_route(matter=matter, organisation=committee, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=mediator)
    return services.mediation_start(
        matter=matter, acting_user=mediator, committee=committee, mediators="黄调解"
    )


def _dates(world) -> dict[str, tuple[date | None, bool]]:
    hotline = Matter.objects.get(pk=world["hotline"].pk)
    closed = Matter.objects.get(pk=world["closed"].pk)
    assignment = Assignment.objects.get(matter=hotline)
    mediation = Mediation.objects.get(pk=world["mediation"].pk)
    agreement = MediationAgreement.objects.get(pk=world["agreement"].pk)
    review = RatingReview.objects.unscoped(reason="test").get(matter=closed)
    return {
        "objection": (hotline.objection_due, hotline.objection_due_provisional),
        "assignment": (assignment.objection_due, assignment.objection_due_provisional),
        "hotline": (hotline.hotline_due, hotline.hotline_due_provisional),
        "handling": (hotline.due_date, hotline.due_provisional),
        "followup": (closed.followup_due, closed.followup_due_provisional),
        "mediation": (mediation.due_date, mediation.due_provisional),
        "confirmation": (
            agreement.confirmation_deadline,
            agreement.confirmation_deadline_provisional,
        ),
        "review": (review.due_date, review.due_provisional),
    }


def test_every_dated_obligation_in_2027_is_provisional_and_recomputed_on_loading_2027(world):
    before = _dates(world)
    assert before == {
        # 5 working days from Friday 12-25 (weekends only): 28, 29, 30, 31, 1 January.
        "objection": (date(2027, 1, 1), True),
        "assignment": (date(2027, 1, 1), True),
        # 13 working days (12345, ordinary urgency).
        "hotline": (date(2027, 1, 13), True),
        # accept within 15 days of the assignment: 2027-01-09 is a Saturday → Monday.
        "handling": (date(2027, 1, 11), True),
        # 7 days after closing: Friday 2027-01-01.
        "followup": (date(2027, 1, 1), True),
        # 30 days: Sunday 2027-01-24 → Monday 25.
        "mediation": (date(2027, 1, 25), True),
        "confirmation": (date(2027, 1, 25), True),
        # 5 working days.
        "review": (date(2027, 1, 1), True),
    }
    load_2027()
    assert _dates(world) == {
        "objection": (date(2027, 1, 4), False),
        "assignment": (date(2027, 1, 4), False),
        "hotline": (date(2027, 1, 14), False),
        "handling": (date(2027, 1, 11), False),
        "followup": (date(2027, 1, 4), False),
        "mediation": (date(2027, 1, 28), False),
        "confirmation": (date(2027, 1, 28), False),
        "review": (date(2027, 1, 4), False),
    }


def test_a_deadline_inside_a_loaded_year_is_not_provisional(today_is, register):
    today_is(date(2026, 12, 1))
    urgent = register(channel="hotline", urgency="urgent")
    critical = register(
        channel="hotline",
        urgency="critical",
        request="燃气泄漏请立即处理",
        petitioners=[{"name": "孙九", "phone": "13700137000"}],
    )
    assert (urgent.hotline_due, urgent.hotline_due_provisional) == (date(2026, 12, 4), False)
    assert (critical.hotline_due, critical.hotline_due_provisional) == (date(2026, 12, 1), False)
    other = register(
        channel="visit", request="路灯不亮", petitioners=[{"name": "周十", "phone": "13100131000"}]
    )
    assert other.hotline_due is None  # only hotline work orders have the 12345 limit


def _grow(world, n: int) -> None:
    """`n` more rows of every obligation, each started on another day, all provisional."""
    hotline = Matter.objects.get(pk=world["hotline"].pk)
    closed = Matter.objects.get(pk=world["closed"].pk)
    mediation = Mediation.objects.get(pk=world["mediation"].pk)
    agreement = MediationAgreement.objects.get(pk=world["agreement"].pk)
    start = Matter.objects.count()
    matters, closeds = [], []
    for i in range(n):
        day = CHRISTMAS - timedelta(days=i % 20)
        m = Matter.objects.get(pk=hotline.pk)
        m.pk, m.number = None, f"T{start + i:010d}"
        m.assigned_on = m.received_on = m.due_from = day
        matters.append(m)
        c = Matter.objects.get(pk=closed.pk)
        c.pk, c.number, c.closed_on = None, f"C{start + i:010d}", day
        closeds.append(c)
    Matter.objects.bulk_create(matters + closeds)
    Assignment.objects.bulk_create(
        [
            Assignment(
                matter=m,
                organisation_id=hotline.handling_org_id,
                assigned_on=m.assigned_on,
                objection_due=CHRISTMAS,
                objection_due_provisional=True,
            )
            for m in matters
        ]
    )
    mediations = [
        Mediation(
            matter=m,
            committee_id=mediation.committee_id,
            mediators="黄调解",
            started_on=m.received_on,
            due_date=CHRISTMAS,
            due_provisional=True,
        )
        for m in matters
    ]
    Mediation.objects.bulk_create(mediations)
    MediationAgreement.objects.bulk_create(
        [
            MediationAgreement(
                mediation=med,
                parties=agreement.parties,
                facts=agreement.facts,
                disputed_points=agreement.disputed_points,
                terms=agreement.terms,
                performance_manner=agreement.performance_manner,
                performance_deadline=agreement.performance_deadline,
                signed_on=med.started_on,
                confirmation_deadline=CHRISTMAS,
                confirmation_deadline_provisional=True,
            )
            for med in mediations
        ]
    )
    RatingReview.objects.bulk_create(
        [
            RatingReview(
                matter=c,
                region_code=c.region_id,
                opened_on=c.closed_on,
                due_date=CHRISTMAS,
                due_provisional=True,
            )
            for c in closeds
        ]
    )


def _mark_all_provisional() -> None:
    for obligation in obligations.registered():
        obligation.rows().update(**{obligation.provisional: True})


def _load_2027_counting_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        load_2027()
    return len(queries)


def test_loading_a_schedule_recomputes_every_obligation_in_a_constant_number_of_queries(world):
    load_2027()  # the first load inserts the schedule row, later ones replace it
    _mark_all_provisional()
    _grow(world, 3)
    few = _load_2027_counting_queries()
    _mark_all_provisional()
    _grow(world, 40)
    many = _load_2027_counting_queries()
    assert few == many
    calendar = WorkCalendar.load()
    # Every row of every obligation now holds the date the loaded calendar gives.
    for obligation in obligations.registered():
        rows = obligation.rows().values_list(
            obligation.start, *obligation.terms, obligation.due, obligation.provisional
        )
        if obligation.model.startswith("petitions."):
            # this world grows the petitions' rows; the other apps' obligations (directives,
            # reporting, title notices) are registered too and recomputed in the same pass
            assert rows.count() >= 4, obligation.key
        for start, *terms, due, provisional in rows:
            expected = calendar.add(start, *obligation.period(*terms))
            assert (due, provisional) == (expected.due, False), obligation.key


def test_a_provisional_objection_deadline_recomputed_later_no_longer_refuses(
    today_is, register, hr_dept, hr_user, county_user
):
    today_is(CHRISTMAS)
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    assert (matter.objection_due, matter.objection_due_provisional) == (date(2027, 1, 1), True)
    today_is(date(2027, 1, 4))  # Monday: the fifth working day once 1 January is a holiday
    with pytest.raises(ApplicationError):
        services.matter_object(matter=matter, acting_user=hr_user, reason="不属本单位职责")
    load_2027()
    matter = Matter.objects.get(pk=matter.pk)
    assert (matter.objection_due, matter.objection_due_provisional) == (date(2027, 1, 4), False)
    services.matter_object(matter=matter, acting_user=hr_user, reason="不属本单位职责")
    assert matter.status == "registered"
    assert Assignment.objects.get(matter=matter).outcome == "objected"


def test_court_confirmation_window_reminds_the_committees_mediators(world, today_is, make_member):
    agreement = world["agreement"]
    mediator = world["mediator"]
    outsider = make_member("mediator", "441881000000", kind="mediation_committee")
    assert agreement.confirmation_deadline == date(2027, 1, 25)
    today_is(date(2027, 1, 10))  # the window does not close within 3 days yet
    notify_due(today=date(2027, 1, 10))
    assert not Notification.objects.unscoped(reason="test").filter(kind="confirmation_due")
    notify_due(today=date(2027, 1, 23))
    sent = Notification.objects.unscoped(reason="test").filter(kind="confirmation_due")
    assert [n.recipient_id for n in sent] == [mediator.pk]
    assert "2027-01-25" in sent[0].title
    assert not sent.filter(recipient=outsider)
    notify_due(today=date(2027, 1, 24))  # once per deadline
    assert sent.count() == 1


def test_the_parties_choice_of_court_confirmation_is_recorded_and_ends_the_reminders(
    world, hr_user
):
    agreement = world["agreement"]
    with pytest.raises(PermissionDenied):
        services.agreement_record_confirmation(
            agreement=agreement, acting_user=hr_user, choice="decline"
        )
    services.agreement_record_confirmation(
        agreement=agreement, acting_user=world["mediator"], choice="decline"
    )
    agreement.refresh_from_db()
    assert agreement.confirmation_choice == "decline"
    assert agreement.confirmation_recorded_on == CHRISTMAS
    notify_due(today=date(2027, 1, 23))
    assert not Notification.objects.unscoped(reason="test").filter(kind="confirmation_due")


def test_a_dissatisfied_rating_opens_a_review_for_the_countys_supervisors(
    world, county_user, make_member, city_user
):
    closed = world["closed"]
    other_county = make_member("dept_staff", "441881000000")
    review = RatingReview.objects.unscoped(reason="test").get(matter=closed)
    assert review.is_open and review.due_date == date(2027, 1, 1) and review.due_provisional
    told = Notification.objects.unscoped(reason="test").filter(kind="rating_review")
    assert county_user.pk in {n.recipient_id for n in told}
    assert not told.filter(recipient=other_county)
    assert list(selectors.rating_review_list(fetched_by=county_user)) == [review]
    assert list(selectors.rating_review_list(fetched_by=other_county)) == []
    with pytest.raises(PermissionDenied):
        services.rating_review_close(
            review=review, acting_user=other_county, outcome="rehandle", note="重新办理"
        )
    services.rating_review_close(
        review=review, acting_user=county_user, outcome="rehandle", note="责令重新维修"
    )
    review.refresh_from_db()
    assert (review.outcome, review.closed_by, review.note) == (
        "rehandle",
        county_user,
        "责令重新维修",
    )
    assert list(selectors.rating_review_list(fetched_by=county_user)) == []
    assert closed.events.filter(action="rating_review").count() == 2


def test_a_follow_up_due_soon_is_reminded_by_the_sweep(world, today_is):
    from shegong.petitions import deadlines

    closed = world["closed"]
    today_is(date(2026, 12, 29))
    deadlines.deadline_sweep(today=date(2026, 12, 29))  # 2027-01-01 is within 3 days
    event = closed.events.get(action="reminder")
    assert event.label == "回访提醒" and "2027-01-01" in event.note


def test_pages_and_api_mark_every_provisional_date(world, login, county_user):
    mediation, hotline, closed = world["mediation"], world["hotline"], world["closed"]
    client = login(world["mediator"])
    page = client.get(f"/petitions/mediations/{mediation.pk}/").content.decode()
    assert "2027-01-25" in page and 'data-testid="provisional"' in page
    agreement_page = client.get(
        f"/petitions/mediations/{world['agreement'].mediation_id}/"
    ).content.decode()
    assert 'data-testid="confirmation"' in agreement_page
    # the mediation period (started in 2026, ran into 2027) and the confirmation window
    assert agreement_page.count('data-testid="provisional"') == 2
    client = login(county_user)
    detail = client.get(f"/petitions/{hotline.pk}/").content.decode()
    for testid in ("objection-due", "hotline-due"):
        cell = detail.split(f'data-testid="{testid}"')[1].split("</div>")[0]
        assert 'data-testid="provisional"' in cell, testid
    followup = client.get(f"/petitions/{closed.pk}/").content.decode()
    cell = followup.split('data-testid="followup-due"')[1].split("</div>")[0]
    assert "2027-01-01" in cell and 'data-testid="provisional"' in cell
    assert 'data-testid="review-form"' in followup
    api = client.get(f"/api/v1/petitions/matters/{hotline.pk}").json()
    assert api["objection_due"] == "2027-01-01" and api["objection_due_provisional"] is True
    assert api["hotline_due_provisional"] is True
    med = client.get(f"/api/v1/petitions/mediations/{world['agreement'].mediation_id}").json()
    assert med["confirmation_deadline"] == "2027-01-25"
    assert med["confirmation_deadline_provisional"] is True
    load_2027()
    page = login(world["mediator"]).get(f"/petitions/mediations/{mediation.pk}/").content.decode()
    assert "2027-01-28" in page and 'data-testid="provisional"' not in page
    ended = (
        login(world["mediator"])
        .get(f"/petitions/mediations/{world['agreement'].mediation_id}/")
        .content.decode()
    )
    assert 'data-testid="provisional"' not in ended  # an ended mediation's period too


def test_the_supervisor_closes_a_review_from_the_matter_page(world, login, county_user):
    closed = world["closed"]
    client = login(county_user)
    listed = client.get("/petitions/?view=rating_review").content.decode()
    assert closed.number in listed
    review = RatingReview.objects.visible_to(county_user).get(matter=closed)
    response = client.post(
        f"/petitions/rating-reviews/{review.pk}/close/",
        {"outcome": "explained", "note": "已电话解释维修安排"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.outcome == "explained" and review.closed_by == county_user
    assert closed.number not in client.get("/petitions/?view=rating_review").content.decode()


def test_a_follow_up_due_soon_reaches_the_handling_units_inbox(world, hr_user):
    closed = world["closed"]
    notify_due(today=date(2026, 12, 26))  # 2027-01-01 is 6 days away: not yet
    mine = Notification.objects.unscoped(reason="test").filter(
        recipient=hr_user, key__contains="followup"
    )
    assert not mine.exists()
    notify_due(today=date(2026, 12, 29))
    assert [n.title for n in mine] == [f"{closed.number} {closed.title}：将于 2027-01-01 到期"]

"""Fidelity to the rules (issue 12): a repeat filing inside the review window is a review request;
review and re-review by the superior organ; hearing time excluded from re-review only; mediation
needs both parties' consent, sessions not before its start, oral agreements; overdue
mediations on the overdue lists."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.core.errors import ApplicationError
from shegong.orgs.selectors import is_superior_organ
from shegong.petitions import public, selectors, services
from shegong.petitions.models import Category, Matter, Mediation, MediationAgreement
from shegong.petitions.workflow import MATTER, MEDIATION
from tests.factories import OrganisationFactory

from .conftest import TIANHE_STREET

pytestmark = pytest.mark.django_db


@pytest.fixture
def replied(register, hr_dept, hr_user, county_user):
    """A matter replied and closed by 天河区人社局 today: its review window is open."""
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=hr_user)
    services.matter_reply(
        matter=matter, acting_user=hr_user, reply_kind="not_support", text="不予支持"
    )
    services.matter_close(matter=matter, acting_user=hr_user)
    return matter


def _counted(user) -> int:
    today = timezone.localdate()
    return selectors.analysis(fetched_by=user, start=today, end=today).total


# ---- 1. a repeat filing inside the review window --------------------------------------------


def test_a_repeat_within_the_review_window_is_offered_as_a_review_and_not_counted(
    register, replied, county_user
):
    before = _counted(county_user)
    with pytest.raises(services.ReviewOffered) as offered:
        register()
    assert offered.value.earlier == replied
    assert replied.number in offered.value.message and "复查" in offered.value.message
    assert Matter.objects.count() == 1 and _counted(county_user) == before

    recorded = register(review_choice="review")
    assert recorded.pk == replied.pk and recorded.recorded_as == "review"
    replied.refresh_from_db()
    assert replied.status == "review" and replied.due_stage == "review_answer"
    assert replied.events.filter(action="request_review").exists()
    assert Matter.objects.count() == 1 and _counted(county_user) == before
    assert selectors.home_figures(fetched_by=county_user)[0].value == 1


def test_choosing_no_review_records_a_repeat_that_is_not_counted(register, replied, county_user):
    before = _counted(county_user)
    again = register(review_choice="repeat")
    assert again.is_repeat and again.repeat_of_id == replied.pk and again.status == "merged"
    replied.refresh_from_db()
    assert replied.status == "closed" and replied.repeat_count == 1
    assert _counted(county_user) == before
    assert Matter.objects.counted().count() == 1


def test_after_the_review_window_the_same_request_is_a_plain_repeat(register, replied, county_user):
    Matter.objects.filter(pk=replied.pk).update(
        replied_on=timezone.localdate() - timedelta(days=40)
    )
    again = register()
    assert again.is_repeat and again.repeat_of_id == replied.pk


def test_the_review_offer_reads_only_the_filers_jurisdiction(register, replied, make_member):
    """Staff of another county filing the same petitioner's request are not offered (nor
    shown) the 天河区 matter: they are only told whom to contact."""
    yingde = make_member("dept_staff", "441881000000", name="英德市委社会工作部")
    matter = register(acting_user=yingde, region_code="441881001000")
    assert not matter.is_repeat and matter.repeat_of_id is None
    assert any("天河区" in str(n) or "社会工作" in str(n) for n in matter.notices)
    replied.refresh_from_db()
    assert replied.status == "closed" and replied.repeat_count == 0


def test_the_intake_page_offers_the_review_and_records_it(login, county_user, replied, wages):
    client = login(county_user)
    data = {
        "kind": "complaint",
        "channel": "visit",
        "received_on": timezone.localdate().isoformat(),
        "region": TIANHE_STREET,
        "category": wages.pk,
        "title": "工地拖欠农民工工资",
        "urgency": "normal",
        "request": "请求督促某建筑公司支付拖欠的三个月工资共计四万五千元",
        "name": "张建国",
        "phone": "13800138000",
        "people_count": 1,
    }
    page = client.post("/petitions/new/", data)
    html = page.content.decode()
    assert page.status_code == 200
    assert replied.number in html
    assert 'type="radio" name="review_choice" value="review"' in html
    assert 'value="repeat"' in html
    assert Matter.objects.count() == 1
    done = client.post("/petitions/new/", {**data, "review_choice": "review"})
    assert done.status_code == 302 and done.url == f"/petitions/{replied.pk}/"
    replied.refresh_from_db()
    assert replied.status == "review" and Matter.objects.count() == 1


def test_the_api_answers_with_the_earlier_matter_and_the_choice(login, county_user, replied):
    client = login(county_user)
    body = {
        "kind": "complaint",
        "channel": "hotline",
        "region_code": TIANHE_STREET,
        "category_code": "labour.wages",
        "title": "工地拖欠农民工工资",
        "request": "请求督促某建筑公司支付拖欠的三个月工资共计四万五千元",
        "petitioners": [{"name": "张建国", "phone": "13800138000"}],
    }
    offered = client.post("/api/v1/petitions/matters", body, content_type="application/json")
    assert offered.status_code == 409, offered.content
    error = offered.json()["errors"][0]
    assert error["field"] == "review_choice" and error["code"] == "review_offered"
    assert error["matter"]["number"] == replied.number
    assert error["choices"] == ["review", "repeat"]
    recorded = client.post(
        "/api/v1/petitions/matters",
        {**body, "review_choice": "review"},
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["id"] == replied.pk and recorded.json()["recorded_as"] == "review"
    assert recorded.json()["status"] == "review"
    assert Matter.objects.count() == 1


def test_the_public_form_offers_the_review_to_the_petitioner(client, replied, wages):
    form = {
        "kind": "complaint",
        "category": wages.pk,
        "region": TIANHE_STREET,
        "title": "工地拖欠农民工工资",
        "request": "请求督促某建筑公司支付拖欠的三个月工资共计四万五千元",
        "name": "张建国",
        "phone": "13800138000",
        "website": "",
        "token": public.form_token(time.time() - 30),
    }
    page = client.post("/petitions/public/submit/", form)
    html = page.content.decode()
    assert 'name="review_choice" value="review"' in html and "复查" in html
    assert Matter.objects.count() == 1
    done = client.post("/petitions/public/submit/", {**form, "review_choice": "review"})
    assert 'data-testid="review-recorded"' in done.content.decode()
    assert re.search(rf">{replied.number}<", done.content.decode())
    replied.refresh_from_db()
    assert replied.status == "review" and Matter.objects.count() == 1
    event = replied.events.get(action="request_review")
    assert event.actor is None and event.actor_name == "信访人"


# ---- 2. review and re-review by the superior organ --------------------------------------------


def _in_review(replied, county_user):
    services.matter_request_review(matter=replied, acting_user=county_user, reason="不服")
    return Matter.objects.select_related("handling_org__region").get(pk=replied.pk)


def test_a_same_county_department_cannot_review_the_reply(
    login, replied, county_user, county_leader
):
    matter = _in_review(replied, county_user)
    with pytest.raises(ApplicationError) as refused:
        services.matter_answer_review(
            matter=matter, acting_user=county_leader, reply_kind="explain", text="维持"
        )
    assert "上一级机关" in refused.value.message
    assert "answer_review" not in {t.name for t in MATTER.available(matter, county_leader)}
    client = login(county_leader)
    payload = {"reply_kind": "explain", "text": "维持"}
    assert client.post(f"/petitions/{matter.pk}/do/answer_review/", payload).status_code == 403
    api = client.post(
        f"/api/v1/petitions/matters/{matter.pk}/actions/answer_review",
        payload,
        content_type="application/json",
    )
    assert api.status_code == 403
    matter.refresh_from_db()
    assert matter.status == "review"


def test_the_superior_organ_reviews(login, replied, county_user, city_user, hr_dept):
    matter = _in_review(replied, county_user)
    assert "answer_review" in {t.name for t in MATTER.available(matter, city_user)}
    response = login(city_user).post(
        f"/api/v1/petitions/matters/{matter.pk}/actions/answer_review",
        {"reply_kind": "explain", "text": "经复查，维持原处理意见"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    matter.refresh_from_db()
    assert matter.status == "closed" and matter.review_level == 1


def test_the_city_bureau_of_another_line_is_not_the_superior(replied, county_user, make_member):
    matter = _in_review(replied, county_user)
    housing = make_member(
        "dept_staff", "440100000000", kind="gov_department", sector="housing", name="市住建局"
    )
    with pytest.raises(ApplicationError):
        services.matter_answer_review(
            matter=matter, acting_user=housing, reply_kind="explain", text="维持"
        )
    same_line = make_member(
        "dept_staff",
        "440100000000",
        kind="gov_department",
        sector="human_resources",
        name="广州市人力资源和社会保障局",
    )
    services.matter_answer_review(
        matter=matter, acting_user=same_line, reply_kind="explain", text="维持"
    )
    assert matter.status == "closed"


def test_the_supervising_unit_above_is_the_superior(register, county_user, make_member):
    station_worker = make_member(
        "station_worker", TIANHE_STREET, kind="sw_station", name="五山街道社工站"
    )
    station = station_worker.active_membership.organisation
    department = county_user.active_membership.organisation
    station.parent = department
    station.save()
    matter = register()
    services.matter_route(matter=matter, organisation=station, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=station_worker)
    services.matter_reply(
        matter=matter, acting_user=station_worker, reply_kind="explain", text="已解释"
    )
    services.matter_close(matter=matter, acting_user=station_worker)
    matter = _in_review(matter, county_user)
    assert is_superior_organ(department, of=station)
    assert not is_superior_organ(station, of=station)
    services.matter_answer_review(
        matter=matter, acting_user=county_user, reply_kind="explain", text="维持"
    )
    assert matter.review_level == 1


# ---- 3. hearing time: excluded from re-review only --------------------------------------------


def test_hearing_time_is_not_excluded_from_the_review_period(replied, county_user, city_user):
    matter = _in_review(replied, county_user)
    due = matter.due_date
    services.matter_hearing(matter=matter, acting_user=city_user, days=5, note="公开听证")
    matter.refresh_from_db()
    assert matter.due_date == due and matter.due_days == 30
    assert matter.events.filter(action="hearing").count() == 1


def test_hearing_time_is_excluded_from_the_rereview_period(replied, county_user, city_user):
    matter = _in_review(replied, county_user)
    services.matter_answer_review(
        matter=matter, acting_user=city_user, reply_kind="explain", text="维持"
    )
    services.matter_request_review(matter=matter, acting_user=county_user, reason="仍不服")
    matter = Matter.objects.select_related("handling_org__region").get(pk=matter.pk)
    assert matter.status == "rereview"
    due = matter.due_date
    services.matter_hearing(matter=matter, acting_user=city_user, days=5, note="公开听证")
    matter.refresh_from_db()
    assert matter.due_days == 35 and matter.due_date > due
    assert "不计入复核答复期限" in matter.events.get(action="hearing").note


def test_a_same_county_department_cannot_hold_the_hearing(replied, county_user, county_leader):
    matter = _in_review(replied, county_user)
    with pytest.raises(ApplicationError):
        services.matter_hearing(matter=matter, acting_user=county_leader, days=5)
    matter.refresh_from_db()
    assert matter.events.filter(action="hearing").count() == 0


# ---- 4 and 5. mediation ---------------------------------------------------------------------


@pytest.fixture
def mediation(county_user, make_member):
    committee = OrganisationFactory(
        name="天河区人民调解委员会", kind="mediation_committee", region_id="440106000000"
    )
    matter = services.matter_register(
        acting_user=county_user,
        kind="dispute",
        channel="field",
        region_code=TIANHE_STREET,
        category=Category.objects.get(code="neighbour.adjacent"),
        title="楼上漏水",
        request="楼上漏水导致天花板损坏，请求赔偿",
        petitioners=[{"name": "周明", "phone": "13800001111"}],
    )
    services.matter_route(matter=matter, organisation=committee, acting_user=county_user)
    mediator = _member_of(committee, make_member, "mediator")
    services.matter_accept(matter=matter, acting_user=mediator)
    return services.mediation_start(
        matter=matter, acting_user=mediator, committee=committee, mediators="黄调解"
    )


def _member_of(org, make_member, role):
    user = make_member(role, org.region_id, kind=org.kind)
    user.active_membership.organisation = org
    user.active_membership.save()
    return user


def _consent(mediation, user, side, party, decision="consent", method="written"):
    return services.mediation_record_consent(
        mediation=mediation,
        acting_user=user,
        side=side,
        party=party,
        decision=decision,
        given_on=timezone.localdate(),
        method=method,
    )


def _session(mediation, user, held_on):
    return services.mediation_add_session(
        mediation=mediation,
        acting_user=user,
        held_on=held_on,
        participants="周明、吴芳",
        record="双方陈述",
    )


def test_no_session_or_agreement_without_both_parties_consent(mediation, county_user):
    today = timezone.localdate()
    with pytest.raises(ApplicationError):
        _session(mediation, county_user, today)
    _consent(mediation, county_user, "applicant", "周明")
    assert "session" not in {t.name for t in MEDIATION.available(mediation, county_user)}
    with pytest.raises(ApplicationError):
        services.mediation_conclude(
            mediation=mediation,
            acting_user=county_user,
            outcome="agreement",
            agreement={"agreement_form": "oral", "content": "赔偿三千元"},
        )
    _consent(mediation, county_user, "other", "吴芳", method="oral")
    assert "session" in {t.name for t in MEDIATION.available(mediation, county_user)}
    _session(mediation, county_user, today)
    assert mediation.sessions.count() == 1
    consents = list(mediation.consents.values_list("side", "party", "decision", "method"))
    assert consents == [
        ("applicant", "周明", "consent", "written"),
        ("other", "吴芳", "consent", "oral"),
    ]


def test_a_partys_refusal_ends_the_mediation(mediation, county_user, login):
    _consent(mediation, county_user, "applicant", "周明")
    response = login(county_user).post(
        f"/api/v1/petitions/mediations/{mediation.pk}/actions/refuse",
        {
            "side": "other",
            "party": "吴芳",
            "given_on": timezone.localdate().isoformat(),
            "method": "phone",
            "note": "表示不愿调解，将起诉",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    mediation.refresh_from_db()
    assert mediation.outcome == Mediation.Outcome.REFUSED and mediation.ended_on is not None
    assert "不得调解" in mediation.outcome_note and "司法" in mediation.outcome_note
    assert mediation.matter.status == "accepted"
    refusal = mediation.consents.get(decision="refuse")
    assert (refusal.party, refusal.method) == ("吴芳", "phone")
    with pytest.raises(ApplicationError):
        _session(mediation, county_user, timezone.localdate())


def test_an_oral_agreement_is_recorded_with_its_content(mediation, county_user):
    _consent(mediation, county_user, "applicant", "周明")
    _consent(mediation, county_user, "other", "吴芳")
    with pytest.raises(ValidationError) as missing:
        services.mediation_conclude(
            mediation=mediation,
            acting_user=county_user,
            outcome="agreement",
            agreement={"agreement_form": "oral", "content": ""},
        )
    assert "content" in missing.value.message_dict
    services.mediation_conclude(
        mediation=mediation,
        acting_user=county_user,
        outcome="agreement",
        agreement={"agreement_form": "oral", "content": "周明当场赔偿吴芳三千元，双方再无争议"},
    )
    agreement = MediationAgreement.objects.get(mediation=mediation)
    assert agreement.form == "oral"
    assert agreement.content == "周明当场赔偿吴芳三千元，双方再无争议"
    assert not agreement.parties_signed and agreement.performance_deadline is None


def test_a_written_agreement_still_needs_the_article_29_fields(mediation, county_user):
    _consent(mediation, county_user, "applicant", "周明")
    _consent(mediation, county_user, "other", "吴芳")
    with pytest.raises(ValidationError):
        services.mediation_conclude(
            mediation=mediation,
            acting_user=county_user,
            outcome="agreement",
            agreement={"agreement_form": "written", "content": "赔偿三千元"},
        )


def test_a_session_before_the_mediation_start_is_refused(mediation, county_user, login):
    _consent(mediation, county_user, "applicant", "周明")
    _consent(mediation, county_user, "other", "吴芳")
    earlier = mediation.started_on - timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        _session(mediation, county_user, earlier)
    assert "held_on" in refused.value.message_dict
    client = login(county_user)
    payload = {"held_on": earlier.isoformat(), "participants": "周明", "record": "陈述"}
    page = client.post(f"/petitions/mediations/{mediation.pk}/actions/session/", payload)
    assert page.status_code == 422 and "不能早于调解开始日期" in page.content.decode()
    api = client.post(
        f"/api/v1/petitions/mediations/{mediation.pk}/actions/session",
        payload,
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "held_on"
    assert mediation.sessions.count() == 0


def test_an_overdue_mediation_is_on_the_overdue_list_of_its_jurisdiction_only(
    mediation, county_user, other_county_user, city_user, login
):
    matter = mediation.matter
    assert matter not in selectors.matter_list(fetched_by=county_user, view="overdue")
    Mediation.objects.filter(pk=mediation.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    assert list(selectors.matter_list(fetched_by=county_user, view="overdue")) == [matter]
    assert list(selectors.matter_list(fetched_by=city_user, view="overdue")) == [matter]
    assert not selectors.matter_list(fetched_by=other_county_user, view="overdue").exists()
    figures = {str(f.label): f.value for f in selectors.home_figures(fetched_by=county_user)}
    assert figures["超期事项"] == 1
    other = {str(f.label): f.value for f in selectors.home_figures(fetched_by=other_county_user)}
    assert other["超期事项"] == 0
    today = timezone.localdate()
    assert selectors.analysis(fetched_by=county_user, start=today, end=today).overdue == 1
    page = login(county_user).get("/petitions/?view=overdue").content.decode()
    assert matter.number in page and 'data-testid="mediation-overdue"' in page
    listed = login(county_user).get("/api/v1/petitions/matters?view=overdue").json()
    assert [m["number"] for m in listed["items"]] == [matter.number]
    # ended: no longer overdue
    services.mediation_conclude(mediation=mediation, acting_user=county_user, outcome="failed")
    assert not selectors.matter_list(fetched_by=county_user, view="overdue").exists()

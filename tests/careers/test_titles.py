"""Title evaluation: conditions checked on applying, the public notice of at least 5 working
days on the working-day calendar (a registered dated obligation), and the level taking effect
on the profile after the notice (the daily sweep)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.careers import services, workflow
from shegong.careers.models import TitleApplication
from shegong.careers.services import titles
from shegong.workdays.calendar import current
from shegong.workdays.obligations import get, registered
from tests.careers.factories import make_worker
from tests.lifecycles.careers import application_in


def test_the_notice_is_a_registered_dated_obligation():
    assert get("title_notice").model == "careers.TitleApplication"
    assert "title_notice" in {o.key for o in registered()}


@pytest.mark.django_db
def test_conditions_are_checked_on_applying(make_member):
    province = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
    staff = make_member("org_staff", "440106000000", kind="sw_organisation", name="启智社工")
    worker = make_worker(staff.active_membership.organisation, education="college")
    today = timezone.localdate()
    found = services.round_open(
        acting_user=province, title="评审", level="senior", year=today.year,
        closes_on=today + timedelta(days=10), min_education="bachelor", min_years=5,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.application_create(
            acting_user=staff, round=found, worker=worker, years_in_social_work=2,
            exam_passed_on=today - timedelta(days=4 * 366), achievements="",
        )  # fmt: skip
    problems = refused.value.message_dict
    assert set(problems) == {"worker", "years_in_social_work", "exam_passed_on", "achievements"}
    assert "3 年有效期" in problems["exam_passed_on"][0]
    county = make_member("dept_leader", "440106000000")
    with pytest.raises(ValidationError):
        services.round_open(
            acting_user=county, title="评审", level="senior", year=today.year,
            closes_on=today + timedelta(days=10), min_education="bachelor", min_years=5,
        )  # fmt: skip


@pytest.mark.django_db
def test_notice_of_five_working_days_then_the_level_takes_effect(make_member):
    application, _staff, panel = application_in(workflow.NOTICE, make_member=make_member)
    today = timezone.localdate()
    assert application.notice_from == today
    assert current().working_days_between(today, application.notice_until) == 5
    # Not before the notice has ended.
    assert titles.notice_sweep(today=application.notice_until) == 0
    with pytest.raises(ValidationError):
        titles.application_take_effect(application=application, today=application.notice_until)
    assert titles.notice_sweep(today=application.notice_until + timedelta(days=1)) == 1
    application.refresh_from_db()
    assert application.status == workflow.EFFECTIVE
    certificate = application.certificate
    assert certificate.level == "social_worker" and certificate.worker_id == application.worker_id
    assert application.worker.certificates.filter(level="social_worker").exists()
    # Every step is in the history, with the panel's score.
    steps = list(application.events.values_list("action", flat=True))
    assert steps == ["apply", "confirm", "score", "pass", "publish", "take_effect"]
    assert application.events.get(action="score").note.startswith("评分 85 分")
    assert application.history.filter(score=85).exists()


@pytest.mark.django_db
def test_an_upheld_objection_stops_the_effect(make_member):
    application, _staff, panel = application_in(workflow.OBJECTED, make_member=make_member)
    titles.application_uphold(application=application, acting_user=panel, note="经核实属实")
    assert titles.notice_sweep(today=timezone.localdate() + timedelta(days=30)) == 0
    assert TitleApplication.objects.get(pk=application.pk).status == workflow.FAILED


@pytest.mark.django_db
def test_pass_needs_the_pass_score(make_member):
    application, _staff, panel = application_in(workflow.CONFIRMED, make_member=make_member)
    titles.application_score(application=application, acting_user=panel, score=50)
    with pytest.raises(ValidationError):
        titles.application_pass(application=application, acting_user=panel)

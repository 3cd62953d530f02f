"""A department subscribes to weekly or monthly reports of chosen indicators: the worker writes
them on the first working day of the week or month (a frozen clock) with only the chosen
indicators, lists them beside the monthly reports, announces them in the inbox, writes each once,
and a subscription is seen, created and cancelled in the department's subtree only."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shegong.inbox.models import Notification
from shegong.indicators.models import GeneratedReport, ReportSubscription
from shegong.indicators.tasks import monthly_reports_task
from tests.indicators import world
from tests.pdf import pdf_text

TIANHE = "440106000000"
CHOSEN = ["satisfaction_rate", "matters_closed_on_time_rate"]


@pytest.fixture
def built(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.build()


@pytest.fixture
def tianhe(make_member):
    return make_member("dept_leader", TIANHE, name="天河区委社会工作部")


def _freeze(monkeypatch, day: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def _subscribe(client, login, user, frequency="weekly", codes=CHOSEN, name="信访周报"):
    login(user)
    return client.post(
        "/indicators/subscriptions/",
        {"name": name, "frequency": frequency, "indicator_codes": codes},
    )


def _reports(user):
    return GeneratedReport.objects.unscoped(reason="test").filter(
        organisation=user.active_membership.organisation, subscription__isnull=False
    )


def _codes(report) -> list[str]:
    sheet = load_workbook(io.BytesIO(report.xlsx.read())).active
    return [r[0] for r in sheet.iter_rows(min_row=2, values_only=True) if r and r[0]]


@pytest.mark.django_db
def test_a_weekly_subscription_brings_the_chosen_indicators_on_the_weeks_first_working_day(
    built, tianhe, client, login, monkeypatch
):
    response = _subscribe(client, login, tianhe)
    assert response.status_code == 302, response.content.decode()[:2000]
    subscription = ReportSubscription.objects.unscoped(reason="test").get()
    assert (subscription.region_code, subscription.frequency) == (TIANHE, "weekly")
    assert sorted(i.code for i in subscription.indicators.all()) == sorted(CHOSEN)
    page = client.get("/indicators/subscriptions/").content.decode()
    assert f'data-id="{subscription.pk}"' in page and "信访周报" in page

    _freeze(monkeypatch, date(2026, 12, 8))  # a Tuesday: the week began on a working Monday
    assert monthly_reports_task.call() == 0
    _freeze(monkeypatch, date(2026, 12, 7))  # Monday: the week of 30 November is reported
    assert monthly_reports_task.call() == 1
    report = _reports(tianhe).get()
    assert (report.kind, report.period_start, report.subscription_id) == (
        "weekly",
        date(2026, 11, 30),
        subscription.pk,
    )
    assert sorted(_codes(report)) == sorted(CHOSEN)  # only the chosen indicators
    text = pdf_text(report.pdf.read())
    assert "信访周报（2026-W49）" in text and "群众满意率" in text and "本期" in text
    assert "探访按期完成率" not in text
    note = Notification.objects.unscoped(reason="test").get(
        recipient=tianhe, kind=Notification.Kind.SUBSCRIBED_REPORT
    )
    assert note.url == "/indicators/reports/" and "2026-W49" in note.title
    assert monthly_reports_task.call() == 0  # written once
    listed = client.get("/indicators/reports/").content.decode()
    assert f'data-id="{report.pk}"' in listed


@pytest.mark.django_db
def test_a_monthly_subscription_on_the_months_first_working_day(
    built, tianhe, client, login, monkeypatch
):
    assert _subscribe(client, login, tianhe, "monthly", name="满意度月报").status_code == 302
    _freeze(monkeypatch, date(2026, 12, 1))  # Tuesday: the month's, not the week's, first day
    written = monthly_reports_task.call()
    report = _reports(tianhe).get()
    assert written >= 2  # the department's own monthly report and the subscription's
    assert (report.kind, report.period_start) == ("monthly", date(2026, 11, 1))
    sheet = load_workbook(io.BytesIO(report.xlsx.read())).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert sorted(rows) == sorted(CHOSEN)
    assert rows["satisfaction_rate"][2] == pytest.approx(33.33)  # as in the monthly report
    own = GeneratedReport.objects.unscoped(reason="test").get(
        organisation=tianhe.active_membership.organisation, subscription__isnull=True
    )
    assert len(_codes(own)) > len(CHOSEN)


@pytest.mark.django_db
def test_refusals_name_the_field(built, tianhe, client, login):
    login(tianhe)
    api = "/api/v1/indicators/subscriptions"
    cases = [
        ({"name": "x", "frequency": "weekly", "indicator_codes": ["no_such"]}, "indicators"),
        (
            {"name": "x", "frequency": "monthly", "indicator_codes": ["funds_disbursed_rate"]},
            "indicators",
        ),
        ({"name": "   ", "frequency": "weekly", "indicator_codes": CHOSEN}, "name"),
        ({"name": "x", "frequency": "daily", "indicator_codes": CHOSEN}, "frequency"),
    ]
    for payload, field in cases:
        response = client.post(api, payload, content_type="application/json")
        assert response.status_code == 422, (payload, response.content)
        assert field in [e["field"].split(".")[-1] for e in response.json()["errors"]], (
            payload,
            response.json(),
        )
    assert not ReportSubscription.objects.unscoped(reason="test").exists()
    page = client.post("/indicators/subscriptions/", {"name": "x", "frequency": "weekly"})
    assert page.status_code == 200 and "请" in page.content.decode()
    assert not ReportSubscription.objects.unscoped(reason="test").exists()


@pytest.mark.django_db
def test_the_api_subscribes_lists_and_cancels(built, tianhe, client, login):
    login(tianhe)
    api = "/api/v1/indicators/subscriptions"
    payload = {"name": "月报", "frequency": "monthly", "indicator_codes": CHOSEN}
    created = client.post(api, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["region_code"] == TIANHE and sorted(body["indicator_codes"]) == sorted(CHOSEN)
    listed = client.get(api).json()
    assert [s["id"] for s in listed["items"]] == [body["id"]]
    cancelled = client.post(f"{api}/{body['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["is_active"] is False
    assert ReportSubscription.history.filter(id=body["id"]).count() == 2


@pytest.mark.django_db
def test_another_county_neither_sees_nor_cancels_and_a_worker_cannot_subscribe(
    built, tianhe, other_county_user, make_member, client, login, monkeypatch
):
    assert _subscribe(client, login, tianhe).status_code == 302
    subscription = ReportSubscription.objects.unscoped(reason="test").get()
    _freeze(monkeypatch, date(2026, 12, 7))
    monthly_reports_task.call()
    report = _reports(tianhe).get()
    client.logout()
    login(other_county_user)
    page = client.get("/indicators/subscriptions/").content.decode()
    assert f'data-id="{subscription.pk}"' not in page and "信访周报" not in page
    api = client.get("/api/v1/indicators/subscriptions").json()
    assert api["items"] == [] and api["count"] == 0
    assert client.post(f"/indicators/subscriptions/{subscription.pk}/cancel/").status_code == 404
    cancel = client.post(f"/api/v1/indicators/subscriptions/{subscription.pk}/cancel")
    assert cancel.status_code == 404
    assert client.get(f"/indicators/reports/{report.pk}/pdf/").status_code == 404
    subscription.refresh_from_db()
    assert subscription.is_active
    client.logout()
    worker = make_member("station_worker", "440106001000", kind="sw_station", name="五山街道社工站")
    login(worker)
    refused = client.post(
        "/indicators/subscriptions/",
        {"name": "x", "frequency": "weekly", "indicator_codes": CHOSEN},
    )
    assert refused.status_code == 403
    assert ReportSubscription.objects.unscoped(reason="test").count() == 1

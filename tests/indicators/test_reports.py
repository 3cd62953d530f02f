"""The monthly report of each department: written by the worker on the first working day of a
month (a frozen clock), as a PDF with Chinese text and an Excel file with the indicators,
announced in the inbox, written once, listed and downloaded in the department's subtree only."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shegong.inbox.models import Notification
from shegong.indicators.models import GeneratedReport
from shegong.indicators.tasks import DAILY, monthly_reports_task
from tests.indicators import world
from tests.pdf import pdf_text

TIANHE = "440106000000"


@pytest.fixture
def built(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.build()


@pytest.fixture
def tianhe(make_member):
    return make_member("dept_leader", TIANHE, name="天河区委社会工作部")


def _freeze(monkeypatch, day: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def _tianhe_report(user):
    return GeneratedReport.objects.unscoped(reason="test").get(
        organisation=user.active_membership.organisation
    )


@pytest.mark.django_db
def test_the_first_working_day_brings_tianhes_report(built, tianhe, monkeypatch):
    from shegong.regions.models import Region

    assert (monthly_reports_task, DAILY[1][1]) == DAILY[1]
    _freeze(monkeypatch, date(2026, 12, 1))  # a Tuesday
    assert monthly_reports_task.call() >= 1
    report = _tianhe_report(tianhe)
    assert (report.region_code, report.period_start, report.kind) == (
        TIANHE,
        date(2026, 11, 1),
        "monthly",
    )
    pdf = report.pdf.read()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "天河区社会工作指标月报（2026-11）" in text
    assert "满意率" in text and "社工站配备达标率" in text
    assert "超期未办结信访事项" in text and "未办结督办事项" in text
    shipai = Region.objects.get(code=world.T_TOWN2).name
    assert shipai in text  # not staffed to standard: the bottom of the stations' ranking
    sheet = load_workbook(io.BytesIO(report.xlsx.read())).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r and r[0]}
    # 天河 in November: satisfied 1 of 3 rated; October nothing rated: no change
    assert rows["satisfaction_rate"][1] == "群众满意率"
    assert rows["satisfaction_rate"][2] == pytest.approx(33.33)
    assert rows["satisfaction_rate"][3] is None
    assert rows["stations_staffed_rate"][2] == 50 and rows["stations_staffed_rate"][6] == shipai
    events = {r[1]: r[2] for r in sheet.iter_rows(min_row=2, values_only=True) if r and r[1]}
    assert events["超期未办结信访事项"] == "1"  # m3
    assert events["未办结督办事项"] == "0"
    note = Notification.objects.unscoped(reason="test").get(
        recipient=tianhe, kind=Notification.Kind.MONTHLY_REPORT
    )
    assert note.url == "/indicators/reports/" and "2026-11" in note.title


@pytest.mark.django_db
def test_other_days_write_nothing_and_a_second_run_writes_no_second_report(
    built, tianhe, monkeypatch
):
    _freeze(monkeypatch, date(2026, 12, 2))
    assert monthly_reports_task.call() == 0
    _freeze(monkeypatch, date(2026, 11, 1))  # a Sunday: the first working day is the 2nd
    assert monthly_reports_task.call() == 0
    assert not GeneratedReport.objects.unscoped(reason="test").exists()
    _freeze(monkeypatch, date(2026, 11, 2))
    first = monthly_reports_task.call()
    assert first >= 1
    assert monthly_reports_task.call() == 0
    found = GeneratedReport.objects.unscoped(reason="test").filter(
        organisation=tianhe.active_membership.organisation
    )
    assert [r.period_start for r in found] == [date(2026, 10, 1)]
    assert (
        Notification.objects.unscoped(reason="test")
        .filter(recipient=tianhe, kind=Notification.Kind.MONTHLY_REPORT)
        .count()
        == 1
    )


@pytest.mark.django_db
def test_listed_and_downloaded_in_the_subtree_only(
    built, tianhe, other_county_user, monkeypatch, client, login
):
    from shegong.core.models import AuditLog

    _freeze(monkeypatch, date(2026, 12, 1))
    monthly_reports_task.call()
    report = _tianhe_report(tianhe)
    login(tianhe)
    page = client.get("/indicators/reports/").content.decode()
    assert f'data-id="{report.pk}"' in page
    pdf = client.get(f"/indicators/reports/{report.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(f"/indicators/reports/{report.pk}/xlsx/").status_code == 200
    assert client.get(f"/indicators/reports/{report.pk}/doc/").status_code == 404
    assert (
        AuditLog.objects.filter(
            action=AuditLog.Action.EXPORT, detail__indicator_report=report.pk
        ).count()
        == 2
    )
    client.logout()
    login(other_county_user)
    page = client.get("/indicators/reports/").content.decode()
    assert f'data-id="{report.pk}"' not in page and "天河" not in page
    for format in ("pdf", "xlsx"):
        assert client.get(f"/indicators/reports/{report.pk}/{format}/").status_code == 404

from datetime import date

import pytest

from shegong.workdays.models import CalendarDay, HolidaySchedule

pytestmark = pytest.mark.django_db


def test_administrator_loads_a_new_year_on_the_page(make_member, login):
    admin = make_member("sysadmin", "000000000000")
    client = login(admin)
    response = client.post(
        "/workdays/load/",
        {
            "year": 2027,
            "notice": "国办发明电〔2026〕9号",
            "holidays": "2027-10-01..2027-10-07 国庆节",
            "workdays": "2027-09-26 国庆节\n2027-10-09 国庆节",
        },
    )
    assert response.status_code == 302
    assert HolidaySchedule.objects.filter(year=2027).exists()
    assert CalendarDay.objects.get(date=date(2027, 9, 26)).kind == "workday"
    page = client.get("/workdays/2027/")
    assert "国庆节" in page.content.decode()


def test_bad_line_is_shown_next_to_the_field(make_member, login):
    client = login(make_member("sysadmin", "000000000000"))
    response = client.post("/workdays/load/", {"year": 2027, "holidays": "十月一日"})
    assert response.status_code == 200
    assert 'data-testid="error-holidays"' in response.content.decode()


def test_county_staff_cannot_load_a_schedule(county_user, login):
    response = login(county_user).post("/workdays/load/", {"year": 2027, "holidays": "2027-10-01"})
    assert response.status_code == 403
    assert not HolidaySchedule.objects.filter(year=2027).exists()


def test_command_loads_a_year(tmp_path):
    from django.core.management import call_command

    holidays = tmp_path / "h.txt"
    holidays.write_text("2027-01-01 元旦\n2027-02-06..2027-02-13 春节\n", encoding="utf-8")
    workdays = tmp_path / "w.txt"
    workdays.write_text("2027-02-20 春节\n", encoding="utf-8")
    call_command(
        "workdays", "load", "2027", "--holidays", str(holidays), "--workdays", str(workdays)
    )
    assert CalendarDay.objects.filter(year=2027, kind="holiday").count() == 9
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).kind == "workday"

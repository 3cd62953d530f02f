"""Issue #10: public volunteer registration is rate-limited per address and per ID number, and
answers alike whether or not the ID number or the login name is already known; an existing
volunteer is neither duplicated nor changed."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shegong.accounts.models import User
from shegong.core import crypto
from shegong.core.models import AuditLog
from shegong.volunteers import applications
from shegong.volunteers.models import Volunteer, VolunteerApplication
from tests.factories import OrganisationFactory
from tests.volunteers.helpers import make_volunteer, resident_id

pytestmark = pytest.mark.django_db

URL = "/portal/register/?region=440106"


@pytest.fixture(autouse=True)
def station(db):
    return OrganisationFactory(name="五山街社工站", kind="sw_station", region_id="440106001000")


@pytest.fixture
def reviewer(make_member):
    return make_member("station_worker", "440106001000", kind="sw_station")


def _form(**extra):
    data = {
        "county": "440106",
        "name": "林志愿",
        "id_number": resident_id("440106", date(1996, 6, 1)),
        "phone": "13711112222",
        "region": "440106001001",
        "political_status": "masses",
        "username": "linzy",
        "password": "Volunteer@2026",
        "consent": "on",
    }
    data.update(extra)
    return data


def _answer(response, client):
    """What the person sees: the status, where they are sent, and the page they land on."""
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"]).content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return response.status_code, response["Location"], page


def test_the_answer_is_the_same_for_new_and_known_id_numbers_and_login_names(client, reviewer):
    existing = make_volunteer(name="王已在册")
    existing_id = crypto.decrypt(existing.id_number_encrypted)
    User.objects.create_user(username="taken", password="Another@2026")
    before = Volunteer.objects.values().get(pk=existing.pk)
    history_before = existing.history.count()

    new = _answer(client.post(URL, _form(username="fresh1")), client)
    known_id = _answer(client.post(URL, _form(id_number=existing_id, username="fresh2")), client)
    known_name = _answer(
        client.post(
            URL, _form(id_number=resident_id("440106", date(1990, 2, 2)), username="taken")
        ),
        client,
    )
    both = _answer(client.post(URL, _form(id_number=existing_id, username="taken")), client)
    assert new == known_id == known_name == both
    assert "申请已提交，审核结果将通知您" in new[2]
    assert "已注册" not in new[2] and "已被使用" not in new[2]

    # The existing volunteer is neither duplicated nor changed.
    assert Volunteer.objects.count() == 1
    assert Volunteer.objects.values().get(pk=existing.pk) == before
    assert existing.history.count() == history_before
    assert sorted(VolunteerApplication.objects.values_list("username", flat=True)) == [
        "fresh1",
        "taken",
    ]
    # The department that holds the record sees the attempts, with the ID masked.
    attempts = AuditLog.objects.visible_to(reviewer).filter(
        detail__event="volunteer_registration_repeated"
    )
    assert attempts.count() == 2
    assert {row.detail["record"] for row in attempts} == {existing.number}
    assert existing_id not in str([row.detail for row in attempts])


def test_a_taken_login_name_becomes_the_volunteer_number_on_approval(client, reviewer):
    User.objects.create_user(username="taken", password="Another@2026")
    client.post(URL, _form(username="taken"))
    application = VolunteerApplication.objects.get()
    approved = applications.application_approve(application=application, acting_user=reviewer)
    volunteer = approved.volunteer
    assert volunteer.user.username == volunteer.number
    assert volunteer.user.check_password("Volunteer@2026")
    assert User.objects.get(username="taken").check_password("Another@2026")  # untouched
    assert approved.password == ""  # the hash is not kept once decided
    page = client.post(
        reverse("accounts:login"), {"username": volunteer.number, "password": "Volunteer@2026"}
    )
    assert page.status_code == 302


def test_nothing_signs_in_before_approval(client):
    client.post(URL, _form())
    assert not User.objects.filter(username="linzy").exists()
    assert not client.login(username="linzy", password="Volunteer@2026")


def test_form_errors_are_about_the_form_only(client):
    bad_id = client.post(URL, _form(id_number="440106199606010000"))
    weak = client.post(URL, _form(password="12345678"))
    assert bad_id.status_code == weak.status_code == 200
    assert 'data-testid="error-id_number"' in bad_id.content.decode()
    assert 'data-testid="error-password"' in weak.content.decode()
    assert not VolunteerApplication.objects.exists()


def test_rotating_forwarded_for_does_not_bypass_the_limit_per_address(client):
    statuses = [
        client.post(
            URL,
            _form(id_number=resident_id("440106", date(1990, 3, 3)), username=f"u{i}"),
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(12)
    ]
    assert statuses == [302] * 10 + [429] * 2
    assert VolunteerApplication.objects.count() == 10
    refused = client.post(URL, _form(), HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert "提交过于频繁" in refused.content.decode()
    [row] = AuditLog.objects.filter(action="rate_limited")
    assert row.ip == "127.0.0.1" and row.detail["rule"] == "volunteers.register.ip"


def test_one_id_number_is_limited_from_every_address(client):
    id_number = resident_id("440106", date(1991, 4, 4))
    statuses = [
        client.post(
            URL, _form(id_number=id_number, username=f"x{i}"), REMOTE_ADDR=f"198.51.100.{i + 1}"
        ).status_code
        for i in range(5)
    ]
    assert statuses == [302] * 3 + [429] * 2
    # The audit row names the ID only masked.
    [row] = AuditLog.objects.filter(action="rate_limited")
    assert row.detail["rule"] == "volunteers.register.id"
    assert id_number not in str(row.detail) and "*" in row.detail["target"]


def test_staff_review_in_their_jurisdiction_only(login, reviewer, other_county_user, client):
    client.post(URL, _form())
    application = VolunteerApplication.objects.get()
    other = login(other_county_user)
    assert "林志愿" not in other.get("/volunteers/applications/").content.decode()
    assert other.post(f"/volunteers/applications/{application.pk}/approve/").status_code == 404
    page = login(reviewer)
    listing = page.get("/volunteers/applications/").content.decode()
    assert "林志愿" in listing and application.id_number_masked in listing
    assert _form()["id_number"] not in listing
    done = page.post(f"/volunteers/applications/{application.pk}/approve/", follow=True)
    assert "登录账号为 linzy" in done.content.decode()
    application.refresh_from_db()
    assert application.status == "approved" and application.decided_by == reviewer
    assert AuditLog.objects.filter(action="user_change", actor=reviewer).exists()
    again = page.post(f"/volunteers/applications/{application.pk}/approve/", follow=True)
    assert "已审核" in again.content.decode() and Volunteer.objects.count() == 1


def test_a_rejection_needs_a_reason_and_creates_nothing(login, reviewer, client):
    client.post(URL, _form())
    application = VolunteerApplication.objects.get()
    page = login(reviewer)
    no_reason = page.post(f"/volunteers/applications/{application.pk}/reject/", follow=True)
    assert "请填写不通过的原因" in no_reason.content.decode()
    page.post(f"/volunteers/applications/{application.pk}/reject/", {"reason": "电话无法联系本人"})
    application.refresh_from_db()
    assert application.status == "rejected" and application.password == ""
    assert application.decision_note == "电话无法联系本人"
    assert not Volunteer.objects.exists() and not User.objects.filter(username="linzy").exists()


def test_an_id_registered_meanwhile_is_not_registered_twice(client, reviewer, county_user):
    id_number = resident_id("440106", date(1992, 5, 5))
    client.post(URL, _form(id_number=id_number))
    application = VolunteerApplication.objects.get()
    from shegong.volunteers import services

    services.volunteer_register(
        data={
            "name": "林志愿",
            "id_number": id_number,
            "phone": "13711112222",
            "region": "440106001001",
        },
        source=Volunteer.Source.ORGANISATION,
        acting_user=county_user,
        consent=True,
    )
    with pytest.raises(ValidationError, match="已注册为志愿者"):
        applications.application_approve(application=application, acting_user=reviewer)
    application.refresh_from_db()
    assert application.status == "pending" and Volunteer.objects.count() == 1

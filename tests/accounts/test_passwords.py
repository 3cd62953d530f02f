"""Password rules (length, character classes, no account name, no date, not common, not one of
the last N) wherever a password is set, each refusal naming its rule; the change-password page
(audited); the optional maximum age."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from shegong.accounts.models import PasswordHistory, User
from tests.accounts.conftest import PASSWORD, audited

pytestmark = pytest.mark.django_db


def _refusal(password: str, username: str = "zhangsan") -> list[str]:
    user = User(username=username)
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value.messages


@pytest.mark.parametrize(
    "password,rule",
    [
        ("Ab1!xyz", "最短长度"),
        ("abcdefghij12", "字符种类"),
        ("ABCDEFGHIJ!!", "字符种类"),
        ("Zhangsan@2026", "不含账号名"),
        ("Nasgnahz@2026", "不含账号名"),  # the name written backwards
        ("Xy!19900101ab", "不含日期"),
        ("Xy!a900101bcd", "不含日期"),
        ("Xy!1990-01-01", "不含日期"),
        ("Xy!1990/1/1abc", "不含日期"),
        ("Password12345", "非常用密码"),
    ],
)
def test_a_weak_password_is_refused_with_the_rule_it_breaks(password, rule):
    messages = _refusal(password)
    assert len(messages) == 1, messages
    assert f"「{rule}」" in messages[0]


def test_the_passwords_of_the_attack_report_are_refused():
    assert any("不含日期" in m for m in _refusal("19900101"))
    assert any("不含账号名" in m for m in _refusal("zhangsan"))


def test_strong_passwords_pass_and_the_length_is_a_setting(settings):
    for password in ("Shegong@2026", "pass12345!", "绿水青山Jinshan7"):
        validate_password(password, User(username="zhangsan"))
    settings.SHEGONG_PASSWORD_MIN_LENGTH = 14
    assert "14" in _refusal("Shegong@2026x")[0]


def test_the_demo_password_keeps_the_rules_for_every_demo_account():
    from shegong.accounts.demo import demo_usernames
    from shegong.core.demo_utils import DEMO_PASSWORD

    for username in demo_usernames():
        validate_password(DEMO_PASSWORD, User(username=username))


def test_volunteer_registration_keeps_the_name_rule(client):
    from datetime import date

    from django.urls import reverse

    from shegong.volunteers.models import Volunteer
    from tests.factories import OrganisationFactory
    from tests.volunteers.helpers import resident_id

    OrganisationFactory(kind="sw_station", region_id="440106001000")
    response = client.post(
        reverse("portal:register") + "?region=440106",
        {
            "county": "440106",
            "name": "陈志愿",
            "id_number": resident_id("440106", date(1995, 3, 4)),
            "phone": "13912345678",
            "region": "440106001001",
            "political_status": "league_member",
            "skills": ["teaching"],
            "availability": ["5"],
            "username": "chenzy",
            "password": "Chenzy#Volunteer",
            "consent": "on",
        },
    )
    assert "「不含账号名」" in response.content.decode()
    assert not Volunteer.objects.exists()


def _change(client, old, new):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_a_user_changes_their_password_on_the_page_and_it_is_audited(client, login, county_user):
    login(county_user)
    page = client.get("/").content.decode()
    assert 'href="/accounts/password/"' in page  # in the top bar's user menu
    response = _change(client, PASSWORD, "Tianhe#Spring7")
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still signed in
    county_user.refresh_from_db()
    assert county_user.check_password("Tianhe#Spring7")
    [change] = audited("password_change")
    assert change.actor == county_user and change.region_code == "440106000000"


def test_the_change_page_names_the_failed_rule_and_keeps_the_old_password(
    client, login, county_user
):
    login(county_user)
    response = _change(client, PASSWORD, "19900101")
    errors = " ".join(response.context["form"].errors["new_password1"])
    assert "「最短长度」" in errors and "「不含日期」" in errors
    response = _change(client, "not-my-password", "Tianhe#Spring7")
    assert "当前密码不正确" in " ".join(response.context["form"].errors["old_password"])
    county_user.refresh_from_db()
    assert county_user.check_password(PASSWORD)
    assert audited("password_change") == []


def test_the_last_five_passwords_cannot_be_used_again(client, login, county_user):
    login(county_user)
    passwords = [PASSWORD, "Tianhe#Spring1", "Tianhe#Spring2", "Tianhe#Spring3", "Tianhe#Spring4"]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert _change(client, old, new).status_code == 302
    # PASSWORD was the fifth-last: refused; a sixth change pushes it out of the history.
    response = _change(client, passwords[-1], PASSWORD)
    assert "「不重复使用」" in " ".join(response.context["form"].errors["new_password1"])
    assert PasswordHistory.objects.filter(user=county_user).count() == 5
    assert _change(client, passwords[-1], "Tianhe#Spring5").status_code == 302
    assert _change(client, "Tianhe#Spring5", PASSWORD).status_code == 302


def test_createsuperuser_keeps_the_rules(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "19900101")
    with pytest.raises(CommandError, match="不含日期"):
        call_command(
            "createsuperuser", interactive=False, username="root", email="", stdout=StringIO()
        )
    assert not User.objects.filter(username="root").exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Strong#Admin2026")
    call_command("createsuperuser", interactive=False, username="root", email="", stdout=StringIO())
    assert User.objects.get(username="root").is_superuser


def test_the_admin_refuses_a_weak_password(client, login, make_member):
    admin = make_member("sysadmin", "000000000000")
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    target = make_member("dept_staff")
    login(admin)
    response = client.post(
        f"/admin/accounts/user/{target.pk}/password/",
        {"password1": "zhangsan123", "password2": "zhangsan123"},
    )
    assert response.status_code == 200
    assert "「字符种类」" in response.content.decode()
    target.refresh_from_db()
    assert target.check_password(PASSWORD)


def test_a_password_past_its_maximum_age_is_changed_before_anything_else(
    client, sign_in, county_user, settings
):
    settings.SHEGONG_PASSWORD_MAX_AGE_DAYS = 90
    PasswordHistory.objects.filter(user=county_user).update(
        created_at=timezone.now() - timedelta(days=91)
    )
    from tests.signin import authenticator, code

    device = authenticator(county_user)
    sign_in(county_user.username)
    client.post("/accounts/login/verify/", {"code": code(device)})
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/")
    assert _change(client, PASSWORD, "Tianhe#Summer8").status_code == 302
    assert client.get("/orgs/").status_code == 200


def test_no_maximum_age_by_default(client, sign_in, county_user):
    PasswordHistory.objects.filter(user=county_user).update(
        created_at=timezone.now() - timedelta(days=3000)
    )
    from tests.signin import authenticator, code

    device = authenticator(county_user)
    sign_in(county_user.username)
    client.post("/accounts/login/verify/", {"code": code(device)})
    assert client.get("/orgs/").status_code == 200

"""Lockout after repeated failed sign-ins (GB/T 22239-2019 level 3, login-failure handling):
the Nth failure locks the account name and the client address, the sign-in page says so and
until when without telling whether the account exists, and unlocking is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from shegong.accounts.models import LockoutCounter
from tests.accounts.conftest import PASSWORD, audited

pytestmark = pytest.mark.django_db

LOCKED_ACCOUNT = "该账号因多次登录失败已被锁定"
LOCKED_ADDRESS = "您所在的网络地址因多次登录失败已被锁定"
WRONG = "请输入一个正确的"  # Django's message for a wrong name or password


@pytest.fixture
def limits(settings):
    settings.SHEGONG_LOCKOUT_ACCOUNT_FAILURES = 3
    settings.SHEGONG_LOCKOUT_ADDRESS_FAILURES = 5
    return settings


def _error(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def test_the_nth_failure_locks_the_account_until_a_time_even_for_the_right_password(
    client, sign_in, county_user, limits
):
    for _ in range(2):
        assert WRONG in _error(sign_in(county_user.username, "wrong-password"))
    third = _error(sign_in(county_user.username, "wrong-password"))
    counter = LockoutCounter.objects.get(kind="account", key=county_user.username)
    until = timezone.localtime(counter.locked_until).strftime("%Y-%m-%d %H:%M")
    assert LOCKED_ACCOUNT in third and until in third

    # The right password is refused while locked, and nobody is signed in.
    response = sign_in(county_user.username, PASSWORD)
    assert LOCKED_ACCOUNT in _error(response)
    assert client.get("/").status_code == 302

    [lockout] = audited("lockout", object_id=str(counter.pk))
    assert lockout.actor_name == county_user.username
    assert lockout.region_code == "440106000000"  # a leader of 天河区 sees it


def test_the_nth_failure_locks_both_the_account_and_the_address(sign_in, county_user, settings):
    settings.SHEGONG_LOCKOUT_ACCOUNT_FAILURES = 4
    settings.SHEGONG_LOCKOUT_ADDRESS_FAILURES = 4
    for _ in range(3):
        sign_in(county_user.username, "wrong-password")
    assert not LockoutCounter.objects.locked().exists()
    fourth = _error(sign_in(county_user.username, "wrong-password"))
    assert LOCKED_ACCOUNT in fourth
    assert sorted(LockoutCounter.objects.locked().values_list("kind", flat=True)) == [
        "account",
        "address",
    ]
    assert sorted(a.detail["kind"] for a in audited("lockout")) == ["account", "address"]


def test_the_nth_failure_from_one_address_locks_the_address_for_every_name(
    sign_in, county_user, other_county_user, limits
):
    for n in range(5):
        sign_in(f"guess{n}", "wrong-password")
    response = sign_in(county_user.username, PASSWORD)
    assert LOCKED_ADDRESS in _error(response)
    assert LockoutCounter.objects.get(kind="address", key="127.0.0.1").locked_until
    assert audited("lockout", detail__kind="address")
    # Another address is not affected.
    other = sign_in(other_county_user.username, PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_a_name_no_account_has_is_locked_with_the_same_words(sign_in, county_user, limits):
    """The answer never tells whether an account exists."""
    limits.SHEGONG_LOCKOUT_ADDRESS_FAILURES = 100
    answers = {}
    for name in (county_user.username, "no-such-person"):
        texts = [_error(sign_in(name, "wrong-password")) for _ in range(4)]
        answers[name] = [t.split("请于")[0] for t in texts]
    assert answers[county_user.username] == answers["no-such-person"]
    assert LOCKED_ACCOUNT in answers["no-such-person"][-1]


def test_the_lock_ends_after_the_cool_down(client, sign_in, county_user, limits):
    for _ in range(3):
        sign_in(county_user.username, "wrong-password")
    LockoutCounter.objects.filter(kind="account").update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    assert sign_in(county_user.username, PASSWORD).status_code == 302
    assert client.get("/").status_code in (200, 302)  # signed in (2FA enrolment may follow)
    assert not LockoutCounter.objects.filter(kind="account").exists()  # success forgets it


def test_a_leader_unlocks_an_account_of_the_jurisdiction_and_it_is_audited(
    client, sign_in, login, leader, county_user, other_county_user, limits
):
    for user in (county_user, other_county_user):
        for _ in range(3):
            sign_in(user.username, "wrong-password", REMOTE_ADDR=f"10.0.0.{user.pk % 200}")
    login(leader)
    page = client.get("/accounts/locks/").content.decode()
    assert county_user.username in page
    assert other_county_user.username not in page  # another county's account
    assert "10.0.0." not in page  # addresses belong to no jurisdiction

    mine = LockoutCounter.objects.get(kind="account", key=county_user.username)
    theirs = LockoutCounter.objects.get(kind="account", key=other_county_user.username)
    client.post(f"/accounts/locks/{theirs.pk}/unlock/")
    assert LockoutCounter.objects.filter(pk=theirs.pk, locked_until__isnull=False).exists()

    response = client.post(f"/accounts/locks/{mine.pk}/unlock/", follow=True)
    assert "已解除锁定" in response.content.decode()
    [unlock] = audited("unlock")
    assert unlock.actor == leader and unlock.detail["key"] == county_user.username
    client.post("/accounts/logout/")
    assert sign_in(county_user.username, PASSWORD).status_code == 302


def test_county_staff_may_not_open_the_locks_page(login, county_user):
    assert login(county_user).get("/accounts/locks/").status_code == 403


def test_the_unlock_command_lists_and_unlocks_with_an_audit_row(sign_in, county_user, limits):
    from io import StringIO

    for _ in range(3):
        sign_in(county_user.username, "wrong-password")
    out = StringIO()
    call_command("unlock", stdout=out)
    assert county_user.username in out.getvalue()
    call_command("unlock", county_user.username, stdout=StringIO())
    [unlock] = audited("unlock")
    assert unlock.actor_name.startswith("command:")
    assert sign_in(county_user.username, PASSWORD).status_code == 302

"""Issue #10: the public petition channels cannot be flooded or enumerated by rotating
X-Forwarded-For, and the 4 phone digits of the tracking page cannot be brute-forced."""

import time

import pytest

from shegong.core.models import AuditLog
from shegong.petitions import public
from shegong.petitions.models import Matter

from .conftest import TIANHE_STREET

pytestmark = pytest.mark.django_db

TRACK = "/petitions/public/track/"
FOUND = 'data-testid="track-result"'


class FakeClock:
    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """The rate limits' clock, moved forward by the test (no waiting)."""
    from shegong.core import ratelimit

    fake = FakeClock()
    monkeypatch.setattr(ratelimit, "time", fake)
    return fake


def _form(wages, i, **extra):
    return {
        "kind": "complaint",
        "category": wages.pk,
        "region": TIANHE_STREET,
        "title": "欠薪投诉",
        "request": f"第{i}件：公司拖欠{i + 2}个月工资，编号{i * 7919}",
        "name": "陈晓",
        "phone": f"1381234{5000 + i:04d}",
        "website": "",
        "token": public.form_token(time.time() - 30),
        **extra,
    }


def _open311(i):
    return {
        "service_code": "labour.wages",
        "address_id": TIANHE_STREET,
        "description": f"餐馆拖欠工资{i + 1}个月，第{i * 7919}号",
        "first_name": "晓",
        "last_name": "陈",
        "phone": f"1391234{5000 + i:04d}",
    }


def _rate_limited_rows():
    return list(AuditLog.objects.filter(action="rate_limited").values_list("detail", "ip"))


def test_rotating_forwarded_for_does_not_bypass_the_public_form_limit(client, wages):
    statuses = [
        client.post(
            "/petitions/public/submit/", _form(wages, i), HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        ).status_code
        for i in range(8)
    ]
    assert statuses == [200] * 5 + [429] * 3
    assert Matter.objects.count() == 5
    # One audit row for the refusals of the window (not one per request), with the real address.
    [(detail, ip)] = _rate_limited_rows()
    assert detail["rule"] == "petitions.submit.ip" and ip == "127.0.0.1"


def test_one_phone_number_cannot_flood_the_form_from_many_addresses(client, wages):
    statuses = [
        client.post(
            "/petitions/public/submit/",
            _form(wages, i, phone="13812345678"),
            REMOTE_ADDR=f"198.51.100.{i + 1}",
        ).status_code
        for i in range(7)
    ]
    assert statuses == [200] * 5 + [429] * 2
    assert "提交过于频繁" in client.post(
        "/petitions/public/submit/", _form(wages, 9, phone="13812345678"), REMOTE_ADDR="192.0.2.9"
    ).content.decode("utf-8")


def test_rotating_forwarded_for_does_not_bypass_the_open311_limit(client):
    responses = [
        client.post(
            "/open311/v2/requests.json",
            _open311(i),
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 10.0.0.1",
        )
        for i in range(8)
    ]
    assert [r.status_code for r in responses] == [200] * 5 + [429] * 3
    assert responses[-1].json()[0]["description"] == "提交过于频繁，请稍后再试"
    assert Matter.objects.count() == 5
    [(detail, ip)] = _rate_limited_rows()
    assert detail["rule"] == "petitions.open311.ip" and ip == "127.0.0.1"


def test_the_limit_holds_for_a_client_behind_a_trusted_proxy(client, settings):
    """Behind a configured proxy the client is the address the proxy appended; what the client
    wrote to the left of it changes nothing."""
    settings.SHEGONG_TRUSTED_PROXIES = ["10.0.0.0/8"]
    statuses = [
        client.post(
            "/open311/v2/requests.json",
            _open311(i),
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.50",
        ).status_code
        for i in range(7)
    ]
    assert statuses == [200] * 5 + [429] * 2
    # Another client behind the same proxy is counted on its own.
    other = client.post(
        "/open311/v2/requests.json",
        _open311(20),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.51",
    )
    assert other.status_code == 200
    [(detail, ip)] = _rate_limited_rows()
    assert ip == "203.0.113.50"


def test_rotating_forwarded_for_does_not_bypass_the_tracking_limit(client, register):
    matter = register()
    for i in range(30):
        wrong = client.post(
            TRACK,
            {"number": f"44010620990101{i:04d}", "suffix": "1234"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
        assert wrong.status_code == 200
    right = client.post(
        TRACK, {"number": matter.number, "suffix": "8000"}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert right.status_code == 429 and FOUND not in right.content.decode()
    assert "查询过于频繁" in right.content.decode()


def test_brute_forcing_the_four_digits_is_stopped_after_five_guesses(client, register, clock):
    """An attacker with as many addresses as guesses: the number locks after five wrong
    guesses, so the right suffix (here the 8th guess) is refused, and at five guesses an hour
    10,000 suffixes would take 2,000 hours."""
    matter = register(petitioners=[{"name": "张建国", "phone": "13800130007"}])
    answered = []
    for guess in range(40):
        response = client.post(
            TRACK,
            {"number": matter.number, "suffix": f"{guess:04d}"},
            REMOTE_ADDR=f"10.1.{guess}.1",
        )
        if response.status_code != 429:
            answered.append(guess)
        assert FOUND not in response.content.decode()
    assert answered == [0, 1, 2, 3, 4]
    # The petitioner's own look-up waits for the cool-down, then works again.
    assert client.post(TRACK, {"number": matter.number, "suffix": "0007"}).status_code == 429
    clock.now += 60 * 60 + 1
    page = client.post(TRACK, {"number": matter.number, "suffix": "0007"})
    assert page.status_code == 200 and FOUND in page.content.decode()
    # The lock was audited once, in the matter's county, with the number it protected.
    [(detail, _ip)] = _rate_limited_rows()
    assert detail == {
        "rule": "petitions.track.number",
        "limit": 5,
        "window": 3600,
        "target": matter.number,
    }
    assert AuditLog.objects.get(action="rate_limited").region_code == "440106000000"


def test_a_locked_number_answers_like_a_locked_invented_number(client, register):
    """The lock reveals nothing either: a real and an invented number lock alike."""
    matter = register()
    invented = "440106209901010001"
    for number in (matter.number, invented):
        for i in range(5):
            client.post(
                TRACK, {"number": number, "suffix": f"11{i:02d}"}, REMOTE_ADDR=f"10.2.{i}.1"
            )
    real = client.post(TRACK, {"number": matter.number, "suffix": "1111"}, REMOTE_ADDR="10.3.0.1")
    fake = client.post(TRACK, {"number": invented, "suffix": "1111"}, REMOTE_ADDR="10.3.0.2")
    assert real.status_code == fake.status_code == 429
    assert _strip(real, matter.number) == _strip(fake, invented)


def test_rating_through_the_tracking_page_counts_guesses_too(client, register):
    matter = register()
    for i in range(5):
        client.post(
            "/petitions/public/track/rate/",
            {"number": matter.number, "suffix": f"00{i:02d}", "rating": "satisfied"},
            REMOTE_ADDR=f"10.4.{i}.1",
        )
    response = client.post(TRACK, {"number": matter.number, "suffix": "8000"})
    assert response.status_code == 429
    matter.refresh_from_db()
    assert matter.rating == ""


def _strip(response, number):
    import re

    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'name="token" value="[^"]+"', "", html)
    return html.replace(number, "N")

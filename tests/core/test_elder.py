"""Elder mode (适老化): the switch sets or clears a display cookie and goes back to the page it
was on (never to another site); every page renders the mode from the cookie. The browser
journeys are in tests/browser/test_accessibility.py."""

import pytest

from shegong.core import elder

pytestmark = pytest.mark.django_db


def test_switching_on_sets_a_lasting_cookie_and_returns_to_the_page(client):
    response = client.post("/elder-mode/", {"on": "1", "next": "/portal/verify/?number=X"})
    assert response.status_code == 302
    assert response["Location"] == "/portal/verify/?number=X"
    cookie = response.cookies[elder.COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] == elder.MAX_AGE >= 365 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_pages_render_the_mode_from_the_cookie(client):
    assert b'class="sg-elder"' not in client.get("/portal/").content
    client.post("/elder-mode/", {"on": "1", "next": "/portal/"})
    for path in ("/portal/", "/petitions/public/submit/", "/accounts/login/"):
        page = client.get(path).content.decode()
        assert '<html lang="zh-hans" class="sg-elder">' in page, path
        assert "退出长者模式" in page, path
    client.post("/elder-mode/", {"on": "0", "next": "/portal/"})
    assert b'class="sg-elder"' not in client.get("/portal/").content


def test_switching_off_clears_the_cookie(client):
    client.cookies[elder.COOKIE] = "1"
    response = client.post("/elder-mode/", {"on": "0", "next": "/portal/sites/"})
    assert response["Location"] == "/portal/sites/"
    assert response.cookies[elder.COOKIE].value == ""
    assert response.cookies[elder.COOKIE]["max-age"] == 0


@pytest.mark.parametrize(
    "target", ["https://example.com/", "//example.com/x", "/\\example.com", "", "portal/"]
)
def test_the_switch_never_sends_anyone_to_another_site(client, target):
    response = client.post("/elder-mode/", {"on": "1", "next": target})
    assert response["Location"] == "/portal/"


def test_the_switch_only_answers_post(client):
    assert client.get("/elder-mode/?on=1").status_code == 405

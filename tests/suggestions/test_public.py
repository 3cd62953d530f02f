"""The portal's suggestion form refuses spam and abuse as the public petition form does: the
signed token and honeypot of core.challenge, and the rate limits of core.ratelimit."""

from __future__ import annotations

import time

import pytest

from shegong.core import challenge
from shegong.suggestions.models import Suggestion
from shegong.suggestions.views import TOKEN_SALT
from tests.suggestions.conftest import WUSHAN

pytestmark = pytest.mark.django_db
URL = "/suggestions/public/new/"


def _form(**over):
    data = {
        "region": WUSHAN,
        "topic": "",
        "text": "希望社区日间照料中心延长开放时间",
        "name": "",
        "contact": "",
        "website": "",
        "token": challenge.form_token(salt=TOKEN_SALT, issued_at=time.time() - 30),
    }
    data.update(over)
    return data


def _count():
    return Suggestion.objects.unscoped(reason="test").count()


def test_a_resident_submits_and_the_topic_is_suggested(client):
    response = client.post(URL, _form())
    assert response.status_code == 200
    assert "suggestion-submitted" in response.content.decode()
    s = Suggestion.objects.unscoped(reason="test").get()
    assert (s.region_code, s.county_code, s.topic_suggested) == (WUSHAN, "440106000000", "elderly")


def test_the_form_offers_the_petition_forms_region_picker(client):
    page = client.get(URL).content.decode()
    assert "/petitions/public/regions/" in page


@pytest.mark.parametrize(
    "bad",
    [
        {"website": "http://spam.example"},
        {"token": "forged"},
        {
            "token": lambda: challenge.form_token(
                salt="petitions.public-form", issued_at=time.time() - 30
            )
        },
        {"token": lambda: challenge.form_token(salt=TOKEN_SALT, issued_at=time.time())},
    ],
    ids=["honeypot", "forged", "another-forms-token", "too-fast"],
)
def test_scripts_are_refused(client, bad):
    bad = {k: v() if callable(v) else v for k, v in bad.items()}  # a token made now, not at import
    assert client.post(URL, _form(**bad)).status_code == 400
    assert _count() == 0


def test_submissions_are_limited_per_address(client, settings):
    settings.SHEGONG_RATE_LIMITS = {"suggestions.submit.ip": (2, 3600)}
    codes = [
        client.post(URL, _form(text=f"希望增加健身器材，第{i}条建议")).status_code for i in range(3)
    ]
    assert codes == [200, 200, 429]
    assert _count() == 2


def test_personal_data_without_consent_is_refused(client):
    response = client.post(URL, _form(name="陈晓", contact="13812345678"))
    assert "同意" in response.content.decode()
    assert _count() == 0

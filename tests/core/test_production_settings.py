"""Production settings: Django's deployment check passes, weak secrets are refused with a clear
message, and responses carry HSTS, the HTTPS redirect and secure cookies."""

import pytest
from django.test import Client

from shegong.settings.keys import field_key_problem, secret_key_problem
from tests.core.settings_probe import (
    production_env,
    production_settings,
    run,
    strong_field_key,
    strong_secret_key,
)


def test_check_deploy_passes_on_production_settings():
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize(
    "key,reason",
    [
        ("", "SECRET_KEY is not set"),
        ("insecure-dev-key-change-me", "published default"),
        (
            "django-insecure-" + "x7#k2!vq9@m4p8w1z5r3t6y0u2i4o6a8s0d3f5g7h9j1k3l",
            "published default",
        ),
        ("Zx9!kQ2#mW7$rT4%yU6^iO8&pA1*sD3(fG5)hJ", "too short"),
        ("ab12" * 20, "too few distinct characters"),
    ],
)
def test_a_weak_secret_key_is_refused_with_its_reason(key, reason):
    assert reason in secret_key_problem(key)


def test_a_strong_secret_key_is_accepted():
    assert secret_key_problem(strong_secret_key()) is None
    # 64 hexadecimal digits (openssl rand -hex 32) are strong although they use 16 characters.
    assert (
        secret_key_problem("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        is None
    )


@pytest.mark.parametrize("key", ["", "c2hvcnQ=", "A" * 44])
def test_a_missing_short_or_constant_field_key_is_refused(key):
    assert "SHEGONG_FIELD_KEY" in field_key_problem(key)


def test_a_strong_field_key_is_accepted():
    assert field_key_problem(strong_field_key()) is None


PRINT_DEBUG = (
    "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
)


def test_production_refuses_to_start_with_a_short_secret_key():
    done = run(["-c", PRINT_DEBUG], production_env(SECRET_KEY="short-but-not-default-key-123"))
    assert done.returncode != 0
    assert "Production refuses to start" in done.stderr
    assert "SECRET_KEY is too short (29 characters, at least 50)" in done.stderr
    assert "生产环境拒绝启动" in done.stderr


def test_production_refuses_to_start_without_a_field_key():
    done = run(["-c", PRINT_DEBUG], production_env(SHEGONG_FIELD_KEY=""))
    assert done.returncode != 0
    assert "SHEGONG_FIELD_KEY is not set" in done.stderr


def test_production_starts_with_strong_keys():
    done = run(["-c", PRINT_DEBUG], production_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_production_header_settings_and_their_switches():
    values = production_settings()
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        assert values[f"{cookie}_COOKIE_SECURE"] is True
        assert values[f"{cookie}_COOKIE_HTTPONLY"] is True
        assert values[f"{cookie}_COOKIE_SAMESITE"] == "Lax"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"

    behind_proxy = production_settings(
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https", SECURE_HSTS_SECONDS="600"
    )
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind_proxy["SECURE_HSTS_SECONDS"] == 600


def test_a_malformed_proxy_header_setting_is_refused():
    done = run(["-c", PRINT_DEBUG], production_env(SECURE_PROXY_SSL_HEADER="X Forwarded; https"))
    assert done.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https'" in done.stderr


@pytest.fixture
def production_headers(settings):
    """The test server with production's security settings (from the production module itself)."""
    for name, value in production_settings().items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    return settings


@pytest.mark.django_db
def test_production_redirects_to_https_and_sends_hsts(production_headers):
    client = Client()
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/accounts/login/"

    secure = client.get("/accounts/login/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = secure.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_a_forwarded_proto_header_counts_only_when_configured(production_headers, settings):
    # Not configured: anyone could send the header, so it is ignored and the redirect stays.
    assert Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    behind_proxy = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200
    assert "Strict-Transport-Security" in behind_proxy

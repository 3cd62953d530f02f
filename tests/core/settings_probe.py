"""Load a settings module in a fresh Python process, as `manage.py` would, and report it.

The production and local settings read the environment when they are imported and refuse to load
with weak secrets, so they are never imported into the test process itself.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# What makes a response "configured like production" (the production browser test copies these).
HEADER_SETTINGS = (
    "DEBUG",
    "SECURE_CSP",
    "SECURE_CSP_REPORT_ONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
)


def strong_secret_key() -> str:
    return secrets.token_urlsafe(50)


def strong_field_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def production_env(**overrides: str) -> dict[str, str]:
    """An environment production accepts: strong keys and a PostgreSQL URL (never connected to
    by `check` or by reading settings)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SHEGONG_", "DJANGO_")) and key != "DEBUG"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shegong.settings.production",
        SECRET_KEY=strong_secret_key(),
        SHEGONG_FIELD_KEY=strong_field_key(),
        DATABASE_URL="postgres://shegong@127.0.0.1:5432/shegong_settings_probe",
        ALLOWED_HOSTS="shegong.example.gov.cn",
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


PRINT_SETTINGS = """
import json, sys
import django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in sys.argv[1:]}))
"""


def settings_of(env: dict[str, str], names=HEADER_SETTINGS) -> dict:
    """The named settings as the module in env's DJANGO_SETTINGS_MODULE makes them."""
    done = run(["-c", PRINT_SETTINGS, *names], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def production_settings(**overrides: str) -> dict:
    if not overrides:
        return dict(_production_defaults())
    return settings_of(production_env(**overrides))


@cache
def _production_defaults() -> dict:
    return settings_of(production_env())

"""Settings for the test suite (SQLite in memory unless DATABASE_URL names another)."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-secret-key"  # noqa: S105
SHEGONG_FIELD_KEY = env("SHEGONG_FIELD_KEY", "dGVzdC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy0wMDA=")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SHEGONG_DEMO_OTP = True
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "shegong.core.sqlite_kept":
    if env("SHEGONG_TEST_DB_FILE"):  # building the template database (tests/testdb.py)
        DATABASES["default"]["NAME"] = env("SHEGONG_TEST_DB_FILE")
    else:  # each worker's copy of it lives in memory
        DATABASES["default"]["NAME"] = ":memory:"
        DATABASES["default"]["TEST"] = {"NAME": None}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files in tests are served by the live server's static handler from the finders.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

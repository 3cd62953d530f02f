"""Production: PostgreSQL via DATABASE_URL, strong secrets required, HTTPS only, static files
collected. Security headers common to every environment (CSP, X-Frame-Options, Referrer-Policy,
Cross-Origin-Opener-Policy) are in base.py; see docs/decisions/0008-security-headers-and-csp.md.

Environment (besides base.py's):
  SECRET_KEY                    at least 50 characters, not a published default (required)
  SHEGONG_FIELD_KEY             32 random bytes, base64 (required)
  SECURE_SSL_REDIRECT           redirect http:// to https:// (default on)
  SECURE_PROXY_SSL_HEADER       the header a TLS-terminating proxy sets, "X-Forwarded-Proto: https"
                                (default none: only set it when such a proxy always sets it)
  SECURE_HSTS_SECONDS           Strict-Transport-Security max-age (default 31536000, one year)
  SECURE_HSTS_INCLUDE_SUBDOMAINS  (default on)
  SECURE_HSTS_PRELOAD           ask to be preloaded in browsers (default off)
  SECURE_COOKIES                session, CSRF and language cookies only over HTTPS (default on)
  SHEGONG_METRICS_TOKEN         the bearer token Prometheus sends to /metrics
  LOG_LEVEL                     root log level (default WARNING); request lines are INFO, JSON
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env, env_bool
from .keys import (
    HOW_TO_MAKE,
    HOW_TO_MAKE_FIELD_KEY,
    field_key_problem,
    refusal,
    secret_key_problem,
)

DEBUG = False

# Read here, not inherited: base.py falls back to a published development key.
SECRET_KEY = env("SECRET_KEY")
SHEGONG_FIELD_KEY = env("SHEGONG_FIELD_KEY")
if problem := secret_key_problem(SECRET_KEY):
    raise ImproperlyConfigured(refusal(problem, HOW_TO_MAKE))
if problem := field_key_problem(SHEGONG_FIELD_KEY):
    raise ImproperlyConfigured(refusal(problem, HOW_TO_MAKE_FIELD_KEY))
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL=postgres://…")


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """ "X-Forwarded-Proto: https" (or just the header name) → ("HTTP_X_FORWARDED_PROTO", "https")."""
    if not value:
        return None
    name, _sep, expected = value.partition(":")
    name, expected = name.strip(), expected.strip() or "https"
    if not name or not name.replace("-", "").isalnum():
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER 格式应为“X-Forwarded-Proto: https” / "
            f"SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', not {value!r}."
        )
    return "HTTP_" + name.upper().replace("-", "_"), expected


# HTTPS only (but the load balancer's and Prometheus' probes, which may come over plain HTTP
# inside the cluster).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env("SECURE_PROXY_SSL_HEADER"))
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain (other departments' sites on it too) to HTTPS in every
    # browser for months; a department decides that itself, so asking for it is off by default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Cookies: HTTPS only, out of reach of scripts, not sent with cross-site subrequests.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # pages hand the token to htmx and Swagger UI; no script reads it
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Stated again (base.py has them) because production must not lose them to an edit there.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "shegong.ops.storage.StaticStorage"},
}

# Logs: one JSON object per line on standard output (journald or the container runtime keeps
# them), with a line per request (request id, user id, route, status, duration).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "shegong.ops.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "shegong.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "shegong.outbound": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

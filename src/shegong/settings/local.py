"""Local development and `make demo`: SQLite by default.

DEBUG is off, so nobody who opens the demo (it may be shown on a projector or reached from the
office network) sees Django's debug pages: a traceback with settings and SQL on a 500, the URL
list on a 404. Errors are written to the console instead. Static files come straight from the
finders (node_modules and the apps' static folders) through WhiteNoise, as DEBUG used to do.

A developer who wants the debug pages on their own machine starts with `DEBUG=1`.
"""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", False)
SHEGONG_DEMO_OTP = True  # `shegong demo_otp <demo account>` prints its current sign-in code
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Sensitive fields need a key; for a local demo one is made once and kept in var/ (never committed).
if not SHEGONG_FIELD_KEY:  # noqa: F405
    import base64
    import secrets

    _key_file = VAR_DIR / "field.key"
    if not _key_file.exists():
        _key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        _key_file.chmod(0o600)
    SHEGONG_FIELD_KEY = _key_file.read_text().strip()

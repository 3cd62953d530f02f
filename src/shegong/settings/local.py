"""Local development and `make demo`: SQLite by default, DEBUG on."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
SHEGONG_DEMO_OTP = True  # `shegong demo_otp <demo account>` prints its current sign-in code
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

# Sensitive fields need a key; for a local demo one is made once and kept in var/ (never committed).
if not SHEGONG_FIELD_KEY:  # noqa: F405
    import base64
    import secrets

    _key_file = VAR_DIR / "field.key"
    if not _key_file.exists():
        _key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        _key_file.chmod(0o600)
    SHEGONG_FIELD_KEY = _key_file.read_text().strip()

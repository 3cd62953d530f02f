"""Is a secret strong enough for production? Plain functions, so the rules are testable without
loading the production settings (which refuse to load with a weak secret)."""

from __future__ import annotations

import base64
import binascii

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 10
FIELD_KEY_MIN_BYTES = 32
# Keys that ship in this repository or in Django's project template: known to everyone.
KNOWN_SECRET_KEYS = {"insecure-dev-key-change-me", "test-secret-key"}
KNOWN_PREFIXES = ("insecure", "django-insecure")
HOW_TO_MAKE = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
HOW_TO_MAKE_FIELD_KEY = (
    "python3 -c 'import base64, secrets; "
    "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())'"
)


def secret_key_problem(key: str) -> str | None:
    """Why `key` may not sign production sessions, or None when it may."""
    key = key or ""
    if not key.strip():
        return "SECRET_KEY 未设置 / SECRET_KEY is not set."
    if key in KNOWN_SECRET_KEYS or key.lower().startswith(KNOWN_PREFIXES):
        return "SECRET_KEY 是公开的默认值 / SECRET_KEY is a published default value."
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return (
            f"SECRET_KEY 太短（{len(key)} 个字符，至少 {SECRET_KEY_MIN_LENGTH} 个）"
            f" / SECRET_KEY is too short ({len(key)} characters, at least {SECRET_KEY_MIN_LENGTH})."
        )
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        return (
            f"SECRET_KEY 字符种类太少（{len(set(key))} 种，至少 {SECRET_KEY_MIN_DISTINCT} 种）"
            f" / SECRET_KEY has too few distinct characters ({len(set(key))}, at least "
            f"{SECRET_KEY_MIN_DISTINCT})."
        )
    return None


def field_key_problem(key: str) -> str | None:
    """Why `key` may not encrypt personal data in production, or None when it may."""
    key = (key or "").strip()
    if not key:
        return "SHEGONG_FIELD_KEY 未设置 / SHEGONG_FIELD_KEY is not set."
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) < FIELD_KEY_MIN_BYTES or len(set(raw)) < 8:
        return (
            f"SHEGONG_FIELD_KEY 应为 base64 编码的 {FIELD_KEY_MIN_BYTES} 字节随机数"
            f" / SHEGONG_FIELD_KEY must be {FIELD_KEY_MIN_BYTES} random bytes in base64."
        )
    return None


def refusal(problem: str, how_to_make: str) -> str:
    """The message production stops with."""
    return f"生产环境拒绝启动 / Production refuses to start: {problem} 生成方法 / make one: {how_to_make}"

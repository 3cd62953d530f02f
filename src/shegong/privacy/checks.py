"""System checks for the field-encryption settings (run by `check` and `check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from shegong.core.crypto import SCHEMES, key_id


@register(Tags.security)
def field_encryption(app_configs, **kwargs):
    problems = []
    cipher = getattr(settings, "SHEGONG_FIELD_CIPHER", "sm4-gcm")
    if cipher not in SCHEMES:
        problems.append(
            Error(
                f"SHEGONG_FIELD_CIPHER is {cipher!r}; it must be one of {', '.join(SCHEMES)}.",
                id="shegong.E011",
            )
        )
    current = getattr(settings, "SHEGONG_FIELD_KEY", "")
    old = list(getattr(settings, "SHEGONG_FIELD_KEYS_OLD", []) or [])
    if current and old and key_id(current) in {key_id(k) for k in old if k}:
        problems.append(
            Warning(
                "SHEGONG_FIELD_KEYS_OLD contains the current SHEGONG_FIELD_KEY.",
                hint="List only the earlier keys; remove them once rotate_field_keys is done.",
                id="shegong.W011",
            )
        )
    return problems

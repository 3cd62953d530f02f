"""Sensitive personal data: resident ID numbers validated, encrypted at rest, findable by a keyed
hash (blind index), masked on screen; revealing one is an audited act.

Keys are derived from `SHEGONG_FIELD_KEY` (32 random bytes, base64) with HKDF: one for AES-GCM
encryption, one for the HMAC blind index. A model keeps three columns per sensitive number:
`<f>_encrypted` (AES-GCM token), `<f>_hash` (HMAC-SHA256, indexed) and `<f>_masked` (for lists).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent, InvalidFormat


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[bytes, bytes]:
    if not master:
        raise ImproperlyConfigured("SHEGONG_FIELD_KEY is not set.")
    try:
        raw = base64.urlsafe_b64decode(master + "=" * (-len(master) % 4))
    except ValueError:
        raw = master.encode()
    if len(raw) < 16:
        raw = hashlib.sha256(master.encode()).digest()

    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw)

    return derive(b"shegong-field-encryption"), derive(b"shegong-blind-index")


def _enc_key() -> bytes:
    return _keys(settings.SHEGONG_FIELD_KEY)[0]


def _index_key() -> bytes:
    return _keys(settings.SHEGONG_FIELD_KEY)[1]


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    nonce = os.urandom(12)
    token = AESGCM(_enc_key()).encrypt(nonce, plain.encode(), b"shegong")
    return "v1:" + base64.b64encode(nonce + token).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith("v1:"):
        raise ValueError("unknown token version")
    blob = base64.b64decode(token[3:])
    return AESGCM(_enc_key()).decrypt(blob[:12], blob[12:], b"shegong").decode()


def blind_index(plain: str) -> str:
    """A keyed hash for exact-match lookup; equal inputs give equal hashes, nothing else leaks."""
    if not plain:
        return ""
    return hmac.new(_index_key(), plain.upper().encode(), hashlib.sha256).hexdigest()


def mask_id(number: str) -> str:
    """First 6 and last 4 characters shown: 440106********123X."""
    if not number:
        return ""
    if len(number) <= 10:
        return number[:2] + "*" * (len(number) - 2)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # "M" or "F"
    area_code: str


# Province-level codes of GB/T 2260 (the first two digits of every resident ID).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65"
    " 71 81 82".split()
)


def validate_resident_id(value: str, *, field: str = "id_number") -> ResidentId:
    """Check an 18-character resident ID (GB 11643) with python-stdnum; messages in Chinese.

    Length, digits, check digit (`cn.ric.calc_check_digit`) and birth date are checked strictly.
    The area code must name a real province, but the county part is not required to exist in
    python-stdnum's table at the birth date: IDs keep the code of the office that issued them,
    and counties created later (天河区 440106, 1985) issue IDs to people born before them.
    """
    number = ric.compact(value or "").upper()
    if len(number) != 18:
        raise ValidationError({field: _("身份证号码应为 18 位。")}, code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            {field: _("身份证号码格式不正确（前 17 位应为数字，最后一位为数字或 X）。")},
            code="format",
        )
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError({field: _("身份证号码校验位错误，请核对最后一位。")}, code="checksum")
    try:
        birth = ric.get_birth_date(number)
    except (InvalidComponent, InvalidFormat, ValueError):
        raise ValidationError({field: _("身份证号码中的出生日期无效。")}, code="birth_date")
    if birth > date.today():
        raise ValidationError({field: _("身份证号码中的出生日期晚于今天。")}, code="future")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError({field: _("身份证号码中的地区代码无效。")}, code="area")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, sex=sex, area_code=number[:6])


def sensitive_columns(number: str) -> dict[str, str]:
    """The three stored columns for a number (prefix them with the field name)."""
    return {"encrypted": encrypt(number), "hash": blind_index(number), "masked": mask_id(number)}


def reveal(*, user, obj, field: str = "id_number", request=None) -> str:
    """Decrypt a sensitive number for a permitted user; the act goes to the audit log."""
    from shegong.core.audit import audit_record
    from shegong.core.models import AuditLog

    plain = decrypt(getattr(obj, f"{field}_encrypted"))
    audit_record(
        action=AuditLog.Action.REVEAL, actor=user, obj=obj, detail={"field": field}, request=request
    )
    return plain

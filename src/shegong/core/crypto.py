"""Sensitive personal data: resident ID numbers validated, encrypted at rest, findable by a keyed
hash (blind index), masked on screen; revealing one is an audited act.

Every stored value says how it was made, so the algorithm and the key can change while every
value stays readable (docs/decisions/0011-national-cryptography-and-personal-information.md):

- a token is `<cipher>:<kid>:<base64(nonce | ciphertext | tag)>`, e.g. `sm4:3f9a0c21:…`
  (SM4-GCM, GB/T 32907) or `aes:3f9a0c21:…` (AES-256-GCM); `v1:<base64>` is the first format
  (AES-256-GCM under the key's first derivation) and stays readable;
- a blind index is `<hmac>:<kid>:<base64url(digest)>`, e.g. `sm3:3f9a0c21:…` (HMAC-SM3,
  GB/T 32905) or `sha256:3f9a0c21:…`; 64 hex digits are the first format (HMAC-SHA-256).

`SHEGONG_FIELD_CIPHER` picks the scheme of new values ("sm4-gcm": SM4-GCM with HMAC-SM3, the
default; "aes-gcm": AES-256-GCM with HMAC-SHA-256). `SHEGONG_FIELD_KEY` is the current master key,
`SHEGONG_FIELD_KEYS_OLD` the earlier ones still needed to read what is not yet rotated
(`shegong rotate_field_keys`). A key id (`kid`) is derived from the master key itself, and every
working key is derived with HKDF (HKDF-SM3 for the national scheme) per purpose, algorithm and key
id. A lookup computes the index under every scheme still possibly stored (`blind_indexes`) and asks
for `hash IN (…)`, so people are found before, during and after a rotation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric


@dataclass(frozen=True)
class Scheme:
    name: str  # the setting's value
    cipher: str  # token prefix: "sm4" | "aes"
    index: str  # blind-index prefix: "sm3" | "sha256"


SCHEMES = {
    "sm4-gcm": Scheme("sm4-gcm", "sm4", "sm3"),
    "aes-gcm": Scheme("aes-gcm", "aes", "sha256"),
}
LEGACY_TOKEN = "v1:"
# A blind index replaced by anonymisation (`anon:<row id>`): unique, and nobody's number.
ANONYMISED_INDEX = "anon:"
_TOKEN = re.compile(r"^(sm4|aes):[0-9a-f]{8}:")
_TAG = 16
_NONCE = 12


class UnreadableToken(ValueError):
    """A token whose key is not configured, or that fails authentication."""


@dataclass(frozen=True)
class FieldKey:
    kid: str
    raw: bytes


def _raw_key(master: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(master + "=" * (-len(master) % 4))
    except ValueError:
        raw = master.encode()
    if len(raw) < 16:
        raw = hashlib.sha256(master.encode()).digest()
    return raw


def _key_of(master: str) -> FieldKey:
    raw = _raw_key(master)
    kid = HKDF(algorithm=hashes.SHA256(), length=4, salt=None, info=b"shegong/key-id").derive(raw)
    return FieldKey(kid=kid.hex(), raw=raw)


def key_id(master: str) -> str:
    """The id a master key is known by in tokens and indexes (no secret in it)."""
    return _key_of(master).kid


@lru_cache(maxsize=8)
def _keyring(master: str, old: tuple[str, ...]) -> tuple[FieldKey, ...]:
    if not master:
        raise ImproperlyConfigured("SHEGONG_FIELD_KEY is not set.")
    keys: list[FieldKey] = []
    for value in (master, *old):
        key = _key_of(value)
        if value and key.kid not in {k.kid for k in keys}:
            keys.append(key)
    return tuple(keys)


@lru_cache(maxsize=8)
def _old_masters(old: str | tuple) -> tuple[str, ...]:
    if isinstance(old, str):
        old = old.split(",")
    return tuple(v.strip() for v in old if v and v.strip())


def keys() -> tuple[FieldKey, ...]:
    """The current key first, then the older ones still accepted for reading."""
    old = getattr(settings, "SHEGONG_FIELD_KEYS_OLD", ()) or ()
    return _keyring(
        settings.SHEGONG_FIELD_KEY, _old_masters(old if isinstance(old, str) else tuple(old))
    )


def current_key() -> FieldKey:
    return keys()[0]


def current_scheme() -> Scheme:
    name = getattr(settings, "SHEGONG_FIELD_CIPHER", "sm4-gcm") or "sm4-gcm"
    try:
        return SCHEMES[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"SHEGONG_FIELD_CIPHER must be one of {', '.join(SCHEMES)} (got {name!r})."
        ) from None


def token_prefix() -> str:
    """What every token made now starts with (`sm4:<kid>:`)."""
    return f"{current_scheme().cipher}:{current_key().kid}:"


def index_prefix() -> str:
    """What every blind index made now starts with (`sm3:<kid>:`)."""
    return f"{current_scheme().index}:{current_key().kid}:"


def describe() -> dict[str, str]:
    """The scheme of new values, for audit rows and command output (no secret in it)."""
    return {
        "cipher": current_scheme().name,
        "token_prefix": token_prefix(),
        "index_prefix": index_prefix(),
        "old_keys": ",".join(k.kid for k in keys()[1:]),
    }


@lru_cache(maxsize=64)
def _derive(raw: bytes, purpose: str, alg: str, kid: str) -> bytes:
    national = alg in ("sm4", "sm3")
    return HKDF(
        algorithm=hashes.SM3() if national else hashes.SHA256(),
        length=16 if alg == "sm4" else 32,
        salt=None,
        info=f"shegong/{purpose}/{alg}/{kid}".encode(),
    ).derive(raw)


@lru_cache(maxsize=16)
def _legacy(raw: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(raw)


# ---- encryption --------------------------------------------------------------------------------


def _seal(alg: str, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    if alg == "aes":
        return AESGCM(key).encrypt(nonce, data, aad)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _open(alg: str, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if alg == "aes":
        return AESGCM(key).decrypt(nonce, sealed, aad)
    body, tag = sealed[:-_TAG], sealed[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(body) + decryptor.finalize()


def encrypt(plain: str) -> str:
    """A token under the current scheme and key; "" stays ""."""
    if not plain:
        return ""
    alg, key = current_scheme().cipher, current_key()
    header = f"{alg}:{key.kid}"
    nonce = os.urandom(_NONCE)
    # The header is authenticated too (associated data): a token cannot be relabelled.
    secret = _derive(key.raw, "encryption", alg, key.kid)
    sealed = _seal(alg, secret, nonce, plain.encode(), header.encode())
    return f"{header}:{base64.b64encode(nonce + sealed).decode()}"


def is_token(value: str) -> bool:
    """Whether a stored value is a token (of any version) rather than plain text."""
    return bool(value) and (value.startswith(LEGACY_TOKEN) or bool(_TOKEN.match(value)))


def is_current_token(value: str) -> bool:
    return value.startswith(token_prefix())


def decrypt(token: str) -> str:
    if not token:
        return ""
    if token.startswith(LEGACY_TOKEN):
        blob = base64.b64decode(token[len(LEGACY_TOKEN) :])
        for key in keys():
            try:
                return (
                    AESGCM(_legacy(key.raw, b"shegong-field-encryption"))
                    .decrypt(blob[:_NONCE], blob[_NONCE:], b"shegong")
                    .decode()
                )
            except InvalidTag:
                continue
        raise UnreadableToken("no configured key opens this v1 token")
    match = _TOKEN.match(token)
    if match is None:
        raise UnreadableToken("unknown token version")
    alg, kid, body = token.split(":", 2)
    key = next((k for k in keys() if k.kid == kid), None)
    if key is None:
        raise UnreadableToken(f"key {kid} is not configured (SHEGONG_FIELD_KEYS_OLD)")
    blob = base64.b64decode(body)
    try:
        plain = _open(
            alg,
            _derive(key.raw, "encryption", alg, kid),
            blob[:_NONCE],
            blob[_NONCE:],
            f"{alg}:{kid}".encode(),
        )
    except InvalidTag:
        raise UnreadableToken(f"token under key {kid} fails authentication") from None
    return plain.decode()


def reencrypt(token: str) -> str:
    """The same value as a token of the current scheme (unchanged if it already is one)."""
    if not token or is_current_token(token):
        return token
    return encrypt(decrypt(token))


# ---- blind indexes -----------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _indexer(alg: str, key: FieldKey):
    """The blind index of `alg` under `key` as a function of the text: the keyed MAC is set up
    once and copied for each value (setting it up cost more than the MAC itself)."""
    secret = _derive(key.raw, "blind-index", alg, key.kid)
    prefix = f"{alg}:{key.kid}:"
    if alg == "sm3":
        prepared = crypto_hmac.HMAC(secret, hashes.SM3())

        def index(text: bytes) -> str:
            mac = prepared.copy()
            mac.update(text)
            return prefix + base64.urlsafe_b64encode(mac.finalize()).decode().rstrip("=")

    else:
        prepared_sha = hmac.new(secret, digestmod=hashlib.sha256)

        def index(text: bytes) -> str:
            mac = prepared_sha.copy()
            mac.update(text)
            return prefix + base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")

    return index


@lru_cache(maxsize=8)
def _legacy_indexer(key: FieldKey):
    prepared = hmac.new(_legacy(key.raw, b"shegong-blind-index"), digestmod=hashlib.sha256)

    def index(text: bytes) -> str:
        mac = prepared.copy()
        mac.update(text)
        return mac.hexdigest()

    return index


@lru_cache(maxsize=8)
def _indexers(index_alg: str, ring: tuple[FieldKey, ...]) -> tuple:
    """The functions giving every value a blind index may be stored as: the current scheme's
    first, then every key under both HMACs and the first format (one function per value)."""
    found = {("current",): _indexer(index_alg, ring[0])}
    for key in ring:
        for alg in ("sm3", "sha256"):
            if (alg, key) != (index_alg, ring[0]):
                found[(alg, key.kid)] = _indexer(alg, key)
        found[("legacy", key.kid)] = _legacy_indexer(key)
    return tuple(found.values())


def blind_index(plain: str) -> str:
    """The keyed hash stored for exact-match lookup, under the current scheme and key; equal
    inputs give equal hashes, nothing else leaks. Case-insensitive (ID numbers end in X)."""
    if not plain:
        return ""
    return _indexer(current_scheme().index, current_key())(plain.upper().encode())


def blind_indexes(plain: str) -> list[str]:
    """Every value the blind index of `plain` may be stored as (current scheme first): every
    configured key under both HMACs, and the first format. Look up with `hash__in=…`."""
    if not plain:
        return []
    text = plain.upper().encode()
    return list(dict.fromkeys(index(text) for index in _indexers(current_scheme().index, keys())))


def is_current_index(value: str) -> bool:
    return value.startswith(index_prefix())


# ---- display -----------------------------------------------------------------------------------


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
    value = value or ""
    # ASCII input (nearly all) needs none of stdnum's mapping of look-alike characters.
    number = value.upper().strip() if value.isascii() else ric.compact(value).upper()
    if len(number) != 18:
        raise ValidationError({field: _("身份证号码应为 18 位。")}, code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            {field: _("身份证号码格式不正确（前 17 位应为数字，最后一位为数字或 X）。")},
            code="format",
        )
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError({field: _("身份证号码校验位错误，请核对最后一位。")}, code="checksum")
    try:  # what ric.get_birth_date reads, without compacting the number again
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError({field: _("身份证号码中的出生日期无效。")}, code="birth_date")
    if birth > date.today():
        raise ValidationError({field: _("身份证号码中的出生日期晚于今天。")}, code="future")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError({field: _("身份证号码中的地区代码无效。")}, code="area")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, sex=sex, area_code=number[:6])


def sensitive_columns(number: str, *, index: str | None = None) -> dict[str, str]:
    """The three stored columns for a number (prefix them with the field name); `index`, when
    given, is its blind index under the current scheme (`blind_indexes(number)[0]`)."""
    return {
        "encrypted": encrypt(number),
        "hash": index or blind_index(number),
        "masked": mask_id(number),
    }


def reveal(*, user, obj, field: str = "id_number", request=None) -> str:
    """Decrypt a sensitive number for a permitted user; the act goes to the audit log."""
    from shegong.core.audit import audit_record
    from shegong.core.models import AuditLog

    plain = decrypt(getattr(obj, f"{field}_encrypted"))
    audit_record(
        action=AuditLog.Action.REVEAL, actor=user, obj=obj, detail={"field": field}, request=request
    )
    return plain

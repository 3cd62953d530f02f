"""The text of a suggestion as the portal shows it: no phone numbers, ID numbers or names.

The submitter's own name and contact are never shown; they are also removed from the text if the
resident wrote them into it, as are ID numbers (18 digits), mobile and fixed-line numbers, and
the names a person introduces ("我叫…", "姓名：…", "…先生/女士/阿姨"). Removed parts read
"[已隐去]" so a reader sees something was taken out."""

from __future__ import annotations

import re

HIDDEN = "[已隐去]"

_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_FIXED = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_INTRODUCED = re.compile(
    r"(我叫|我是|本人|姓名[:：]?|联系人[:：]?)\s*([\u4e00-\u9fff]{2,4}?)(?=[，,。；;、\s]|$|先生|女士)"
)
_ADDRESSED = re.compile(r"[\u4e00-\u9fff](?:先生|女士|阿姨|大爷|伯伯)")
_LONG_DIGITS = re.compile(r"\d{7,}")


def anonymise(text: str, *, names: tuple[str, ...] = (), contacts: tuple[str, ...] = ()) -> str:
    out = text or ""
    for value in (*names, *contacts):
        value = (value or "").strip()
        if len(value) >= 2:
            out = out.replace(value, HIDDEN)
    out = _ID.sub(HIDDEN, out)
    out = _MOBILE.sub(HIDDEN, out)
    out = _FIXED.sub(HIDDEN, out)
    out = _EMAIL.sub(HIDDEN, out)
    out = _INTRODUCED.sub(lambda m: m.group(1) + HIDDEN, out)
    out = _ADDRESSED.sub(HIDDEN, out)
    out = _LONG_DIGITS.sub(HIDDEN, out)
    return out

"""The challenge of the public forms (no login): a signed timestamp issued with the form and a
honeypot field. A post without a valid token, with a token older than two hours, with one
younger than the time a person needs to fill the form, or with the honeypot filled, is refused.
Each form signs with its own salt, so one form's token does not open another. Used with the rate
limits of `core.ratelimit` by the petitions form and the suggestions box."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing

MAX_AGE = 2 * 60 * 60
MIN_AGE = 2  # seconds: a form filled faster than this is a script
HONEYPOT = "website"


def form_token(*, salt: str, issued_at: float | None = None) -> str:
    return signing.dumps({"t": issued_at if issued_at is not None else time.time()}, salt=salt)


def min_seconds() -> float:
    # PETITIONS_FORM_MIN_SECONDS: the setting's first name (tests and deployments use it).
    return getattr(settings, "PETITIONS_FORM_MIN_SECONDS", MIN_AGE)


def token_ok(token: str, *, salt: str) -> bool:
    try:
        data = signing.loads(token, salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    return time.time() - float(data.get("t", 0)) >= min_seconds()


def passed(post, *, salt: str) -> bool:
    """The post carries a valid token and an empty honeypot."""
    return not post.get(HONEYPOT) and token_ok(post.get("token", ""), salt=salt)

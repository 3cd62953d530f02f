"""Rate limits in one place: named rules, counted per client address or per target (an account,
a matter number, an ID number) in a table every process of a deployment shares.

- `hit(request, rule)` counts one attempt and says whether it is still allowed: keyed on the
  client address (`core.audit.client_ip`, which believes X-Forwarded-For only from configured
  proxies), or on `key=` when the limit is per target.
- `fail(request, rule, key=...)` counts a failed guess and `locked(rule, key=...)` says whether
  the failures reached the limit: a lock on the target, whatever the address (tracking numbers).

A window starts at the first counted event of a key and lasts the rule's seconds. Each counter is
one row of `core.RateLimitCounter`, updated by one atomic upsert (INSERT … ON CONFLICT … RETURNING
on SQLite and PostgreSQL alike), so concurrent processes never lose a count. The row's key is the
rule's name and a keyed hash of the target, so the table holds no addresses or ID numbers.
The first refusal of a key in a window writes one RATE_LIMITED audit row, never one per request.
See docs/decisions/0007-client-address-rate-limits-tokens.md.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac

from shegong.core.audit import audit_record, client_ip
from shegong.core.models import AuditLog, RateLimitCounter


@dataclass(frozen=True)
class Rule:
    limit: int  # allowed events per window
    window: int  # seconds


HOUR = 60 * 60

RULES: dict[str, Rule] = {
    # The public petition form: submissions per address, and per petitioner's phone number.
    "petitions.submit.ip": Rule(5, HOUR),
    "petitions.submit.phone": Rule(5, HOUR),
    # Open311 POST (GeoReport v2 clients): submissions per address.
    "petitions.open311.ip": Rule(5, HOUR),
    # The public tracking page: look-ups per address, and wrong guesses per matter number (after
    # five the number's public tracking is locked for the rest of the hour, from any address).
    "petitions.track.ip": Rule(30, 10 * 60),
    "petitions.track.number": Rule(5, HOUR),
    # The suggestions box (意见箱) on the portal: submissions per address, and per contact given.
    "suggestions.submit.ip": Rule(5, HOUR),
    "suggestions.submit.contact": Rule(5, HOUR),
    # Public volunteer registration: attempts per address, and per ID number.
    "volunteers.register.ip": Rule(10, HOUR),
    "volunteers.register.id": Rule(3, 24 * HOUR),
}

# One in this many counts also deletes the counters whose window has ended.
SWEEP_EVERY = 200


def rule(name: str) -> Rule:
    override = getattr(settings, "SHEGONG_RATE_LIMITS", {}).get(name)
    if override is not None:
        return Rule(*override)
    return RULES[name]


def hit(
    request, name: str, *, key: str | None = None, shown: str = "", region_code: str = ""
) -> bool:
    """Count one attempt under rule `name`; False once the limit of the window is passed.

    `key` is the target counted (the client address when None); `shown` is what the audit row
    names as the target (never a raw ID number), `region_code` whose log shows the refusal."""
    current = rule(name)
    count = _count(_row_key(name, _subject(request, key)), current.window)
    if count == current.limit + 1:
        _audit(request, name, current, shown=shown, region_code=region_code)
    return count <= current.limit


def fail(request, name: str, *, key: str, shown: str = "", region_code: str = "") -> None:
    """Count one failed guess at `key`; the guess that reaches the limit locks it (audited)."""
    current = rule(name)
    count = _count(_row_key(name, key), current.window)
    if count == current.limit:
        _audit(request, name, current, shown=shown, region_code=region_code)


def locked(name: str, *, key: str) -> bool:
    """The failures counted at `key` reached the limit and their window has not ended."""
    found = (
        RateLimitCounter.objects.filter(key=_row_key(name, key), expires__gt=int(time.time()))
        .values_list("count", flat=True)
        .first()
    )
    return found is not None and found >= rule(name).limit


def _subject(request, key: str | None) -> str:
    if key is not None:
        return key
    return client_ip(request) or "unknown"


def _row_key(name: str, subject: str) -> str:
    digest = salted_hmac("shegong.core.ratelimit", f"{name}\x00{subject}").hexdigest()
    return f"{name[:58]}:{digest[:40]}"


def _count(key: str, window: int) -> int:
    """Add one to the counter `key` (a new window if the old one ended); the new count."""
    now = int(time.time())
    q = connection.ops.quote_name
    table, k, c, e = q(RateLimitCounter._meta.db_table), q("key"), q("count"), q("expires")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {c}, {e}) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({k}) DO UPDATE SET "
            f"{c} = CASE WHEN {table}.{e} <= %s THEN 1 ELSE {table}.{c} + 1 END, "
            f"{e} = CASE WHEN {table}.{e} <= %s THEN excluded.{e} ELSE {table}.{e} END "
            f"RETURNING {c}",
            [key, now + window, now, now],
        )
        count = cursor.fetchone()[0]
    if random.randrange(SWEEP_EVERY) == 0:  # noqa: S311 - not security-relevant, spreads the work
        sweep(now)
    return count


def sweep(now: int | None = None) -> int:
    """Delete the counters whose window has ended; how many."""
    deleted, _ = RateLimitCounter.objects.filter(
        expires__lte=int(time.time()) if now is None else now
    ).delete()
    return deleted


def _audit(request, name: str, current: Rule, *, shown: str, region_code: str) -> None:
    detail = {"rule": name, "limit": current.limit, "window": current.window}
    if shown:
        detail["target"] = shown
    audit_record(
        action=AuditLog.Action.RATE_LIMITED,
        actor=getattr(request, "user", None),
        region_code=region_code,
        detail=detail,
        request=request,
    )

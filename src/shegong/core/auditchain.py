"""The audit log's hash chain: append (serialised), verify (in batches), prune (with an anchor).

Each `AuditLog` row holds its position `seq`, the previous row's hash `prev_hash` and its own
`hash` = SM3 over a canonical serialisation of its fields and `prev_hash` (see
docs/decisions/0012-tamper-evident-audit.md). Rows are appended one at a time under a lock held
to the end of the caller's transaction (PostgreSQL: an advisory transaction lock; SQLite: the
database's single writer, `BEGIN IMMEDIATE`), so the chain never forks, and the hash is computed
in the same transaction as the act it records. Database triggers (migration
`core.0005_audit_append_only`) refuse UPDATE of audit rows and DELETE except of rows that are
older than the legal minimum and covered by a pruning anchor.
"""

from __future__ import annotations

import ipaddress
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.core import checks
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.utils import timezone

from shegong.core.models import AuditAnchor, AuditLog, AuditVerification

UNSCOPED_READS = "The audit chain is appended to, verified and pruned as the system over the whole log; nothing read here is shown to a user (the audit pages read through accounts.selectors)."

ALGORITHM = "SM3"  # GB/T 32905-2016; what a GB/T 39786-2021 assessment expects for audit integrity
FORMAT = "shegong-audit-v1"
GENESIS = "0" * 64
# Cybersecurity Law Art. 21: network logs are kept at least six months. The database triggers
# hold the same floor, whatever the setting says.
MIN_RETENTION_DAYS = 180
# Rows a pruning run may leave behind for clock differences between the server and the database.
PRUNE_MARGIN = timedelta(minutes=10)
# pg_advisory_xact_lock key shared by every writer of the chain ("SGAUDIT" in ASCII).
LOCK_KEY = 0x53_47_41_55_44_49_54

# Names of the guard triggers per database vendor (created by migration core.0005).
GUARD_TRIGGERS = {
    "sqlite": (
        "core_auditlog_no_update",
        "core_auditlog_delete_guard",
        "core_auditanchor_no_update",
        "core_auditanchor_no_delete",
    ),
    "postgresql": (
        "core_auditlog_no_update",
        "core_auditlog_delete_guard",
        "core_auditlog_no_truncate",
        "core_auditanchor_no_change",
        "core_auditanchor_no_truncate",
    ),
}

# The columns a verification reads, in the order `canonical_bytes` takes them.
HASHED_COLUMNS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "region_code",
    "detail",
    "ip",
    "prev_hash",
)


# ---- canonical form and hash -------------------------------------------------------------------

_EXACT_FLOAT = 2**53


def _json_value(value: Any) -> Any:
    """A JSON value that survives a round trip through SQLite text and PostgreSQL jsonb unchanged:
    integral floats become ints (jsonb prints 2.0 as 2.0 but 1e16 as 10000000000000000), floats
    too large to be exact and non-finite ones become their text."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= _EXACT_FLOAT:
            return repr(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return str(value)


def normalised_detail(detail: dict | None) -> dict:
    """`detail` as it will read back from the database (dates, decimals and UUIDs as text)."""
    if not detail:
        return {}
    return _json_value(json.loads(json.dumps(detail, cls=DjangoJSONEncoder)))


def canonical_ip(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return str(ipaddress.ip_interface(str(value)).ip)
    except ValueError:
        return str(value)


def _instant(at: datetime) -> str:
    if timezone.is_naive(at):
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    region_code: str,
    detail: dict | None,
    ip: Any,
    prev_hash: str,
) -> bytes:
    """The bytes that are hashed: a JSON array in a fixed order, keys sorted, no spaces, UTF-8."""
    record = [
        FORMAT,
        int(seq),
        _instant(at),
        actor_id,
        actor_name or "",
        action or "",
        object_type or "",
        object_id or "",
        region_code or "",
        _json_value(detail or {}),
        canonical_ip(ip),
        prev_hash,
    ]
    return json.dumps(
        record, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
    ).encode("utf-8")


def digest(data: bytes) -> str:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize().hex()


def row_hash(row: AuditLog) -> str:
    return digest(canonical_bytes(**{name: getattr(row, name) for name in HASHED_COLUMNS}))


# ---- appending ---------------------------------------------------------------------------------


def _lock_chain(using: str) -> None:
    """Serialise appends until the end of the current transaction."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    # SQLite: the transaction began with BEGIN IMMEDIATE (settings: transaction_mode), so this
    # connection already holds the database's only write lock.


def chain_head(using: str | None = None) -> tuple[int, str]:
    """(seq, hash) of the last row, else of the last pruning anchor, else the genesis."""
    using = using or router.db_for_write(AuditLog)
    last = AuditLog.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    if last is not None:
        return last
    anchor = (
        AuditAnchor.objects.using(using)
        .order_by("-last_seq")
        .values_list("last_seq", "last_hash")
        .first()
    )
    return anchor if anchor is not None else (0, GENESIS)


def append(*, at: datetime | None = None, **fields: Any) -> AuditLog:
    """Write one audit row at the end of the chain, inside the caller's transaction.

    Only `core.audit.audit_record` (and tests that need a row in the past) call this."""
    using = router.db_for_write(AuditLog)
    with transaction.atomic(using=using, savepoint=False):
        _lock_chain(using)
        seq, prev_hash = chain_head(using)
        row = AuditLog(at=at or timezone.now(), seq=seq + 1, prev_hash=prev_hash, **fields)
        row.hash = row_hash(row)
        row.save(force_insert=True, using=using)
    return row


# ---- verifying ---------------------------------------------------------------------------------


@dataclass
class Verification:
    ok: bool = True
    rows: int = 0
    first_seq: int | None = None
    head_seq: int | None = None
    head_hash: str = ""
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""
    missing_guards: list[str] = field(default_factory=list)

    def break_at(self, seq: int, pk: int, problem: str) -> None:
        self.ok, self.broken_seq, self.broken_id, self.problem = False, seq, pk, problem


def missing_guards(using: str | None = None) -> list[str]:
    """The guard triggers that are not in place (a migration that rebuilt the table on SQLite
    drops them; someone may have dropped or disabled them)."""
    using = using or router.db_for_write(AuditLog)
    connection = connections[using]
    wanted = GUARD_TRIGGERS.get(connection.vendor)
    if wanted is None:
        return [f"unsupported database: {connection.vendor}"]
    placeholders = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "  # noqa: S608
                f"AND name IN ({placeholders})",
                list(wanted),
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgenabled <> 'D' "  # noqa: S608
                f"AND tgname IN ({placeholders})",
                list(wanted),
            )
        present = {name for (name,) in cursor.fetchall()}
    return [name for name in wanted if name not in present]


def _rows(using: str, batch_size: int) -> Iterator[tuple]:
    """Every row in chain order, read in batches by `seq` (keyset pagination on its index)."""
    after = -1
    columns = ("id", *HASHED_COLUMNS, "hash")
    while True:
        batch = list(
            AuditLog.objects.using(using)
            .filter(seq__gt=after)
            .order_by("seq")
            .values_list(*columns)[:batch_size]
        )
        if not batch:
            return
        yield from batch
        after = batch[-1][1]


def last_verified_head() -> tuple[int, str] | None:
    """The head a previous verification found intact: rows up to it must still be there."""
    return (
        AuditVerification.objects.filter(ok=True, head_seq__isnull=False)
        .order_by("-head_seq")
        .values_list("head_seq", "head_hash")
        .first()
    )


def verify(
    *,
    batch_size: int = 5000,
    using: str | None = None,
    known_head: tuple[int, str] | None = None,
) -> Verification:
    """Walk the whole chain and stop at the first broken link. `known_head` is a (seq, hash)
    seen before: a chain that now ends before it, or holds another row there, lost its tail."""
    using = using or router.db_for_write(AuditLog)
    result = Verification()
    anchors = dict(AuditAnchor.objects.using(using).values_list("last_seq", "last_hash"))
    prev_seq: int | None = None
    prev_hash = ""
    for pk, *values, stored in _rows(using, batch_size):
        fields = dict(zip(HASHED_COLUMNS, values, strict=True))
        seq = fields["seq"]
        if prev_seq is None:
            result.first_seq = seq
            expected = GENESIS if seq == 1 else anchors.get(seq - 1)
            if expected is None:
                result.break_at(seq, pk, AuditVerification.Problem.START)
                return result
        else:
            expected = prev_hash if seq == prev_seq + 1 else None
        if fields["prev_hash"] != expected:
            result.break_at(seq, pk, AuditVerification.Problem.BROKEN)
            return result
        if digest(canonical_bytes(**fields)) != stored:
            result.break_at(seq, pk, AuditVerification.Problem.EDITED)
            return result
        if known_head is not None and seq == known_head[0] and stored != known_head[1]:
            result.break_at(seq, pk, AuditVerification.Problem.BROKEN)
            return result
        result.rows += 1
        result.head_seq, result.head_hash = seq, stored
        prev_seq, prev_hash = seq, stored
    reached = max(result.head_seq or 0, max(anchors, default=0))
    if known_head is not None and reached < known_head[0]:
        result.ok, result.problem = False, AuditVerification.Problem.TAIL
        result.broken_seq = (result.head_seq or 0) + 1
        return result
    result.missing_guards = missing_guards(using)
    if result.missing_guards:
        result.ok, result.problem = False, AuditVerification.Problem.GUARD
    return result


def verify_and_record(*, run_by: str = "", batch_size: int = 5000) -> AuditVerification:
    """Verify the chain and keep the result for the audit page."""
    started = timezone.now()
    result = verify(batch_size=batch_size, known_head=last_verified_head())
    return AuditVerification.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        ok=result.ok,
        rows=result.rows,
        first_seq=result.first_seq,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        broken_seq=result.broken_seq,
        broken_id=result.broken_id,
        problem=result.problem,
        run_by=run_by[:150],
    )


# ---- retention ---------------------------------------------------------------------------------


class RetentionTooShort(ValueError):
    pass


def retention_days(days: int | None = None) -> int:
    """The retention period in days (the setting unless given); refuses less than the legal floor."""
    value = settings.SHEGONG_AUDIT_RETENTION_DAYS if days is None else days
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise RetentionTooShort(value) from None
    if value < MIN_RETENTION_DAYS:
        raise RetentionTooShort(value)
    return value


@dataclass
class Pruned:
    rows: int = 0
    anchors: list[AuditAnchor] = field(default_factory=list)


def prune(*, days: int | None = None, batch_size: int = 10_000, run_by: str = "") -> Pruned:
    """Delete the oldest rows that are older than the retention period, a batch per transaction;
    each batch first records an anchor (the last pruned row's seq and hash) so the first row kept
    still verifies. Raises `RetentionTooShort` for a period under six months."""
    days = retention_days(days)
    using = router.db_for_write(AuditLog)
    cutoff = timezone.now() - timedelta(days=days) - PRUNE_MARGIN
    pruned = Pruned()
    while True:
        with transaction.atomic(using=using):
            _lock_chain(using)
            oldest = list(
                AuditLog.objects.using(using)
                .order_by("seq")
                .values_list("seq", "at", "hash")[:batch_size]
            )
            expired = _old_prefix(oldest, cutoff)
            if not expired:
                break
            last_seq, last_at, last_hash = expired[-1]
            anchor = AuditAnchor.objects.using(using).create(
                last_seq=last_seq,
                last_hash=last_hash,
                last_at=last_at,
                rows=len(expired),
                retention_days=days,
            )
            AuditLog.objects.using(using).filter(seq__lte=last_seq).delete()
            pruned.rows += len(expired)
            pruned.anchors.append(anchor)
        if len(expired) < len(oldest):
            break
    if pruned.rows:
        from shegong.core.audit import audit_record

        audit_record(
            action=AuditLog.Action.OTHER,
            actor_name=run_by or "system",
            detail={
                "op": "audit_prune",
                "rows": pruned.rows,
                "through_seq": pruned.anchors[-1].last_seq,
                "retention_days": days,
            },
        )
    return pruned


def _old_prefix(rows: Sequence[tuple], cutoff: datetime) -> list[tuple]:
    """The rows from the start of the chain up to the first one that is not older than `cutoff`
    (a row kept must never be followed by a pruned one)."""
    prefix = []
    for row in rows:
        if row[1] >= cutoff:
            break
        prefix.append(row)
    return prefix


@checks.register(checks.Tags.security, deploy=False)
def check_audit_retention(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        retention_days()
    except RetentionTooShort as exc:
        return [
            checks.Error(
                f"SHEGONG_AUDIT_RETENTION_DAYS={exc.args[0]!r}: audit logs are kept at least "
                f"{MIN_RETENTION_DAYS} days (Cybersecurity Law Art. 21).",
                id="shegong.E012",
            )
        ]
    return []

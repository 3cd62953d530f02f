"""The one registry of encrypted columns and blind indexes, and the key rotation that walks it.

Every column that holds a token of the field-encryption envelope (`core.crypto`) or a blind index
is declared here; `tests/core/test_sensitive_registry.py` fails if a model gains one that is not.
`shegong rotate_field_keys` re-encrypts and re-indexes, table by table (history tables included),
the rows whose values are not yet under the current scheme and key:

- in batches, each its own transaction, found by keyset pagination (`pk > last`) with the rows
  locked (`FOR UPDATE` on PostgreSQL; SQLite takes the write lock at `BEGIN IMMEDIATE`);
- progress is read from the rows themselves (a value's prefix names its scheme and key), so a
  run that stops anywhere is resumed by running it again;
- every value stays readable throughout: old tokens decrypt with the keys in
  `SHEGONG_FIELD_KEYS_OLD`, and lookups ask for the index under every scheme (`blind_indexes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.db import connection, models, transaction

from shegong.core import crypto

TOKEN = "token"
INDEX = "index"


@dataclass(frozen=True)
class SensitiveColumn:
    model: str  # "people.Resident"
    name: str  # the field (a plain column: no relation)
    kind: str  # TOKEN or INDEX
    # INDEX: the token column it indexes (same row, or the live row for a history row) ...
    of: str = ""
    # ... or the plain column it is computed from, through `normalise` (dotted path).
    plain: str = ""
    normalise: str = ""

    @property
    def label(self) -> str:
        return f"{self.model}.{self.name}"


def token(model: str, name: str) -> SensitiveColumn:
    return SensitiveColumn(model, name, TOKEN)


def index(model: str, name: str, *, of: str = "", plain: str = "", normalise: str = ""):
    return SensitiveColumn(model, name, INDEX, of=of, plain=plain, normalise=normalise)


# Every encrypted column and blind index in the product (grep: _encrypted, _hash, blind_index,
# encrypt(, EncryptedTextField). Workers (accounts.User) and guardians (people.HouseholdMember)
# carry no ID number; the volunteers', petitioners' and worker profiles' do.
REGISTRY: tuple[SensitiveColumn, ...] = (
    token("people.Resident", "id_number_encrypted"),
    index("people.Resident", "id_number_hash", of="id_number_encrypted"),
    token("people.Resident", "health_notes"),
    token("people.Visit", "finding_health"),
    token("people.Visit", "finding_mood"),
    token("cases.Case", "problem"),
    token("cases.Case", "assessment_note"),
    token("cases.Case", "evaluation_note"),
    token("petitions.Petitioner", "id_number_encrypted"),
    index("petitions.Petitioner", "id_number_hash", of="id_number_encrypted"),
    index(
        "petitions.Petitioner",
        "phone_key",
        plain="phone",
        normalise="shegong.petitions.services.phone_index_text",
    ),
    token("volunteers.Volunteer", "id_number_encrypted"),
    index("volunteers.Volunteer", "id_number_hash", of="id_number_encrypted"),
    token("volunteers.VolunteerApplication", "id_number_encrypted"),
    index("volunteers.VolunteerApplication", "id_number_hash", of="id_number_encrypted"),
    token("workforce.WorkerProfile", "id_number_encrypted"),
    index("workforce.WorkerProfile", "id_number_hash", of="id_number_encrypted"),
    token("suggestions.Suggestion", "name"),
    token("suggestions.Suggestion", "contact"),
)


def registered(model: str | None = None) -> list[SensitiveColumn]:
    """The registered columns (of one model if given); every app named is always installed."""
    return [col for col in REGISTRY if model is None or col.model == model]


# ---- tables ------------------------------------------------------------------------------------


@dataclass
class Table:
    """One table to rotate: a model's own table or its history table."""

    label: str  # "people.Resident" or "people.Resident (history)"
    model: type[models.Model]
    live: type[models.Model]  # the model whose rows the values belong to
    columns: list[SensitiveColumn]
    is_history: bool = False

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table

    @property
    def pk(self) -> str:
        return self.model._meta.pk.column

    def has(self, name: str) -> bool:
        return any(f.name == name for f in self.model._meta.concrete_fields)

    def present(self) -> list[SensitiveColumn]:
        return [c for c in self.columns if self.has(c.name)]


def tables() -> list[Table]:
    """Every table holding a registered column: each model's table, then its history table."""
    by_model: dict[str, list[SensitiveColumn]] = {}
    for col in registered():
        by_model.setdefault(col.model, []).append(col)
    found = []
    for label, cols in by_model.items():
        model = apps.get_model(label)
        found.append(Table(label, model, model, cols))
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            table = Table(f"{label} (history)", history.model, model, cols, is_history=True)
            if table.present():
                found.append(table)
    return found


# ---- what is not yet on the current scheme -----------------------------------------------------


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _stale(col: SensitiveColumn) -> tuple[str, list[str]]:
    """SQL (and parameters) true when the column holds a value not under the current scheme."""
    c = _quote(col.name)
    if col.kind == TOKEN:
        prefix = crypto.token_prefix()
        return f"({c} <> '' AND SUBSTR({c}, 1, {len(prefix)}) <> %s)", [prefix]
    prefix = crypto.index_prefix()
    anon = crypto.ANONYMISED_INDEX
    return (
        f"({c} <> '' AND SUBSTR({c}, 1, {len(prefix)}) <> %s"
        f" AND SUBSTR({c}, 1, {len(anon)}) <> %s)",
        [prefix, anon],
    )


def _stale_any(cols: list[SensitiveColumn]) -> tuple[str, list[str]]:
    parts, params = [], []
    for col in cols:
        sql, p = _stale(col)
        parts.append(sql)
        params += p
    return " OR ".join(parts), params


def pending() -> dict[str, int]:
    """How many values of each column (per table) are not under the current scheme and key."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in tables():
            for col in table.present():
                sql, params = _stale(col)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {_quote(table.db_table)} WHERE {sql}",  # noqa: S608
                    params,
                )
                key = f"{col.label}{' (history)' if table.is_history else ''}"
                counts[key] = cursor.fetchone()[0]
    return counts


# ---- rotation ----------------------------------------------------------------------------------


@dataclass
class RotationResult:
    rows: dict[str, int] = field(default_factory=dict)  # table label → rows rewritten
    cleared: dict[str, int] = field(default_factory=dict)  # history indexes with no plain text
    batches: int = 0
    complete: bool = False


def _normaliser(col: SensitiveColumn) -> Callable[[str], str]:
    module, _sep, name = col.normalise.rpartition(".")
    return getattr(import_module(module), name)


def _rotate_row(table: Table, row: dict, live_tokens: dict) -> tuple[dict, int]:
    """New values for a row's registered columns, and how many indexes had to be cleared."""
    new: dict[str, str] = {}
    cleared = 0
    for col in table.present():
        value = row[col.name]
        if col.kind == TOKEN:
            new[col.name] = crypto.reencrypt(value)
            continue
        if not value or crypto.is_current_index(value) or value.startswith(crypto.ANONYMISED_INDEX):
            new[col.name] = value
            continue
        if col.plain:
            text = _normaliser(col)(row[col.plain]) if col.normalise else row[col.plain]
            new[col.name] = crypto.blind_index(text) if text else ""
            continue
        source = row.get(col.of)
        if source is None:  # a history row without the token: take the live row's
            source = live_tokens.get((col.of, row["_live_id"]), "")
        plain = crypto.decrypt(source) if source else ""
        if table.is_history and (not plain or value not in crypto.blind_indexes(plain)):
            # A history row whose live row is gone (or holds another number): its index cannot
            # be recomputed, and once the old key is retired it finds nobody; it is cleared.
            new[col.name] = ""
            cleared += 1
            continue
        new[col.name] = crypto.blind_index(plain) if plain else ""
    return new, cleared


def _batch(table: Table, after, size: int) -> tuple[list[dict], object]:
    cols = table.present()
    wanted = [c.name for c in cols]
    wanted += [c.plain for c in cols if c.plain and c.plain not in wanted]
    wanted += [c.of for c in cols if c.of and table.has(c.of) and c.of not in wanted]
    live_id = table.live._meta.pk.column
    select = [table.pk, *([live_id] if table.is_history else []), *wanted]
    where, params = _stale_any(cols)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT {', '.join(_quote(c) for c in select)} FROM {_quote(table.db_table)}"  # noqa: S608
        f" WHERE {_quote(table.pk)} > %s AND ({where}) ORDER BY {_quote(table.pk)}"
        f" LIMIT {int(size)}{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [after, *params])
        rows = []
        for values in cursor.fetchall():
            row = dict(zip(select, values, strict=True))
            row["_pk"] = row[table.pk]
            row["_live_id"] = row[live_id] if table.is_history else row[table.pk]
            rows.append(row)
    return rows, (rows[-1]["_pk"] if rows else after)


def _live_tokens(table: Table, rows: list[dict]) -> dict:
    """Tokens of the live rows, for history rows that do not copy the token column."""
    needed = {c.of for c in table.present() if c.of and not table.has(c.of)}
    if not needed or not rows:
        return {}
    ids = sorted({r["_live_id"] for r in rows})
    found = {}
    pk = table.live._meta.pk.column
    with connection.cursor() as cursor:
        for name in needed:
            cursor.execute(
                f"SELECT {_quote(pk)}, {_quote(name)} FROM {_quote(table.live._meta.db_table)}"  # noqa: S608
                f" WHERE {_quote(pk)} IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            for live_id, value in cursor.fetchall():
                found[(name, live_id)] = value
    return found


def rotate(
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    on_batch: Callable[[str, int], None] | None = None,
) -> RotationResult:
    """Bring every registered value to the current scheme and key (see the module docstring).
    Stops after `max_batches` batches if given; whatever was done stays done."""
    result = RotationResult()
    for table in tables():
        rotated, cleared = _rotate_table(table, batch_size, max_batches, on_batch, result)
        if rotated:
            result.rows[table.label] = rotated
        if cleared:
            result.cleared[table.label] = cleared
        if max_batches is not None and result.batches >= max_batches:
            break
    result.complete = not any(pending().values())
    return result


def _rotate_table(table, batch_size, max_batches, on_batch, result) -> tuple[int, int]:
    after: object = 0
    rotated = cleared = 0
    names = [c.name for c in table.present()]
    assignments = ", ".join(f"{_quote(n)} = %s" for n in names)
    update = (
        f"UPDATE {_quote(table.db_table)} SET {assignments}"  # noqa: S608
        f" WHERE {_quote(table.pk)} = %s"
    )
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic():
            rows, after = _batch(table, after, batch_size)
            if not rows:
                break
            live = _live_tokens(table, rows)
            params = []
            for row in rows:
                new, n = _rotate_row(table, row, live)
                cleared += n
                params.append([*(new[name] for name in names), row["_pk"]])
            with connection.cursor() as cursor:
                cursor.executemany(update, params)
        rotated += len(rows)
        result.batches += 1
        if on_batch is not None:
            on_batch(table.label, len(rows))
    return rotated, cleared


# ---- data migrations: free text that becomes encrypted -----------------------------------------


def _rows(table: str, pk: str, column: str, size: int) -> Iterator[list[tuple]]:
    after: object = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_quote(pk)}, {_quote(column)} FROM {_quote(table)}"  # noqa: S608
                f" WHERE {_quote(pk)} > %s AND {_quote(column)} <> '' ORDER BY {_quote(pk)}"
                f" LIMIT {int(size)}",
                [after],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        after = rows[-1][0]
        yield rows


def encrypt_column(model: type[models.Model], column: str, *, size: int = 2000) -> int:
    """Encrypt the plain values of a column in place (a data migration); tokens are left as
    they are, so it can run again."""
    table, pk = model._meta.db_table, model._meta.pk.column
    update = f"UPDATE {_quote(table)} SET {_quote(column)} = %s WHERE {_quote(pk)} = %s"  # noqa: S608
    done = 0
    for rows in _rows(table, pk, column, size):
        params = [[crypto.encrypt(v), key] for key, v in rows if not crypto.is_token(v)]
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(update, params)
            done += len(params)
    return done


def decrypt_column(model: type[models.Model], column: str, *, size: int = 2000) -> int:
    """The reverse of `encrypt_column` (unapplying the migration)."""
    table, pk = model._meta.db_table, model._meta.pk.column
    update = f"UPDATE {_quote(table)} SET {_quote(column)} = %s WHERE {_quote(pk)} = %s"  # noqa: S608
    done = 0
    for rows in _rows(table, pk, column, size):
        params = [[crypto.decrypt(v), key] for key, v in rows if crypto.is_token(v)]
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(update, params)
            done += len(params)
    return done

"""Importing residents from a spreadsheet (set-based: prepared, checked, then written in bulk)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.audit import audit_record
from shegong.core.crypto import blind_indexes, sensitive_columns, validate_resident_id
from shegong.core.imports import FieldChecks, ImportResult, read_rows
from shegong.core.models import AuditLog
from shegong.core.scoping import jurisdiction_of
from shegong.people.models import (
    Category,
    Resident,
    ResidentCategory,
    ResidentStatus,
    RiskLevel,
    VisitPlan,
)
from shegong.people.selectors import cadence_for, id_number_taken_message
from shegong.people.services.residents import _default_worker
from shegong.regions.models import Level, Region

IMPORT_COLUMNS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号码", "身份证号", "公民身份号码", "id_number"),
    "birth_date": ("出生日期", "birth_date"),
    "sex": ("性别", "sex"),
    "phone": ("联系电话", "电话", "phone"),
    "address": ("住址", "地址", "address"),
    "village": ("村（社区）", "村（社区）代码", "村（社区）名称", "村居", "village"),
    "categories": ("类别", "人员类别", "categories"),
}


EXPORT_COLUMNS = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "address",
    "village",
    "categories",
)


SEX_WORDS = {"男": "M", "女": "F", "M": "M", "F": "F"}


SPLIT = str.maketrans({c: "," for c in "、，;；/ "})


def _parse_date(text: str) -> date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    if " " in text:
        text = text.split(" ")[0]
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return date.fromisoformat(text)


@dataclass
class _Prepared:
    line: int
    resident: SimpleNamespace
    categories: list[Category] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)  # the ID's blind index under every scheme


def residents_import(
    *,
    acting_user: User,
    upload: IO[bytes],
    filename: str,
    all_or_nothing: bool = False,
    request=None,
) -> ImportResult:
    """Validate every row first (the model's own field checks included); write the valid ones
    (or none) in one transaction."""
    result = ImportResult(all_or_nothing=all_or_nothing, columns=IMPORT_COLUMNS)
    field_checks = FieldChecks(Resident, ("name", "phone", "address"))
    jurisdiction = jurisdiction_of(acting_user)
    villages_by_code: dict[str, str] = {}
    villages_by_name: dict[str, list[str]] = {}
    for code, name in (
        Region.objects.filter(level=Level.VILLAGE)
        .in_subtree(jurisdiction.prefix)
        .values_list("code", "name")
        .iterator(chunk_size=5000)
    ):
        villages_by_code[code] = name
        villages_by_name.setdefault(name, []).append(code)
    cats = {c.name: c for c in Category.objects.all()} | {c.code: c for c in Category.objects.all()}
    prepared: list[_Prepared] = []
    seen: dict[str, int] = {}
    default_worker = _default_worker(acting_user)
    for line, row in read_rows(
        upload,
        filename=filename,
        columns=IMPORT_COLUMNS,
        required=("name", "id_number", "village"),
    ):
        result.total_rows += 1
        errors_before = result.error_count

        def err(field_name: str, reason: str, line=line) -> None:
            result.add_error(line, field_name, reason)

        name = row.get("name", "")
        if not name:
            err("name", _("姓名为空"))
        for field_name, reason in field_checks.errors(row, skip=() if name else ("name",)).items():
            err(field_name, reason)
        rid = None
        try:
            rid = validate_resident_id(row.get("id_number", ""))
        except ValidationError as exc:
            err("id_number", "；".join(exc.messages))
        if rid is not None:
            given_birth = None
            try:
                given_birth = _parse_date(row.get("birth_date", ""))
            except ValueError:
                err("birth_date", _("出生日期格式不正确"))
            if given_birth and given_birth != rid.birth_date:
                err(
                    "birth_date",
                    _("出生日期 %(g)s 与身份证号码（%(d)s）不符")
                    % {"g": given_birth.isoformat(), "d": rid.birth_date.isoformat()},
                )
            given_sex = SEX_WORDS.get(row.get("sex", "").strip().upper(), "")
            if given_sex and given_sex != rid.sex:
                err("sex", _("性别与身份证号码不符"))
            if rid.number in seen:
                err(
                    "id_number",
                    _("重复：与第 %(l)d 行身份证号码相同") % {"l": seen[rid.number]},
                )
            else:
                seen[rid.number] = line
        village = row.get("village", "")
        code = ""
        if village in villages_by_code:
            code = village
        elif len(villages_by_name.get(village, [])) == 1:
            code = villages_by_name[village][0]
        elif village in villages_by_name:
            err("village", _("村（社区）名称「%(v)s」不唯一，请填写代码") % {"v": village})
        else:
            err("village", _("未知的村（社区）：%(v)s") % {"v": village or "（空）"})
        chosen: list[Category] = []
        for word in filter(None, row.get("categories", "").translate(SPLIT).split(",")):
            if word in cats:
                chosen.append(cats[word])
            else:
                err("categories", _("未知的类别：%(c)s") % {"c": word})
        if result.error_count > errors_before or rid is None:
            continue
        cols = sensitive_columns(rid.number)
        prepared.append(
            _Prepared(
                line=line,
                resident=SimpleNamespace(  # a plain row: model instances cost too much here
                    pk=None,
                    name=name,
                    id_number_encrypted=cols["encrypted"],
                    id_number_hash=cols["hash"],
                    id_number_masked=cols["masked"],
                    sex=rid.sex,
                    birth_date=rid.birth_date,
                    phone=row.get("phone", ""),
                    address=row.get("address", ""),
                    region_id=code,
                    county_code=code[:6],
                    latitude=None,
                    longitude=None,
                    health_notes="",
                    disability_level="",
                    risk_level="",
                    status=ResidentStatus.ACTIVE,
                    assigned_worker_id=default_worker.pk if default_worker else None,
                    merged_into_id=None,
                ),
                categories=chosen,
                lookups=blind_indexes(rid.number),
            )
        )
    # Duplicates already registered (under any key or scheme still in use): one query per chunk
    # of blind indexes.
    by_hash = {h: p for p in prepared for h in p.lookups}
    hashes = list(by_hash)
    taken: dict[int, str] = {}  # line → region code of the resident holding its number
    for start in range(0, len(hashes), 5000):
        for h, holder in (
            Resident.objects.unscoped(
                reason="ID numbers are unique in the whole country: an import row is refused "
                "wherever the number is registered; only the holder's region code is read."
            )
            .filter(id_number_hash__in=hashes[start : start + 5000], merged_into__isnull=True)
            .values_list("id_number_hash", "region_id")
        ):
            taken.setdefault(by_hash[h].line, holder)
    if taken:
        for line, holder in sorted(taken.items()):
            reason = (
                _("重复：该身份证号码已登记")
                if jurisdiction.contains(holder)
                else id_number_taken_message(holder, fetched_by=acting_user)
            )
            result.add_error(line, "id_number", reason)
        prepared = [p for p in prepared if p.line not in taken]
    if result.taken_nothing or not prepared:
        _audit_import(acting_user, result, filename, request)
        return result
    with transaction.atomic():
        _write_import(prepared, acting_user)
        result.created = len(prepared)
        _audit_import(acting_user, result, filename, request)
    return result


def _copy_rows(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany elsewhere; names come from model meta, never input."""
    from django.db import connection

    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    for start in range(0, len(rows), 5000):
        cursor.executemany(sql, rows[start : start + 5000])


RESIDENT_IMPORT_FIELDS = [
    "name",
    "id_number_hash",
    "id_number_masked",
    "sex",
    "birth_date",
    "phone",
    "address",
    "county_code",
    "latitude",
    "longitude",
    "health_notes",
    "disability_level",
    "risk_level",
    "status",
    "region_id",
    "assigned_worker_id",
    "merged_into_id",
]


def _write_import(prepared: list[_Prepared], by: User) -> None:
    """Set-based write in the surrounding transaction: residents and their history rows, then
    category links and visit plans, each by COPY (PostgreSQL) or executemany (SQLite); the ORM's
    per-field preparation dominated the import otherwise."""
    from django.db import connection
    from django.utils import timezone

    today = date.today()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = RESIDENT_IMPORT_FIELDS
    residents = [p.resident for p in prepared]
    quote = connection.ops.quote_name
    table = Resident._meta.db_table
    with connection.cursor() as cursor:
        _copy_rows(
            cursor,
            table,
            ["created_at", "updated_at", "id_number_encrypted", *fields],
            [
                (now, now, r.id_number_encrypted, *(getattr(r, f) for f in fields))
                for r in residents
            ],
        )
        ids: dict[str, int] = {}
        hashes = [r.id_number_hash for r in residents]
        for start in range(0, len(hashes), 5000):
            chunk = hashes[start : start + 5000]
            cursor.execute(
                f"SELECT id_number_hash, id FROM {quote(table)} WHERE merged_into_id IS NULL"  # noqa: S608
                f" AND id_number_hash IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            ids.update(cursor.fetchall())
        for r in residents:
            r.pk = ids[r.id_number_hash]
        _copy_rows(
            cursor,
            Resident.history.model._meta.db_table,
            [
                "id",
                "created_at",
                "updated_at",
                *fields,
                "history_date",
                "history_change_reason",
                "history_type",
                "history_user_id",
            ],
            [
                (r.pk, now, now, *(getattr(r, f) for f in fields), now, "导入", "+", by.pk)
                for r in residents
            ],
        )
        interval = cadence_for(residents[0].region_id[:2], RiskLevel.GENERAL)[0]
        due = today + timedelta(days=interval)
        _copy_rows(
            cursor,
            ResidentCategory._meta.db_table,
            ["resident_id", "category_id", "region_code", "start_date", "end_date", "level"],
            [
                (p.resident.pk, c.pk, p.resident.region_id, today, None, "")
                for p in prepared
                for c in p.categories
            ],
        )
        _copy_rows(
            cursor,
            VisitPlan._meta.db_table,
            [
                "resident_id",
                "region_code",
                "county_code",
                "worker_id",
                "risk_level",
                "interval_days",
                "next_due_date",
                "last_visit_date",
                "event_note",
                "is_active",
            ],
            [
                (
                    p.resident.pk,
                    p.resident.region_id,
                    p.resident.county_code,
                    p.resident.assigned_worker_id,
                    RiskLevel.GENERAL.value,
                    interval,
                    due,
                    None,
                    "",
                    True,
                )
                for p in prepared
                if any(c.cared_for for c in p.categories)
            ],
        )


def _audit_import(user: User, result: ImportResult, filename: str, request) -> None:
    audit_record(
        action=AuditLog.Action.IMPORT,
        actor=user,
        region_code=jurisdiction_of(user).region_code,
        detail={
            "file": filename,
            "list": "residents",
            "created": result.created,
            "rejected": result.rejected_count,
            "errors": result.error_count,
        },
        request=request,
    )

"""Importing residents from a spreadsheet (set-based: prepared, checked, then written in bulk)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.audit import audit_record
from shegong.core.crypto import blind_indexes, sensitive_columns, validate_resident_id
from shegong.core.errors import ApplicationError
from shegong.core.imports import FieldChecks, ImportResult, read_rows
from shegong.core.models import AuditLog
from shegong.core.scoping import jurisdiction_of
from shegong.people.models import CATEGORY_SHORT_NAMES, Category, Resident, ResidentStatus
from shegong.people.selectors import id_number_taken_message
from shegong.people.services.resident_rows import _Prepared, residents_write
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


class ResidentRows:
    """The checks a new resident's row passes before it is written — the model's field checks,
    the ID number (valid, matching the given birth date and sex, not twice in the batch, not
    registered anywhere), the village (inside the caller's jurisdiction) and the categories —
    for a spreadsheet import and a bulk API request alike. Errors go to `result` by line."""

    twice = _("重复：与第 %(l)d 行身份证号码相同")

    def __init__(
        self,
        *,
        acting_user: User,
        result: ImportResult,
        villages: dict[str, str],
        region_field: str = "village",
    ):
        self.acting_user = acting_user
        self.result = result
        self.region_field = region_field
        self.jurisdiction = jurisdiction_of(acting_user)
        self.field_checks = FieldChecks(Resident, ("name", "phone", "address"))
        self.villages_by_code = villages
        self.villages_by_name: dict[str, list[str]] = {}
        for code, name in villages.items():
            self.villages_by_name.setdefault(name, []).append(code)
        every = list(Category.objects.all())
        by_code = {c.code: c for c in every}
        short = {n: by_code[c] for n, c in CATEGORY_SHORT_NAMES.items() if c in by_code}
        self.categories = short | {c.name: c for c in every} | by_code
        self.prepared: list[_Prepared] = []
        self.seen: dict[str, int] = {}
        worker = _default_worker(acting_user)
        self.worker_id = worker.pk if worker else None

    @classmethod
    def villages_within(cls, acting_user: User, texts: list[str] | None = None) -> dict[str, str]:
        """Code → name of the villages inside the caller's jurisdiction: all of them, or only
        those named or coded in `texts` (one query; a code outside is simply not found)."""
        qs = Region.objects.filter(level=Level.VILLAGE).in_subtree(
            jurisdiction_of(acting_user).prefix
        )
        if texts is not None:
            wanted = sorted(set(texts))
            qs = qs.filter(Q(code__in=wanted) | Q(name__in=wanted))
        return dict(qs.values_list("code", "name").iterator(chunk_size=5000))

    def check(self, line: int, row: dict[str, str]) -> None:
        result = self.result
        errors_before = result.error_count

        def err(field_name: str, reason: str) -> None:
            result.add_error(line, field_name, reason)

        name = row.get("name", "")
        if not name:
            err("name", _("姓名为空"))
        skip = () if name else ("name",)
        for field_name, reason in self.field_checks.errors(row, skip=skip).items():
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
            if rid.number in self.seen:
                err("id_number", self.twice % {"l": self.seen[rid.number]})
            else:
                self.seen[rid.number] = line
        village = row.get("village", "")
        where = self.region_field
        code = ""
        if village in self.villages_by_code:
            code = village
        elif len(self.villages_by_name.get(village, [])) == 1:
            code = self.villages_by_name[village][0]
        elif village in self.villages_by_name:
            err(where, _("村（社区）名称「%(v)s」不唯一，请填写代码") % {"v": village})
        else:
            err(where, _("未知的村（社区）：%(v)s") % {"v": village or "（空）"})
        chosen: dict[int, Category] = {}
        for word in filter(None, row.get("categories", "").translate(SPLIT).split(",")):
            if word in self.categories:
                chosen.setdefault(self.categories[word].pk, self.categories[word])
            else:
                err("categories", _("未知的类别：%(c)s") % {"c": word})
        if result.error_count > errors_before or rid is None:
            return
        lookups = blind_indexes(rid.number)
        cols = sensitive_columns(rid.number, index=lookups[0])
        self.prepared.append(
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
                    assigned_worker_id=self.worker_id,
                    merged_into_id=None,
                ),
                categories=list(chosen.values()),
                lookups=lookups,
            )
        )

    def refuse_registered(self) -> None:
        """Rows whose ID number is already registered (under any key or scheme still in use)
        are refused: one query per chunk of blind indexes. Within the jurisdiction the row is
        told so; elsewhere only whom to contact."""
        by_hash = {h: p for p in self.prepared for h in p.lookups}
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
        for line, holder in sorted(taken.items()):
            reason = (
                _("重复：该身份证号码已登记")
                if self.jurisdiction.contains(holder)
                else id_number_taken_message(holder, fetched_by=self.acting_user)
            )
            self.result.add_error(line, "id_number", reason)
        self.prepared = [p for p in self.prepared if p.line not in taken]

    def write(self, *, reason: str | None, audit: Callable[[], None]) -> None:
        """Refuse the registered numbers, then write the valid rows (none if the result takes
        nothing) and the audit row in one transaction."""
        self.refuse_registered()
        result = self.result
        if result.taken_nothing or not self.prepared:
            audit()
            return
        with transaction.atomic():
            try:
                with transaction.atomic():
                    residents_write(self.prepared, acting_user=self.acting_user, reason=reason)
            except IntegrityError:  # a number registered by someone else meanwhile
                raise ApplicationError(
                    _("有身份证号码刚被登记，请重新提交。"), code="duplicate_id"
                ) from None
            result.created = len(self.prepared)
            audit()


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
    rows = ResidentRows(
        acting_user=acting_user,
        result=result,
        villages=ResidentRows.villages_within(acting_user),
    )
    for line, row in read_rows(
        upload,
        filename=filename,
        columns=IMPORT_COLUMNS,
        required=("name", "id_number", "village"),
    ):
        result.total_rows += 1
        rows.check(line, row)
    rows.write(
        reason="导入",
        audit=lambda: _audit_import(acting_user, result, filename, request),
    )
    return result


BULK_LIMIT = 1000  # items in one bulk request
ALL_OR_NOTHING = "all_or_nothing"
VALID_ONLY = "valid_only"
BULK_FIELDS = ("name", "id_number", "region", "phone", "address", "sex", "birth_date")


class _BulkRows(ResidentRows):
    # A JSON list is numbered from 0: an item is named by its index.
    twice = _("重复：与序号 %(l)d 的一项身份证号码相同")


@transaction.atomic
def residents_bulk_create(
    *, acting_user: User, items: list[dict], mode: str, request=None
) -> ImportResult:
    """Register a list of residents (an API client's batch) in one transaction, item by item
    checked as an import row is: with `all_or_nothing` any rejected item means nothing is
    created; with `valid_only` every valid item is. Errors are by item index (from 0), field
    and reason. Items whose region is outside the caller's jurisdiction are rejected."""
    if mode not in (ALL_OR_NOTHING, VALID_ONLY):
        raise ApplicationError(
            _("mode 应为 all_or_nothing 或 valid_only。"), field="mode", code="mode"
        )
    if len(items) > BULK_LIMIT:
        raise ApplicationError(
            _("一次最多提交 %(n)d 项，本次 %(m)d 项，请分批提交。")
            % {"n": BULK_LIMIT, "m": len(items)},
            field="items",
            code="too_many",
        )
    result = ImportResult(
        all_or_nothing=mode == ALL_OR_NOTHING,
        columns={f: (f,) for f in (*BULK_FIELDS, "categories")},
        listed=10 * BULK_LIMIT,  # every error of a request is listed
    )
    rows = [_bulk_row(item) for item in items]
    checker = _BulkRows(
        acting_user=acting_user,
        result=result,
        villages=ResidentRows.villages_within(acting_user, [r["village"] for r in rows]),
        region_field="region",
    )
    for index, row in enumerate(rows):
        result.total_rows += 1
        checker.check(index, row)
    checker.write(
        reason=None,
        audit=lambda: audit_record(
            action=AuditLog.Action.IMPORT,
            actor=acting_user,
            region_code=jurisdiction_of(acting_user).region_code,
            detail={
                "list": "residents",
                "via": "api",
                "mode": mode,
                "items": result.total_rows,
                "created": result.created,
                "rejected": result.rejected_count,
                "errors": result.error_count,
            },
            request=request,
        ),
    )
    return result


def _bulk_row(item: dict) -> dict[str, str]:
    """An item as the text row an import reads."""
    row = {f: str(item.get(f) or "").strip() for f in BULK_FIELDS}
    birth = item.get("birth_date")
    row["birth_date"] = birth.isoformat() if isinstance(birth, date) else row["birth_date"]
    row["village"] = row.pop("region")
    row["categories"] = ",".join(str(c) for c in item.get("categories") or ())
    return row


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

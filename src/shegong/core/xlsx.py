"""A bounded reader of an .xlsx's first worksheet, for imports: cell values, row by row.

An .xlsx is a zip of XML parts, and either can be made to explode: a few kilobytes that inflate
to gigabytes, millions of rows or columns, a huge shared-strings table, a row with millions of
cells. So, in this order:

1. The zip is judged from its central directory alone, before anything is inflated: the number
   of parts, their names (no duplicates, no absolute or `..` paths), no encryption, only stored
   or deflated parts, the total uncompressed size and each part's compression ratio; then the
   first bytes of each part, so an archive nested inside is refused. Python's zipfile never
   inflates more than the size the directory declares, so a part that lies about its size is a
   read error, not a bomb.
2. Rows and shared strings are counted by a byte scan of the inflated stream (constant memory)
   before either is parsed.
3. Every XML part is parsed by expat feeding a small target object (no element tree is built),
   so memory is what the reader keeps: one row of at most `columns` values, the shared strings.
   A DOCTYPE (which could declare entities) is refused; the parse of a worksheet stops at the
   end of its `sheetData`.

Values are those `openpyxl.load_workbook(read_only=True, data_only=True)` gives: numbers as
int/float, dates (by the cell's number format) as datetime, booleans, text; formulas give
their cached value.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError, XMLParser

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from shegong.core.errors import ApplicationError

MAX_PARTS = 2000  # parts in one workbook; Excel's own files have a few dozen
MAX_ENTRIES = 65536  # relationships, sheets, number formats or cell styles in one part
MAX_CELL_TEXT = 32767  # Excel's limit for the text of one cell
MAX_COLUMN = 16384  # Excel's last column, XFD
RATIO_FLOOR = 1024 * 1024  # parts smaller than this cannot be bombs, whatever their ratio
CHUNK = 64 * 1024  # bytes fed to the XML parser at a time
SCAN_CHUNK = 256 * 1024  # bytes scanned at a time when counting rows or strings
ARCHIVE_MAGIC = (
    b"PK\x03\x04",  # zip (and every OOXML file)
    b"PK\x05\x06",  # empty zip
    b"PK\x07\x08",  # spanned zip
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",  # 7-Zip
    b"Rar!\x1a\x07",  # RAR
    b"\x28\xb5\x2f\xfd",  # zstd
)
WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}


def refuse(message: str) -> ApplicationError:
    return ApplicationError(message, field="file", code="file_refused")


def _corrupt() -> ApplicationError:
    return refuse(
        _("Excel 文件已损坏或格式不正确，无法读取。请在 Excel 中打开并另存为 .xlsx 后再导入。")
    )


def _odd() -> ApplicationError:
    return refuse(
        _(
            "Excel 文件的结构异常（含有加密、嵌套的压缩包或不合规的部件），已拒绝。"
            "请在 Excel 中另存为普通的 .xlsx 文件后再导入。"
        )
    )


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: str) -> str:
    """`{namespace}name` → `name` (transitional and strict OOXML alike)."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag[tag.rfind("}") + 1 :]
        if len(_LOCAL_NAMES) < 1024:  # a file cannot grow the cache with made-up tags
            _LOCAL_NAMES[tag] = name
    return name


# ---- 1. the archive ---------------------------------------------------------------------------


def open_archive(upload, limits) -> zipfile.ZipFile:
    """The zip, once its directory says it is an ordinary workbook within `limits`."""
    try:
        upload.seek(0)
        end = zipfile._EndRecData(upload)  # the entry count, before ZipFile reads them all
        if end is None:
            raise zipfile.BadZipFile
        if end[zipfile._ECD_ENTRIES_TOTAL] > MAX_PARTS:
            raise _odd()
        upload.seek(0)
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise refuse(
            _(
                "这不是有效的 .xlsx 文件（旧的 .xls 或改了扩展名的文件不能导入），请在 Excel 中另存为 .xlsx。"
            )
        ) from None
    try:
        _check_directory(archive, limits)
        _check_nesting(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        archive.close()
        raise _corrupt() from None
    except BaseException:
        archive.close()
        raise
    return archive


def _check_directory(archive: zipfile.ZipFile, limits) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise _odd()
    names: set[str] = set()
    total = compressed = 0
    for info in infos:
        name = info.filename
        if (
            name in names
            or name.startswith("/")
            or "\\" in name
            or ".." in name.split("/")
            or info.flag_bits & 0x1  # encrypted
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        ):
            raise _odd()
        names.add(name)
        total += info.file_size
        compressed += info.compress_size
    if total > limits.uncompressed_bytes:
        raise refuse(
            _(
                "Excel 文件解压后有 %(size)s，超过了 %(limit)s 的上限，已拒绝。"
                "请删去多余的工作表、图片或格式，或拆分成多个文件。"
            )
            % {
                "size": filesizeformat(total),
                "limit": filesizeformat(limits.uncompressed_bytes),
            }
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > limits.compression_ratio * max(
            info.compress_size, 1
        ):
            raise _ratio(info.file_size / max(info.compress_size, 1), limits)
    if total > RATIO_FLOOR and total > limits.compression_ratio * max(compressed, 1):
        raise _ratio(total / max(compressed, 1), limits)


def _ratio(ratio: float, limits) -> ApplicationError:
    return refuse(
        _(
            "Excel 文件的压缩比异常（%(ratio)d 倍，上限 %(limit)d 倍），可能是恶意构造的文件，已拒绝。"
        )
        % {"ratio": ratio, "limit": limits.compression_ratio}
    )


def _check_nesting(archive: zipfile.ZipFile) -> None:
    """No part may itself be an archive (a zip inside the zip, gzip, 7z…)."""
    for info in archive.infolist():
        if info.file_size < 2:
            continue
        with archive.open(info) as part:
            head = part.read(8)
        if head.startswith(ARCHIVE_MAGIC):
            raise _odd()


# ---- 2. counting before parsing -----------------------------------------------------------------


def count_elements(archive: zipfile.ZipFile, path: str, name: str, stop_after: int) -> int:
    """How many `<name …>` elements the part has (any namespace prefix), by scanning its
    inflated bytes in chunks; stops counting once past `stop_after`."""
    pattern = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,31}:)?" + name.encode() + rb"[\s/>]")
    count = 0
    tail = b""
    try:
        with archive.open(path) as src:
            while chunk := src.read(SCAN_CHUNK):
                buf = tail + chunk
                # A match lies between two "<"; keep a "<" near the buffer's end for the next
                # round, so no tag is split or counted twice.
                cut = buf.rfind(b"<", max(0, len(buf) - 64))
                if cut < 0:
                    cut = len(buf)
                count += len(pattern.findall(buf, 0, cut))
                tail = buf[cut:]
                if count > stop_after:
                    return count
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _corrupt() from None
    return count + len(pattern.findall(tail))


# ---- 3. parsing ---------------------------------------------------------------------------------


class _Stop(Exception):
    """Raised by a target once it has what it needs."""


class _Target:
    def start(self, tag, attrib):
        pass

    def end(self, tag):
        pass

    def data(self, text):
        pass

    def doctype(self, name, pubid, system):
        raise _odd()  # an .xlsx part never has one; it could declare entities

    def close(self):
        return None


def _feed(archive: zipfile.ZipFile, path: str, target: _Target) -> Iterator[None]:
    """Parse a part into `target`, yielding after each chunk (so rows can be handed on)."""
    parser = XMLParser(target=target)
    try:
        with archive.open(path) as src:
            while chunk := src.read(CHUNK):
                try:
                    parser.feed(chunk)
                except _Stop:
                    yield
                    return
                yield
        parser.close()
    except ApplicationError:
        raise
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError):
        raise _corrupt() from None


def _parse(archive: zipfile.ZipFile, path: str, target: _Target) -> None:
    for _step in _feed(archive, path, target):
        pass


class _ContentTypes(_Target):
    def __init__(self):
        self.workbook = ""

    def start(self, tag, attrib):
        if not self.workbook and _local(tag) == "Override":
            if attrib.get("ContentType") in WORKBOOK_TYPES:
                self.workbook = attrib.get("PartName", "").lstrip("/")


class _Relationships(_Target):
    def __init__(self, base: str):
        self.base = base
        self.by_id: dict[str, tuple[str, str]] = {}

    def start(self, tag, attrib):
        if _local(tag) != "Relationship" or attrib.get("TargetMode") == "External":
            return
        if len(self.by_id) >= MAX_ENTRIES:
            raise _odd()
        target = attrib.get("Target", "")
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(self.base, target))
        self.by_id[attrib.get("Id", "")] = (attrib.get("Type", ""), path)


class _Workbook(_Target):
    def __init__(self):
        self.date1904 = False
        self.sheet_ids: list[str] = []

    def start(self, tag, attrib):
        name = _local(tag)
        if name == "workbookPr":
            self.date1904 = attrib.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            if len(self.sheet_ids) >= MAX_ENTRIES:
                raise _odd()
            rid = next((v for k, v in attrib.items() if k.endswith("}id")), "")
            self.sheet_ids.append(rid)


class _Styles(_Target):
    """Which cell styles format numbers as dates or durations."""

    def __init__(self):
        self.custom: dict[int, str] = {}
        self.xf_formats: list[int] = []
        self.section = ""

    def start(self, tag, attrib):
        name = _local(tag)
        if name in ("numFmts", "cellXfs", "cellStyleXfs"):
            self.section = name
        elif name == "numFmt" and self.section == "numFmts":
            if len(self.custom) >= MAX_ENTRIES:
                raise _odd()
            self.custom[int(attrib.get("numFmtId", "0"))] = attrib.get("formatCode", "")
        elif name == "xf" and self.section == "cellXfs":
            if len(self.xf_formats) >= MAX_ENTRIES:
                raise _odd()
            self.xf_formats.append(int(attrib.get("numFmtId", "0")))

    def end(self, tag):
        if _local(tag) == self.section:
            self.section = ""

    def formats(self) -> tuple[set[int], set[int]]:
        dates, durations = set(), set()
        for index, fmt_id in enumerate(self.xf_formats):
            fmt = self.custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id)
            if fmt and is_date_format(fmt):
                dates.add(index)
                if is_timedelta_format(fmt):
                    durations.add(index)
        return dates, durations


class _SharedStrings(_Target):
    def __init__(self, limit: int):
        self.limit = limit
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.length = 0
        self.collect = False
        self.phonetic = 0

    def start(self, tag, attrib):
        name = _local(tag)
        if name == "si":
            self.parts = []
            self.length = 0
        elif name == "t":
            self.collect = not self.phonetic
        elif name == "rPh":
            self.phonetic += 1

    def data(self, text):
        if self.collect:
            self.length += len(text)
            if self.length > MAX_CELL_TEXT:
                raise _cell_too_long(None)
            self.parts.append(text)

    def end(self, tag):
        name = _local(tag)
        if name == "t":
            self.collect = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si":
            if len(self.strings) >= self.limit:
                raise _too_many_strings(self.limit)
            self.strings.append("".join(self.parts).replace("x005F_", ""))


def _too_many_strings(limit: int) -> ApplicationError:
    return refuse(
        _("Excel 文件中的不同文字超过 %(limit)s 条，已拒绝。请拆分成多个文件导入。")
        % {"limit": f"{limit:,}"}
    )


def too_many_rows(limit: int) -> ApplicationError:
    return refuse(
        _("文件的行数超过了 %(limit)s 行的上限，已拒绝。请拆分成多个文件导入。")
        % {"limit": f"{limit:,}"}
    )


def too_many_columns(line: int, column: int, limit: int) -> ApplicationError:
    return refuse(
        _("第 %(line)s 行第 %(column)s 列有内容，超过了每行 %(limit)s 列的上限，已拒绝。")
        % {"line": line, "column": column, "limit": limit}
    )


def _cell_too_long(line: int | None) -> ApplicationError:
    if line is None:
        return refuse(
            _("文件中有单元格超过 %(limit)s 个字符（Excel 的上限），已拒绝。")
            % {"limit": MAX_CELL_TEXT}
        )
    return refuse(
        _("第 %(line)s 行有单元格超过 %(limit)s 个字符（Excel 的上限），已拒绝。")
        % {"line": line, "limit": MAX_CELL_TEXT}
    )


def _number(text: str):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _Sheet(_Target):
    """Rows as `(row number, values)`, at most `columns` values each; stops after sheetData."""

    def __init__(self, *, strings, dates, durations, epoch, rows: int, columns: int):
        self.strings = strings
        self.dates = dates
        self.durations = durations
        self.epoch = epoch
        self.max_rows = rows
        self.max_columns = columns
        self.out: list[tuple[int, tuple]] = []
        self.count = 0
        self.row_number = 0
        self.values: list = []
        self.column = 0
        self.cell_type = "n"
        self.style = 0
        self.parts: list[str] = []
        self.length = 0
        self.collect = False
        self.phonetic = 0

    def start(self, tag, attrib):
        name = _local(tag)
        if name == "c":
            ref = attrib.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                self.column = _column_index(letters)
            else:
                self.column += 1
            self.cell_type = attrib.get("t", "n")
            style = attrib.get("s")
            self.style = int(style) if style else 0
            self.parts = []
            self.length = 0
        elif name == "v":
            self.collect = True
        elif name == "t":
            self.collect = not self.phonetic
        elif name == "rPh":
            self.phonetic += 1
        elif name == "row":
            number = attrib.get("r")
            self.row_number = int(number) if number else self.row_number + 1
            self.values = []
            self.column = 0
            self.count += 1
            if self.count > self.max_rows:
                raise too_many_rows(self.max_rows - 1)

    def data(self, text):
        if self.collect:
            self.length += len(text)
            if self.length > MAX_CELL_TEXT:
                raise _cell_too_long(self.row_number)
            self.parts.append(text)

    def end(self, tag):
        name = _local(tag)
        if name == "v" or name == "t":
            self.collect = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "c":
            value = self._value()
            column = self.column
            if column > self.max_columns:
                if value is not None and value != "":
                    raise too_many_columns(self.row_number, column, self.max_columns)
                return
            values = self.values
            if column > len(values):
                values.extend([None] * (column - 1 - len(values)))
                values.append(value)
            else:
                values[column - 1] = value
        elif name == "row":
            self.out.append((self.row_number, tuple(self.values)))
        elif name == "sheetData":
            raise _Stop

    def _value(self):
        if not self.parts:
            return "" if self.cell_type == "inlineStr" else None
        text = "".join(self.parts)
        kind = self.cell_type
        try:
            if kind == "s":
                index = int(text)
                if index < 0:
                    raise IndexError(index)
                return self.strings[index]
            if kind == "n":
                number = _number(text)
                if self.style in self.dates:
                    try:
                        return from_excel(
                            number, self.epoch, timedelta=self.style in self.durations
                        )
                    except (OverflowError, ValueError):
                        return "#VALUE!"
                return number
            if kind == "b":
                return bool(int(text))
            if kind == "d":
                return from_ISO8601(text)
        except IndexError:
            raise _corrupt() from None
        except ValueError:
            return text
        return text  # str, inlineStr, e


_COLUMNS: dict[str, int] = {}


def _column_index(letters: str) -> int:
    index = _COLUMNS.get(letters)
    if index is None:
        try:
            index = column_index_from_string(letters)
        except ValueError:
            raise _corrupt() from None
        if index > MAX_COLUMN:
            raise _corrupt()
        _COLUMNS[letters] = index  # at most MAX_COLUMN entries
    return index


# ---- the first worksheet -------------------------------------------------------------------------


def first_sheet_rows(upload, limits) -> Iterator[tuple[int, tuple]]:
    """`(row number, values)` of the workbook's first worksheet, after every check above.

    All checks that do not need the rows themselves run before the first row is yielded.
    """
    archive = open_archive(upload, limits)
    try:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            raise _corrupt()
        types = _ContentTypes()
        _parse(archive, "[Content_Types].xml", types)
        workbook_path = types.workbook or "xl/workbook.xml"
        if workbook_path not in names:
            raise _corrupt()
        base = posixpath.dirname(workbook_path)
        rels = _Relationships(base)
        rels_path = posixpath.join(base, "_rels", posixpath.basename(workbook_path) + ".rels")
        if rels_path in names:
            _parse(archive, rels_path, rels)
        workbook = _Workbook()
        _parse(archive, workbook_path, workbook)
        sheet_path = next(
            (
                path
                for rid in workbook.sheet_ids
                for kind, path in [rels.by_id.get(rid, ("", ""))]
                if kind.endswith("/worksheet") and path in names
            ),
            None,
        )
        if sheet_path is None:
            raise refuse(_("工作簿中没有工作表。"))
        parts = {kind.rsplit("/", 1)[-1]: path for kind, path in rels.by_id.values()}
        dates: set[int] = set()
        durations: set[int] = set()
        if parts.get("styles") in names:
            styles = _Styles()
            _parse(archive, parts["styles"], styles)
            dates, durations = styles.formats()
        strings: list[str] = []
        if parts.get("sharedStrings") in names:
            path = parts["sharedStrings"]
            if count_elements(archive, path, "si", limits.shared_strings) > limits.shared_strings:
                raise _too_many_strings(limits.shared_strings)
            table = _SharedStrings(limits.shared_strings)
            _parse(archive, path, table)
            strings = table.strings
        max_rows = limits.rows + 1  # and the header
        if count_elements(archive, sheet_path, "row", max_rows) > max_rows:
            raise too_many_rows(limits.rows)
        sheet = _Sheet(
            strings=strings,
            dates=dates,
            durations=durations,
            epoch=MAC_EPOCH if workbook.date1904 else WINDOWS_EPOCH,
            rows=max_rows,
            columns=limits.columns,
        )
    except BaseException:
        archive.close()
        raise
    return _rows(archive, sheet_path, sheet)


def _rows(archive: zipfile.ZipFile, path: str, sheet: _Sheet) -> Iterator[tuple[int, tuple]]:
    try:
        for _step in _feed(archive, path, sheet):
            if sheet.out:
                yield from sheet.out
                sheet.out.clear()
    finally:
        archive.close()

"""Reading imports: the same values openpyxl reads, and every bomb refused early in bounded memory.

Memory is measured with tracemalloc (the peak of Python allocations while the file is read),
never with a clock; "before parsing" is shown by replacing the parser with one that fails.
"""

from __future__ import annotations

import io
import tracemalloc
from datetime import datetime

import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from shegong.core import xlsx
from shegong.core.errors import ApplicationError
from shegong.core.imports import ImportLimits, ImportResult, RowError, read_rows
from tests.core import xlsx_files as files

COLUMNS = {"name": ("姓名", "name"), "phone": ("电话", "phone"), "note": ("备注", "note")}
MB = 1024 * 1024


def _read(data: bytes, filename: str = "名单.xlsx", **kw):
    return list(read_rows(io.BytesIO(data), filename=filename, columns=COLUMNS, **kw))


def refused_within(data: bytes, filename: str = "名单.xlsx") -> tuple[ApplicationError, int]:
    """The refusal, and the peak of memory allocated while reading up to it."""
    upload = io.BytesIO(data)
    tracemalloc.start()
    try:
        with pytest.raises(ApplicationError) as info:
            list(read_rows(upload, filename=filename, columns=COLUMNS))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.field == "file"
    return info.value, peak


class _NeverCalled:
    def __init__(self, *args, **kwargs):
        raise AssertionError("the file was parsed before it was refused")


# ---- values: what openpyxl reads -----------------------------------------------------------------


def _excel_like_workbook() -> bytes:
    strings = files.shared_strings(["姓名", "电话", "备注", "张三", "  李四 "])
    # a rich-text string with a phonetic guide (not part of the value), as Excel writes for CJK
    rich = (
        "<si><r><rPr><b/></rPr><t>王</t></r><r><t>五</t></r>"
        '<rPh sb="0" eb="1"><t>ワン</t></rPh></si></sst>'
    ).encode()
    strings = strings.replace(b"</sst>", rich)
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>13800138000</v></c>'
        '<c r="C2" s="1"><v>45000</v></c><c r="D2" s="2"><v>45001.5</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>5</v></c><c r="C4" t="b"><v>1</v></c>'
        '<c r="D4" t="e"><v>#N/A</v></c><c r="E4" s="3"><v>0.25</v></c></row>'
        '<row r="5"><c r="A5" t="s"><v>4</v></c><c r="B5" t="str"><f>A1&amp;"x"</f><v>姓名x</v></c>'
        '<c r="C5" t="inlineStr"><is><t xml:space="preserve"> 行内 </t></is></c>'
        '<c r="F5" t="d"><v>2024-05-01T08:30:00</v></c></row>'
    )
    return files.workbook(files.sheet(rows), strings=strings)


def _trimmed(rows):
    """Rows with content, trailing empty cells dropped (readers differ only in padding)."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        if row:
            out.append(tuple(row))
    return out


def _openpyxl_rows(data: bytes):
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    return _trimmed(sheet.iter_rows(values_only=True))


def _ours(data: bytes):
    return _trimmed(
        v for _n, v in xlsx.first_sheet_rows(io.BytesIO(data), ImportLimits.from_settings())
    )


def test_values_are_those_openpyxl_reads_from_an_excel_style_workbook():
    data = _excel_like_workbook()
    theirs = _openpyxl_rows(data)
    assert _ours(data) == theirs
    assert theirs[1][2] == datetime(2023, 3, 15) and theirs[2][0] == "王五"


def test_values_are_those_openpyxl_reads_from_a_workbook_openpyxl_wrote():
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "出生日期", "人数", "比例", "是否"])
    ws.append(["赵六", datetime(1950, 3, 8), 3, 0.5, True])
    ws.append([None, None, None])
    ws.append(["孙七", "1960-01-02", -4, 1e-7, False])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    assert _ours(data) == _openpyxl_rows(data)


def test_rows_keep_their_excel_line_numbers_and_exported_quotes_come_off():
    rows = [[], ["姓名", "电话", "备注"], [" 张三 ", "'+8613800138000", "'=A1"], [], ["李四"]]
    data = files.workbook(files.sheet(files.text_rows(rows)))
    assert _read(data) == [
        (3, {"name": "张三", "phone": "+8613800138000", "note": "=A1"}),
        (5, {"name": "李四", "phone": "", "note": ""}),
    ]


def test_control_characters_are_dropped_from_imported_text():
    data = '姓名,备注\r\n张\x00三,"第一行\n第二行\x1f"\r\n'.encode()
    assert _read(data, "名单.csv") == [(2, {"name": "张三", "note": "第一行\n第二行"})]


def test_csv_in_utf8_with_a_bom_or_in_the_chinese_code_page_reads_alike():
    text = "姓名,电话\r\n张三,13800138000\r\n"
    for encoded in (b"\xef\xbb\xbf" + text.encode(), text.encode("gbk")):
        assert _read(encoded, "名单.csv") == [(2, {"name": "张三", "phone": "13800138000"})]


def test_a_csv_that_is_no_text_is_refused_with_a_message():
    error, _peak = refused_within(b"\xff\xfe\x00\x81" * 1000, "名单.csv")
    assert "编码" in error.message


# ---- the bombs ---------------------------------------------------------------------------------


def test_a_one_megabyte_xlsx_that_inflates_to_a_gigabyte_is_refused_unopened(monkeypatch):
    head, tail = files.sheet_ends(files.text_rows([["姓名"]]))
    padding = files.repeated(head, tail, b" " * MB, 1024)
    data = files.workbook(padding)
    assert len(data) < 1.1 * MB and padding.size > 1024 * MB
    monkeypatch.setattr(xlsx, "_parse", _NeverCalled)
    monkeypatch.setattr(xlsx, "count_elements", _NeverCalled)
    error, peak = refused_within(data)
    assert "解压后" in error.message and "上限" in error.message
    assert peak < 1 * MB


def test_a_part_compressed_beyond_the_ratio_is_refused():
    head, tail = files.sheet_ends(files.text_rows([["姓名"]]))
    data = files.workbook(files.repeated(head, tail, b" " * MB, 60))
    error, peak = refused_within(data)
    assert "压缩比" in error.message
    assert peak < 2 * MB


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    """1,100,000 numbered rows of one number each: 50 MB of XML in about 5 MB, within the size
    and ratio limits, so only the row count refuses it."""
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 1_100_001))
    return files.workbook(files.sheet(rows))


def test_a_workbook_with_a_million_rows_is_refused_before_a_row_is_parsed(
    million_rows, monkeypatch
):
    monkeypatch.setattr(xlsx, "_Sheet", _NeverCalled)
    error, peak = refused_within(million_rows)
    assert "行数超过了 100,000 行的上限" in error.message
    assert peak < 4 * MB  # of 57 MB inflated


def test_a_workbook_with_sixteen_thousand_columns_is_refused_at_its_first_row():
    wide = [f"列{n}" for n in range(1, 16385)]
    data = files.workbook(files.sheet(files.text_rows([wide] * 20)))  # 15 MB of XML
    error, peak = refused_within(data)
    assert "第 1 行第 101 列有内容" in error.message
    assert peak < 4 * MB


def test_cells_far_to_the_right_are_refused_without_filling_the_gap():
    rows = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(1, 10_001))
    error, peak = refused_within(files.workbook(files.sheet(rows)))
    assert "第 1 行第 16384 列有内容" in error.message
    assert peak < 2 * MB


def test_a_huge_shared_strings_table_is_refused_before_it_is_read(monkeypatch):
    strings = files.shared_strings(f"{n:x}" for n in range(1_500_000))
    data = files.workbook(files.sheet(files.text_rows([["姓名"]])), strings=strings)
    monkeypatch.setattr(xlsx, "_SharedStrings", _NeverCalled)
    error, peak = refused_within(data)
    assert "不同文字超过 1,000,000 条" in error.message
    assert peak < 4 * MB  # of 30 MB inflated


def test_a_csv_with_a_giant_field_is_refused_in_bounded_memory():
    field = ("x" * 999 + "\n") * 5000  # 5,000,000 characters inside quotes, over many lines
    data = f'姓名,备注\r\n张三,"{field}"\r\n'.encode()
    error, peak = refused_within(data, "名单.csv")
    assert "第 2 行有单元格超过 32767 个字符" in error.message
    assert peak < 2 * MB


def test_a_csv_with_a_giant_line_is_refused_in_bounded_memory():
    data = b"name,note\r\n" + b"x," * (4 * MB) + b"\r\n"
    error, peak = refused_within(data, "名单.csv")
    assert "物理行" in error.message
    assert peak < 4 * MB


def test_an_upload_over_the_size_limit_is_refused_unread():
    data = b"name\r\n" + b"a\r\n" * (4 * MB)
    error, peak = refused_within(data, "名单.csv")
    assert "超过了 10.0\xa0MB 的上限" in error.message
    assert peak < 64 * 1024


@pytest.mark.parametrize(
    "case",
    ["nested zip", "encrypted", "duplicate name", "parent path", "doctype", "too many parts"],
)
def test_odd_zips_are_refused(case):
    ordinary = files.sheet(files.text_rows([["姓名"], ["张三"]]))
    extra: list = []
    sheet_xml = ordinary
    if case == "nested zip":
        extra = [files.Part("xl/embeddings/book.bin", files.workbook(ordinary))]
    elif case == "encrypted":
        extra = [files.Part("xl/media/a.bin", b"x" * 100, flags=0x1)]
    elif case == "duplicate name":
        extra = [files.Part("xl/worksheets/sheet1.xml", ordinary)]
    elif case == "parent path":
        extra = [files.Part("xl/../../etc/x.xml", b"<x/>")]
    elif case == "doctype":
        sheet_xml = ordinary.replace(
            b"<worksheet", b'<!DOCTYPE w [<!ENTITY r "<row/>">]><worksheet', 1
        )
    else:
        extra = [files.Part(f"xl/media/{n}.txt", b"") for n in range(xlsx.MAX_PARTS)]
    error, _peak = refused_within(files.workbook(sheet_xml, extra=extra))
    assert "结构异常" in error.message


def test_a_part_that_inflates_past_its_declared_size_is_a_read_error_not_a_bomb():
    real = files.repeated(*files.sheet_ends(""), b" " * MB, 50)
    real.size = 2000  # the directory says 2 KB; the stream holds 50 MB
    error, peak = refused_within(files.workbook(real))
    assert "已损坏" in error.message
    assert peak < 2 * MB


@pytest.mark.parametrize("index", ["-1", "7"])
def test_a_cell_naming_a_shared_string_that_does_not_exist_is_a_read_error(index):
    rows = f'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>{index}</v></c></row>'
    data = files.workbook(files.sheet(rows), strings=files.shared_strings(["姓名", "张三"]))
    error, _peak = refused_within(data)
    assert "已损坏" in error.message


def test_a_file_that_is_not_an_xlsx_is_refused_with_a_message():
    error, _peak = refused_within(b"ID,name\n1,x\n", "名单.xlsx")
    assert "不是有效的 .xlsx" in error.message
    with pytest.raises(ApplicationError, match=r"\.xls"):
        _read(b"\xd0\xcf\x11\xe0", "名单.xls")


@override_settings(SHEGONG_IMPORT_MAX_ROWS=10, SHEGONG_IMPORT_MAX_COLUMNS=3)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_limits_are_settings_and_apply_exactly(kind):
    def data(rows):
        if kind == "csv":
            return "\r\n".join(",".join(r) for r in rows).encode(), "a.csv"
        return files.workbook(files.sheet(files.text_rows(rows))), "a.xlsx"

    header = ["姓名", "电话", "备注"]
    ten = [header] + [[f"人{n}", "", "", ""] for n in range(10)]
    assert len(_read(*data(ten))) == 10
    with pytest.raises(ApplicationError, match="10 行的上限"):
        _read(*data(ten + [["多一行"]]))
    with pytest.raises(ApplicationError, match="第 3 行第 4 列有内容"):
        _read(*data(ten[:2] + [["人", "", "", "第四列"]]))


# ---- reports ----------------------------------------------------------------------------------


def test_the_report_lists_the_first_errors_by_line_and_counts_all_by_column():
    result = ImportResult(columns={"name": ("姓名",), "phone": ("电话",)}, listed=200)
    for line in range(1001, 1, -1):  # found out of order, as a duplicate check finds them
        result.add_error(line, "name", f"第 {line} 行的姓名有误")
        if line % 4 == 0:
            result.add(RowError(line, "phone", "手机号应为 11 位数字。"))
    assert result.error_count == 1000 + 250
    assert len(result.errors) == 200 and result.errors_truncated
    assert [e.line for e in result.errors][:3] == [2, 3, 4]
    assert result.errors[-1].line == 161  # lines 2…161 give 160 + 40 errors
    assert result.rejected_count == 1000
    assert [(c.label, c.count, c.example.line) for c in result.summary] == [
        ("姓名", 1000, 2),
        ("电话", 250, 4),
    ]
    report = result.as_dict()
    assert report["error_count"] == 1250 and len(report["errors"]) == 200
    assert report["errors"][0] == {
        "line": 2,
        "field": "name",
        "reason": "第 2 行的姓名有误",
        "label": "姓名",
    }

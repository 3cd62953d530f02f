import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from shegong.people import services
from shegong.people.models import Resident, ResidentCategory, VisitPlan
from shegong.people.synthetic import make_id_number
from tests.people.conftest import VILLAGE

HEADERS = ["姓名", "身份证号码", "出生日期", "联系电话", "住址", "村（社区）", "类别"]


def _rows(n: int, bad_every: int = 50):
    """n rows; every `bad_every`-th row is broken in one of four ways. Returns rows and the bad
    lines with their field."""
    rows, bad = [], {}
    start = date(1940, 1, 1)
    for i in range(n):
        line = i + 2
        birth = start + timedelta(days=i * 13)
        number = make_id_number("440106", birth, i % 500, "M" if i % 2 else "F")
        row = [
            f"居民{i}",
            number,
            birth.isoformat(),
            f"139{i:08d}",
            f"五山路{i}号",
            VILLAGE,
            "独居老人、低保家庭",
        ]
        if i % bad_every == bad_every - 1:
            kind = (i // bad_every) % 4
            if kind == 0:
                row[1] = number[:-1] + ("1" if number[-1] != "1" else "2")
                bad[line] = "id_number"
            elif kind == 1:
                row[2] = (birth + timedelta(days=1)).isoformat()
                bad[line] = "birth_date"
            elif kind == 2:
                row[5] = "不存在的村"
                bad[line] = "village"
            else:
                row[1] = rows[0][1]
                bad[line] = "id_number"
        rows.append(row)
    return rows, bad


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.django_db
def test_thousand_rows_with_twenty_bad_imports_980_and_reports_each(station_worker):
    rows, bad = _rows(1000)
    assert len(bad) == 20
    result = services.residents_import(
        acting_user=station_worker, upload=_xlsx(rows), filename="对象.xlsx"
    )
    assert result.created == 980
    assert result.rejected_lines == sorted(bad)
    reasons = {e.line: (e.field, e.reason) for e in result.errors}
    for line, field in bad.items():
        assert reasons[line][0] == field
    assert any("校验位" in r for _, r in reasons.values())
    assert any("不符" in r for _, r in reasons.values())
    assert any("未知的村" in r for _, r in reasons.values())
    assert any("重复" in r for _, r in reasons.values())
    assert Resident.objects.count() == 980
    assert ResidentCategory.objects.count() == 1960
    assert VisitPlan.objects.count() == 980
    assert Resident.history.count() == 980


@pytest.mark.django_db
def test_all_or_nothing_takes_none(station_worker):
    rows, bad = _rows(1000)
    result = services.residents_import(
        acting_user=station_worker, upload=_xlsx(rows), filename="对象.xlsx", all_or_nothing=True
    )
    assert result.taken_nothing and result.created == 0
    assert len(result.rejected_lines) == 20
    assert Resident.objects.count() == 0


@pytest.mark.django_db
def test_import_refuses_ids_already_registered_and_villages_of_another_county(
    station_worker, make_member, login
):
    rows, _ = _rows(10, bad_every=1000)
    services.residents_import(acting_user=station_worker, upload=_xlsx(rows[:3]), filename="a.xlsx")
    result = services.residents_import(
        acting_user=station_worker, upload=_xlsx(rows), filename="b.xlsx"
    )
    assert result.created == 7 and result.rejected_lines == [2, 3, 4]
    outsider = make_member("dept_staff", "441881000000")
    result = services.residents_import(
        acting_user=outsider, upload=_xlsx(_rows(3)[0]), filename="c.xlsx"
    )
    assert result.created == 0 and {e.field for e in result.errors} >= {"village"}


@pytest.mark.django_db
def test_import_page_shows_the_report(station_worker, login):
    rows, _ = _rows(60)
    upload = _xlsx(rows)
    upload.name = "对象.xlsx"
    page = login(station_worker).post("/people/import/", {"file": upload}).content.decode()
    assert "已导入 59 行；1 行被拒绝" in page and "校验位" in page


def _with_over_long_fields():
    """Ten good rows, then a 60-character name (line 4), a 21-digit phone (line 7) and a
    201-character address (line 9): PostgreSQL refuses each, SQLite would store it."""
    rows, _ = _rows(10, bad_every=1000)
    rows[2][0] = "名" * 60
    rows[5][3] = "1" * 21
    rows[7][4] = "路" * 201
    return rows


@pytest.mark.django_db
def test_over_long_fields_are_row_errors_and_the_valid_rows_are_taken(station_worker):
    result = services.residents_import(
        acting_user=station_worker, upload=_xlsx(_with_over_long_fields()), filename="长.xlsx"
    )
    by_line = {e.line: (e.field, e.reason) for e in result.errors}
    assert set(by_line) == {4, 7, 9}
    assert by_line[4][0] == "name" and "50" in by_line[4][1]
    assert by_line[7][0] == "phone" and "20" in by_line[7][1]
    assert by_line[9][0] == "address" and "200" in by_line[9][1]
    assert result.created == 7
    stored = Resident.objects.values_list("name", "phone", "address")
    assert len(stored) == 7 and all(len(n) <= 50 and len(p) <= 20 for n, p, _a in stored)


@pytest.mark.django_db
def test_over_long_fields_with_all_or_nothing_take_nothing(station_worker):
    result = services.residents_import(
        acting_user=station_worker,
        upload=_xlsx(_with_over_long_fields()),
        filename="长.xlsx",
        all_or_nothing=True,
    )
    assert result.taken_nothing and result.rejected_lines == [4, 7, 9]
    assert not Resident.objects.exists()


@pytest.mark.django_db
def test_the_page_counts_every_error_by_column_and_lists_the_first_200(station_worker, login):
    rows, _ = _rows(260, bad_every=1000)
    for row in rows[:250]:
        row[5] = "不存在的村"
    upload = _xlsx(rows)
    upload.name = "对象.xlsx"
    page = login(station_worker).post("/people/import/", {"file": upload}).content.decode()
    assert "已导入 10 行；250 行被拒绝" in page
    summary = page.split('data-testid="import-summary"')[1].split("</table>")[0]
    assert "<td>村（社区）</td><td>250</td>" in summary and "第 2 行" in summary
    assert "下面只列出前 200 条错误（共 250 条）" in page
    listed = page.split('data-testid="import-errors"')[1].split("</table>")[0]
    assert listed.count("<tr>") == 1 + 200 and "<td>201</td>" in listed
    assert "<td>202</td>" not in listed


@pytest.mark.django_db
def test_the_short_names_of_renamed_categories_still_import(station_worker):
    """Spreadsheets made before the full names were seeded say 低保, 特困, 计生特殊家庭."""
    rows, _ = _rows(3, bad_every=1000)
    rows[0][6] = "低保"
    rows[1][6] = "特困、计生特殊家庭"
    rows[2][6] = "低保边缘"
    result = services.residents_import(
        acting_user=station_worker, upload=_xlsx(rows), filename="对象.xlsx"
    )
    assert result.created == 3, [(e.line, e.field, e.reason) for e in result.errors]
    codes = sorted(ResidentCategory.objects.values_list("category__code", flat=True))
    assert codes == ["dibao", "dibao_margin", "fp_special", "tekun"]

import io

import pytest
from openpyxl import Workbook

from shegong.core.demo_utils import credit_code, rng
from shegong.orgs import services
from shegong.orgs.models import Organisation

HEADERS = ["名称", "类型", "区划代码", "统一社会信用代码", "地址", "联系电话"]


def workbook(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def hundred_rows_with_three_bad():
    r = rng("import-test")
    rows = [
        [
            f"天河区测试社工机构{i:03d}",
            "社会工作服务机构",
            "440106",
            credit_code(r, "440106"),
            f"测试路{i}号",
            "020-1234",
        ]
        for i in range(100)
    ]
    rows[9][3] = rows[9][3][:-1] + (
        "0" if rows[9][3][-1] != "0" else "1"
    )  # line 11: bad check digit
    rows[41][2] = "440199"  # line 43: unknown region
    rows[76][0] = ""  # line 78: missing name
    return rows


@pytest.mark.django_db
def test_import_takes_valid_rows_and_reports_each_bad_one(county_user):
    result = services.organisations_import(
        acting_user=county_user,
        upload=workbook(hundred_rows_with_three_bad()),
        filename="orgs.xlsx",
    )
    assert result.created == 97
    assert Organisation.objects.filter(name__startswith="天河区测试社工机构").count() == 97
    by_line = {e.line: (e.field, e.reason) for e in result.errors}
    assert set(by_line) == {11, 43, 78}
    assert by_line[11][0] == "credit_code" and "校验位" in by_line[11][1]
    assert by_line[43][0] == "region" and "未找到区划" in by_line[43][1]
    assert by_line[78][0] == "name" and "名称" in by_line[78][1]


@pytest.mark.django_db
def test_all_or_nothing_takes_none(county_user):
    result = services.organisations_import(
        acting_user=county_user,
        upload=workbook(hundred_rows_with_three_bad()),
        filename="orgs.xlsx",
        all_or_nothing=True,
    )
    assert result.created == 0 and result.taken_nothing
    assert result.rejected_lines == [11, 43, 78]
    assert not Organisation.objects.filter(name__startswith="天河区测试社工机构").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("all_or_nothing", [False, True])
def test_an_over_long_field_is_a_row_error_and_the_mode_decides_the_rest(
    county_user, all_or_nothing
):
    rows = hundred_rows_with_three_bad()[:20]
    rows[9][3] = credit_code(rng("valid-again"), "440106")  # line 11 is valid here
    rows[4][0] = "天河区测试社工机构" + "长" * 192  # line 6: a name holds 200 characters
    rows[7][5] = "0" * 51  # line 9: a phone holds 50
    result = services.organisations_import(
        acting_user=county_user,
        upload=workbook(rows),
        filename="orgs.xlsx",
        all_or_nothing=all_or_nothing,
    )
    by_line = {e.line: (e.field, e.reason) for e in result.errors}
    assert sorted(by_line) == [6, 9]
    assert by_line[6][0] == "name" and "200" in by_line[6][1]
    assert by_line[9][0] == "phone" and "50" in by_line[9][1]
    imported = Organisation.objects.filter(name__startswith="天河区测试社工机构")
    assert result.created == imported.count() == (0 if all_or_nothing else 18)


@pytest.mark.django_db
def test_rows_outside_the_jurisdiction_are_rejected(county_user):
    r = rng("import-outside")
    rows = [["英德市某机构", "社会工作服务机构", "441881", credit_code(r, "441881"), "", ""]]
    result = services.organisations_import(
        acting_user=county_user, upload=workbook(rows), filename="o.xlsx"
    )
    assert result.created == 0
    assert result.errors[0].line == 2 and "辖区" in result.errors[0].reason


@pytest.mark.django_db
def test_import_page_reports_lines(login, county_user):
    client = login(county_user)
    upload = workbook(hundred_rows_with_three_bad())
    upload.name = "orgs.xlsx"
    response = client.post("/orgs/import/", {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "已导入 97 行" in text
    for line in ("<td>11</td>", "<td>43</td>", "<td>78</td>"):
        assert line in text


@pytest.mark.django_db
def test_export_round_trips_through_import(login, county_user):
    from openpyxl import load_workbook

    services.organisations_import(
        acting_user=county_user,
        upload=workbook(hundred_rows_with_three_bad()),
        filename="orgs.xlsx",
    )
    client = login(county_user)
    response = client.get("/orgs/export/?q=测试社工机构")
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("名称", "类型", "区划代码")
    assert len(rows) == 1 + 97


@pytest.mark.django_db
def test_import_command_reports_lines_and_all_or_nothing(tmp_path, county_user, capsys):
    from django.core.management import call_command

    path = tmp_path / "orgs.xlsx"
    path.write_bytes(workbook(hundred_rows_with_three_bad()).getvalue())
    with pytest.raises(SystemExit):
        call_command(
            "import_organisations", str(path), user=county_user.username, all_or_nothing=True
        )
    out = capsys.readouterr().out
    assert "第 11 行" in out and "第 43 行" in out and "第 78 行" in out and "一行都没有导入" in out
    assert not Organisation.objects.filter(name__startswith="天河区测试社工机构").exists()
    with pytest.raises(SystemExit):
        call_command("import_organisations", str(path), user=county_user.username)
    assert "已导入 97 行" in capsys.readouterr().out
    assert Organisation.objects.filter(name__startswith="天河区测试社工机构").count() == 97

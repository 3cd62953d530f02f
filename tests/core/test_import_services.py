"""Every import in the product reads through the bounded reader: its page answers a bomb with a
clear message on the file field, and nothing is written."""

from __future__ import annotations

import inspect
import io

import pytest
from django.test import override_settings

from shegong.core.errors import ApplicationError
from shegong.orgs.models import Organisation
from shegong.people.models import Resident
from shegong.volunteers.models import ServiceRecord, Volunteer
from tests.core import xlsx_files as files

MB = 1024 * 1024
PAGES = [
    "/people/import/",
    "/orgs/import/",
    "/volunteers/import/volunteers/",
    "/volunteers/import/records/",
]


def _counts():
    return (
        Resident.objects.count(),
        Organisation.objects.count(),
        Volunteer.objects.count(),
        ServiceRecord.objects.count(),
    )


@pytest.fixture(scope="module")
def gigabyte_bomb() -> bytes:
    head, tail = files.sheet_ends(files.text_rows([["姓名"]]))
    return files.workbook(files.repeated(head, tail, b" " * MB, 1024))


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_each_import_page_refuses_a_zip_bomb_with_a_message_and_writes_nothing(
    url, gigabyte_bomb, county_user, login
):
    before = _counts()
    upload = io.BytesIO(gigabyte_bomb)
    upload.name = "名单.xlsx"
    response = login(county_user).post(url, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Excel 文件解压后有 1.0\xa0GB，超过了 100.0\xa0MB 的上限" in page
    assert 'data-testid="import-result"' not in page
    assert _counts() == before


def _import_calls():
    from shegong.orgs.services import organisations_import
    from shegong.people.services import residents_import
    from shegong.volunteers.services import records_import, volunteers_import

    return {
        # people's import takes its user as acting_user (#11)
        "residents": (
            lambda imported_by, **kw: residents_import(acting_user=imported_by, **kw),
            ["姓名", "身份证号码", "村（社区）"],
        ),
        "organisations": (organisations_import, ["名称", "类型", "区划代码"]),
        "volunteers": (
            lambda imported_by, **kw: volunteers_import(acting_user=imported_by, **kw),
            ["姓名", "身份证号"],
        ),
        "service records": (
            lambda imported_by, **kw: records_import(acting_user=imported_by, **kw),
            ["志愿者编号", "活动名称", "服务日期", "服务时长"],
        ),
    }


@pytest.mark.django_db
@override_settings(SHEGONG_IMPORT_MAX_ROWS=5)
@pytest.mark.parametrize("kind", ["residents", "organisations", "volunteers", "service records"])
def test_each_import_service_refuses_a_file_over_the_row_limit_and_writes_nothing(
    kind, county_user
):
    service, header = _import_calls()[kind]
    rows = [header] + [["x"] * len(header) for _ in range(6)]
    data = files.workbook(files.sheet(files.text_rows(rows)))
    before = _counts()
    # Every import service takes `acting_user` once each app has moved to the naming rule (#11).
    who = "acting_user" if "acting_user" in inspect.signature(service).parameters else "imported_by"
    with pytest.raises(ApplicationError) as info:
        service(**{who: county_user}, upload=io.BytesIO(data), filename="a.xlsx")
    assert info.value.field == "file" and "5 行的上限" in info.value.message
    assert _counts() == before

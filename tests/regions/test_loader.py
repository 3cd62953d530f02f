"""The administrative-division loader: real codes, a sound tree, the 儋州 quirk, idempotency."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from shegong.core.errors import ApplicationError
from shegong.core.scoping import PREFIX_LENGTH
from shegong.regions.loader import (
    PROVINCE_DIR,
    PlannedRegion,
    load_regions,
    plan_regions,
    read_units,
    upsert_units,
)
from shegong.regions.models import NATION_CODE, Level, Region

# Hainan (46) has one of the smallest township/village files and a city without counties (儋州市).
PROVINCE = "46"
EXPECTED_LEVELS = {0: 1, 1: 31, 2: 342, 3: 2975, 4: 243, 5: 3296}


@pytest.fixture
def no_regions(db) -> None:
    """Start from an empty table (a shared fixture may have loaded test regions); rolled back."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM regions_region")


@pytest.fixture
def loaded(no_regions) -> dict:
    return load_regions(provinces=[PROVINCE])


def test_loads_base_and_one_province_with_real_codes(loaded):
    assert loaded["levels"] == EXPECTED_LEVELS
    assert loaded["changed"] == sum(EXPECTED_LEVELS.values())
    in_db = {level: Region.objects.filter(level=level).count() for level in EXPECTED_LEVELS}
    assert in_db == EXPECTED_LEVELS

    nation = Region.objects.get(code=NATION_CODE)
    assert (nation.name, nation.level, nation.parent_id) == ("中华人民共和国", Level.NATION, None)
    guangdong = Region.objects.get(code="440000000000")
    assert (guangdong.name, guangdong.level, guangdong.parent_id) == ("广东省", 1, NATION_CODE)
    tianhe = Region.objects.get(code="440106000000")
    assert (tianhe.name, tianhe.level, tianhe.parent_id) == ("天河区", 3, "440100000000")
    assert tianhe.full_name == "广东省广州市天河区"
    assert Region.objects.get(code="440100000000").name == "广州市"
    # Guangdong's townships were not asked for; Hainan's are there.
    assert not Region.objects.filter(code__startswith="44", level__gte=Level.TOWNSHIP).exists()
    assert Region.objects.filter(code__startswith="46", level=Level.VILLAGE).count() == 3296


def test_every_parent_exists_is_higher_and_contains_the_child(loaded):
    children = Region.objects.exclude(code=NATION_CODE)
    assert not children.filter(parent__name__isnull=True).exists()  # a missing or dangling parent
    assert not children.filter(parent__level__gte=F("level")).exists()
    level_of = dict(Region.objects.values_list("code", "level"))
    for code, parent in children.values_list("code", "parent_id"):
        assert code.startswith(parent[: PREFIX_LENGTH[level_of[parent]]]), code


def test_township_of_a_city_without_counties_hangs_under_the_city(loaded):
    danzhou = Region.objects.get(code="460400000000")
    assert (danzhou.name, danzhou.level, danzhou.parent_id) == ("儋州市", 2, "460000000000")
    nada = Region.objects.get(code="460400100000")
    assert (nada.name, nada.level, nada.parent_id) == ("那大镇", Level.TOWNSHIP, danzhou.code)
    assert Region.objects.get(code="460400100001").parent_id == nada.code


def test_plan_keeps_the_shallower_unit_of_a_shared_code_and_finds_parents_in_the_db():
    units = [
        ("000000000000", "中华人民共和国"),
        ("35", "福建省"),
        ("3505", "泉州市"),
        ("350527", "金门县"),
        ("350527000", "金门县"),  # same 12-digit code as the county: dropped
        ("350527000000", "金门县"),
        ("44", "广东省"),
        ("4419", "东莞市"),
        ("441900", "东莞市"),  # same code as the city: dropped
        ("441900003", "东城街道"),
        ("441900003001", "某社区"),
        ("460108001", "某街道"),  # its county and city are only in the database
    ]
    asked: list[set[str]] = []

    def existing(codes: set[str]) -> set[str]:
        asked.append(codes)
        return {"460108000000", "460100000000"} & codes

    rows = {row.code: row for row in plan_regions(units, existing=existing)}
    assert rows["350527000000"] == PlannedRegion("350527000000", "金门县", 3, "350500000000")
    assert rows["441900000000"] == PlannedRegion("441900000000", "东莞市", 2, "440000000000")
    assert rows["441900003000"].parent_code == "441900000000"
    assert rows["441900003001"].parent_code == "441900003000"
    assert rows["460108001000"].parent_code == "460108000000"
    assert asked == [{"460108000000", "460100000000", "460000000000"}]
    assert list(rows) == sorted(rows)


def test_a_province_file_loaded_on_its_own_finds_its_counties_in_the_database(no_regions):
    load_regions()  # nation … counties only
    assert not Region.objects.filter(level__gte=Level.TOWNSHIP).exists()
    hainan = read_units(PROVINCE_DIR / f"{PROVINCE}.tsv.xz")

    result = upsert_units(hainan)

    assert result["levels"] == {4: 243, 5: 3296}
    assert Region.objects.get(code="460400100000").parent_id == "460400000000"  # 儋州市 (city)
    assert Region.objects.get(code="460105001000").parent_id == "460105000000"  # 秀英区
    assert not Region.objects.filter(level__gte=Level.TOWNSHIP, parent__isnull=True).exists()


def test_second_run_changes_nothing_and_restores_names_in_place(loaded):
    tianhe = Region.objects.get(code="440106000000")
    tianhe.name = "改过的名字"
    tianhe.urban_rural_class = "111"  # not in the data: a row re-created would lose it
    tianhe.save()
    local = Region.objects.create(
        code="460199000000", name="本地新增", level=Level.COUNTY, parent_id="460100000000"
    )

    again = load_regions(provinces=[PROVINCE])

    assert again["levels"] == loaded["levels"]
    assert again["changed"] == 1
    tianhe.refresh_from_db()
    assert (tianhe.name, tianhe.urban_rural_class) == ("天河区", "111")
    assert Region.objects.filter(pk=local.pk).exists()  # rows outside the data are kept
    assert Region.objects.count() == sum(EXPECTED_LEVELS.values()) + 1


def test_load_is_set_based(no_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        load_regions(provinces=[PROVINCE])


def test_unknown_province_is_refused(no_regions):
    with pytest.raises(ApplicationError, match="99"):
        load_regions(provinces=["99"])
    assert not Region.objects.exists()


def test_command_loads_and_reports_in_chinese(no_regions):
    out = StringIO()
    call_command("regions", "load", "--province", PROVINCE, stdout=out)
    assert (
        "已载入 行政区划：全国 1，省级 31，地级 342，县级 2975，乡级 243，村级 3296"
        in out.getvalue()
    )
    assert "用时" in out.getvalue()

    out = StringIO()
    call_command("regions", "status", stdout=out)
    assert "省级 31" in out.getvalue() and "合计 6888" in out.getvalue()

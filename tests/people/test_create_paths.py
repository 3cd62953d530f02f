"""Registering residents one at a time and in bulk: the rows each path writes (history, audit,
categories, visit plan) and the per-item errors of a bulk request."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from shegong.core.models import AuditLog
from shegong.people import services
from shegong.people.models import Category, Resident, ResidentCategory, VisitPlan
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Region
from tests.people.conftest import OTHER_VILLAGE, VILLAGE, VILLAGE2

pytestmark = pytest.mark.django_db


def number(seq: int, birth: date = date(1950, 5, 6), sex: str = "F") -> str:
    return make_id_number("440106", birth, seq, sex)


def test_single_create_writes_history_categories_and_plan(station_worker):
    alone, low_income = Category.objects.filter(code__in=["living_alone", "dibao"]).order_by("pk")
    resident = services.resident_create(
        acting_user=station_worker,
        name="单个登记",
        id_number=number(11),
        region=Region.objects.get(code=VILLAGE),
        health_notes="高血压",
        categories=[alone, low_income, alone],
    )
    stored = Resident.objects.get(pk=resident.pk)
    assert stored.name == "单个登记" and stored.health_notes == "高血压"
    assert stored.county_code == "440106" and stored.assigned_worker == station_worker
    (record,) = stored.history.all()
    assert record.history_type == "+" and record.history_user == station_worker
    assert record.name == "单个登记" and record.region_id == VILLAGE
    links = ResidentCategory.objects.unscoped(reason="test").filter(resident=stored)
    assert {(link.category.code, link.region_code) for link in links} == {
        ("living_alone", VILLAGE),
        ("dibao", VILLAGE),
    }
    assert all(link.history.get().history_user == station_worker for link in links)
    plan = VisitPlan.objects.unscoped(reason="test").get(resident=stored)
    assert plan.region_code == VILLAGE and plan.worker == station_worker
    assert plan.history.get().history_type == "+"


def test_single_create_without_categories_writes_none_and_no_plan(station_worker):
    resident = services.resident_create(
        acting_user=station_worker,
        name="无类别",
        id_number=number(12),
        region=Region.objects.get(code=VILLAGE),
    )
    assert not ResidentCategory.objects.unscoped(reason="test").filter(resident=resident).exists()
    assert not VisitPlan.objects.unscoped(reason="test").filter(resident=resident).exists()
    assert Resident.objects.get(pk=resident.pk).history.count() == 1


def test_single_create_refuses_a_taken_number_with_the_scoped_message(station_worker, make_member):
    taken = number(13)
    services.resident_create(
        acting_user=station_worker,
        name="先登记",
        id_number=taken,
        region=Region.objects.get(code=VILLAGE),
    )
    with pytest.raises(ValidationError) as own:
        services.resident_create(
            acting_user=station_worker,
            name="再登记",
            id_number=taken,
            region=Region.objects.get(code=VILLAGE2),
        )
    assert own.value.message_dict["id_number"] == ["该身份证号码已登记，不能重复登记。"]
    outsider = make_member("station_worker", "441881001000", kind="sw_station")
    with pytest.raises(ValidationError) as elsewhere:
        services.resident_create(
            acting_user=outsider,
            name="英德登记",
            id_number=taken,
            region=Region.objects.get(code=OTHER_VILLAGE),
        )
    (message,) = elsewhere.value.message_dict["id_number"]
    assert "已在其他辖区登记" in message and "先登记" not in message and VILLAGE not in message
    assert Resident.objects.unscoped(reason="test").filter(name__endswith="登记").count() == 1


def test_single_create_names_the_taken_number_before_likely_duplicates(station_worker):
    taken = number(16)
    region = Region.objects.get(code=VILLAGE)
    services.resident_create(
        acting_user=station_worker, name="同一人", id_number=taken, region=region
    )
    with pytest.raises(ValidationError) as refused:  # the same person entered again
        services.resident_create(
            acting_user=station_worker, name="同一人", id_number=taken, region=region
        )
    assert refused.value.message_dict["id_number"] == ["该身份证号码已登记，不能重复登记。"]


def test_single_create_refuses_a_number_stored_under_an_earlier_scheme(station_worker, settings):
    settings.SHEGONG_FIELD_CIPHER = "aes-gcm"
    old = number(14)
    services.resident_create(
        acting_user=station_worker,
        name="旧方案",
        id_number=old,
        region=Region.objects.get(code=VILLAGE),
    )
    settings.SHEGONG_FIELD_CIPHER = "sm4-gcm"
    with pytest.raises(ValidationError) as refused:
        services.resident_create(
            acting_user=station_worker,
            name="新方案",
            id_number=old,
            region=Region.objects.get(code=VILLAGE),
        )
    assert refused.value.message_dict["id_number"] == ["该身份证号码已登记，不能重复登记。"]


def test_single_create_keeps_the_field_checks(station_worker):
    with pytest.raises(ValidationError) as refused:
        services.resident_create(
            acting_user=station_worker,
            name="长" * 51,
            id_number=number(15),
            region=Region.objects.get(code=VILLAGE),
        )
    assert "name" in refused.value.message_dict
    assert not Resident.objects.unscoped(reason="test").filter(name="长" * 51).exists()


def _items(*seqs, region=VILLAGE, **extra):
    return [
        {"name": f"批量{seq}", "id_number": number(seq), "region": region, **extra} for seq in seqs
    ]


def test_bulk_create_writes_every_row_of_each_resident(station_worker):
    items = _items(21, 22, categories=["living_alone"])
    items.append({"name": "批量23", "id_number": number(23), "region": "岳洲社区居委会"})
    result = services.residents_bulk_create(
        acting_user=station_worker, items=items, mode=services.VALID_ONLY
    )
    assert result.created == 3 and not result.errors
    created = Resident.objects.visible_to(station_worker).filter(name__startswith="批量")
    assert created.count() == 3
    for resident in created:
        (record,) = resident.history.all()
        assert record.history_type == "+" and record.history_user == station_worker
    with_plan = created.exclude(name="批量23")
    assert set(
        ResidentCategory.objects.visible_to(station_worker)
        .filter(resident__in=with_plan)
        .values_list("category__code", "region_code")
    ) == {("living_alone", VILLAGE)}
    assert VisitPlan.objects.visible_to(station_worker).filter(resident__in=with_plan).count() == 2
    audit = AuditLog.objects.filter(action=AuditLog.Action.IMPORT, actor=station_worker).get()
    assert audit.detail["via"] == "api" and audit.detail["created"] == 3


def test_bulk_duplicates_and_outside_regions_are_item_errors(station_worker):
    services.resident_create(
        acting_user=station_worker,
        name="已在册",
        id_number=number(31),
        region=Region.objects.get(code=VILLAGE),
    )
    items = [
        *_items(31),  # 0: registered already
        *_items(32),  # 1: valid
        *_items(33),  # 2: valid…
        *_items(33),  # 3: …and the same number again
        *_items(34, region=OTHER_VILLAGE),  # 4: a village of another county
        *_items(35),  # 5: valid
    ]
    kept = services.residents_bulk_create(
        acting_user=station_worker, items=items, mode=services.VALID_ONLY
    )
    errors = {(e.line, e.field): e.reason for e in kept.errors}
    assert set(errors) == {(0, "id_number"), (3, "id_number"), (4, "region")}
    assert errors[(0, "id_number")] == "重复：该身份证号码已登记"
    assert "序号 2" in errors[(3, "id_number")]
    assert "未知的村" in errors[(4, "region")]
    assert kept.created == 3 and not kept.taken_nothing
    names = set(
        Resident.objects.visible_to(station_worker)
        .filter(name__startswith="批量")
        .values_list("name", flat=True)
    )
    assert names == {"批量32", "批量33", "批量35"}


def test_bulk_all_or_nothing_takes_nothing_and_lists_every_error(station_worker):
    items = [*_items(41, 42), *_items(42), {"name": "", "id_number": "123", "region": VILLAGE}]
    result = services.residents_bulk_create(
        acting_user=station_worker, items=items, mode=services.ALL_OR_NOTHING
    )
    assert result.taken_nothing and result.created == 0
    assert {(e.line, e.field) for e in result.errors} == {
        (2, "id_number"),
        (3, "name"),
        (3, "id_number"),
    }
    assert not Resident.objects.visible_to(station_worker).filter(name__startswith="批量").exists()
    audit = AuditLog.objects.filter(action=AuditLog.Action.IMPORT, actor=station_worker).get()
    assert audit.detail["created"] == 0 and audit.detail["rejected"] == 2


def test_bulk_refuses_more_items_than_the_limit(station_worker):
    from shegong.core.errors import ApplicationError

    items = _items(51) * (services.BULK_LIMIT + 1)
    with pytest.raises(ApplicationError) as refused:
        services.residents_bulk_create(
            acting_user=station_worker, items=items, mode=services.VALID_ONLY
        )
    assert "1000" in refused.value.message and refused.value.field == "items"


def test_bulk_api_answers_field_and_reason_per_item(station_worker, make_member, login):
    outsider = make_member("station_worker", "441881001000", kind="sw_station")
    taken_elsewhere = make_id_number("441881", date(1950, 5, 6), 61, "F")
    services.resident_create(
        acting_user=outsider,
        name="英德老人",
        id_number=taken_elsewhere,
        region=Region.objects.get(code=OTHER_VILLAGE),
    )
    client = login(station_worker)
    body = {
        "mode": "valid_only",
        "items": [
            {"name": "接口一", "id_number": number(62), "region": VILLAGE, "sex": "女"},
            {"name": "接口二", "id_number": number(63), "region": VILLAGE, "sex": "男"},
            {"name": "接口三", "id_number": taken_elsewhere, "region": VILLAGE},
            {"name": "接口四", "id_number": number(64), "region": OTHER_VILLAGE},
            {"name": "接口五", "id_number": number(65), "region": VILLAGE, "birth_date": "x"},
        ],
    }
    response = client.post("/api/v1/people/residents/bulk", body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["created"] == 1 and data["items"] == 5 and data["rejected"] == 4
    by_index = {(e["index"], e["field"]): e["reason"] for e in data["errors"]}
    assert set(by_index) == {(1, "sex"), (2, "id_number"), (3, "region"), (4, "birth_date")}
    assert "其他辖区" in by_index[(2, "id_number")] and "英德老人" not in response.content.decode()
    too_many = client.post(
        "/api/v1/people/residents/bulk",
        {"mode": "valid_only", "items": body["items"][:1] * (services.BULK_LIMIT + 1)},
        content_type="application/json",
    )
    assert too_many.status_code == 422
    assert "1000" in too_many.content.decode()
    wrong_mode = client.post(
        "/api/v1/people/residents/bulk",
        {"mode": "some", "items": body["items"][:1]},
        content_type="application/json",
    )
    assert wrong_mode.status_code == 422
    assert Resident.objects.visible_to(station_worker).filter(name__startswith="接口").count() == 1


def test_bulk_api_is_refused_to_the_outsider_of_the_role(login, make_member):
    viewer = make_member("auditor", "440106000000")
    response = login(viewer).post(
        "/api/v1/people/residents/bulk",
        {"mode": "valid_only", "items": _items(71)},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert not Resident.objects.unscoped(reason="test").filter(name="批量71").exists()

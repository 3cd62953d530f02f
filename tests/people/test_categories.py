"""The category taxonomy: the target groups of the care-visit guidance and the assistance rules
are seeded with stable codes; a provincial (or national) department adds and edits categories in
the product — pages and API — with clear refusals and history; a county reads only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shegong.people import services
from shegong.people.models import Category

pytestmark = pytest.mark.django_db

TARGET_GROUPS = {
    "living_alone": "独居老人",
    "empty_nest": "空巢老人",
    "left_behind_elderly": "留守老人",
    "disabled": "残疾人",
    "severely_disabled": "重度残疾人",
    "fp_special": "计划生育特殊家庭",
    "left_behind_child": "留守儿童",
    "children_in_difficulty": "困境儿童",
    "dibao": "低保家庭",
    "tekun": "特困供养人员",
    "dibao_margin": "低保边缘家庭",
}


@pytest.fixture
def province_user(make_member):
    return make_member("dept_staff", "440000000000", name="广东省委社会工作部")


def test_the_target_groups_are_seeded_with_stable_codes():
    seeded = dict(Category.objects.values_list("code", "name"))
    assert {code: seeded.get(code) for code in TARGET_GROUPS} == TARGET_GROUPS
    # categories seeded before keep their codes (residents, imports and the API use them)
    assert {"unsupported_child", "incapacitated"} <= set(seeded)
    assert Category.objects.get(code="severely_disabled").has_level


def test_a_province_adds_and_renames_a_category_with_history(province_user):
    made = services.category_create(
        acting_user=province_user,
        data={"code": "Veteran_Family", "name": "优抚对象", "cared_for": False, "order": 50},
    )
    assert made.code == "veteran_family" and not made.cared_for
    services.category_update(
        category=made, acting_user=province_user, data={"name": "重点优抚对象"}
    )
    made.refresh_from_db()
    assert made.name == "重点优抚对象"
    assert list(made.history.values_list("name", "history_user")) == [
        ("重点优抚对象", province_user.pk),
        ("优抚对象", province_user.pk),
    ]


def test_duplicates_and_a_changed_code_are_refused_with_a_reason(province_user):
    with pytest.raises(ValidationError) as dup_code:
        services.category_create(
            acting_user=province_user, data={"code": "DIBAO", "name": "新类别"}
        )
    assert dup_code.value.message_dict == {"code": ["代码“dibao”已被其他类别使用。"]}
    with pytest.raises(ValidationError) as dup_name:
        services.category_create(
            acting_user=province_user, data={"code": "new_group", "name": "独居老人"}
        )
    assert dup_name.value.message_dict == {"name": ["名称“独居老人”已被其他类别使用。"]}
    tekun = Category.objects.get(code="tekun")
    with pytest.raises(ValidationError) as rename:
        services.category_update(
            category=tekun, acting_user=province_user, data={"name": "空巢老人"}
        )
    assert "已被其他类别使用" in str(rename.value)
    with pytest.raises(ValidationError) as recode:
        services.category_update(category=tekun, acting_user=province_user, data={"code": "tk"})
    assert "不能修改" in str(recode.value)
    assert Category.objects.get(pk=tekun.pk).name == "特困供养人员"


def test_a_county_reads_but_cannot_edit(county_user, login):
    dibao = Category.objects.get(code="dibao")
    with pytest.raises(PermissionDenied):
        services.category_update(category=dibao, acting_user=county_user, data={"name": "低保"})
    with pytest.raises(PermissionDenied):
        services.category_create(acting_user=county_user, data={"code": "x", "name": "某类"})
    client = login(county_user)
    page = client.get(reverse("people:categories")).content.decode()
    assert "低保家庭" in page and "新增类别" not in page and "您可以查看" in page
    assert client.get(reverse("people:category_create")).status_code == 403
    edit = reverse("people:category_edit", args=[dibao.pk])
    assert client.post(edit, {"name": "低保", "order": 1}).status_code == 403
    api = client.patch(
        f"/api/v1/people/categories/{dibao.pk}", {"name": "低保"}, content_type="application/json"
    )
    assert api.status_code == 403
    created = client.post(
        "/api/v1/people/categories", {"code": "x", "name": "某类"}, content_type="application/json"
    )
    assert created.status_code == 403
    assert client.get("/api/v1/people/categories").status_code == 200
    assert Category.objects.get(pk=dibao.pk).name == "低保家庭"
    assert not Category.objects.filter(code="x").exists()


def test_a_province_edits_on_the_pages_and_over_the_api(province_user, login):
    client = login(province_user)
    page = client.get(reverse("people:categories")).content.decode()
    assert "新增类别" in page
    resp = client.post(
        reverse("people:category_create"),
        {"code": "dibao", "name": "重复", "order": 100},
    )
    assert "代码“dibao”已被其他类别使用。" in resp.content.decode()
    resp = client.post(
        reverse("people:category_create"),
        {"code": "sick_poor", "name": "因病致困家庭", "cared_for": "on", "order": 20},
        follow=True,
    )
    assert "已新增类别：因病致困家庭" in resp.content.decode()
    made = Category.objects.get(code="sick_poor")
    assert made.cared_for
    edit = reverse("people:category_edit", args=[made.pk])
    resp = client.post(edit, {"name": "因病支出型困难家庭", "order": 21}, follow=True)
    assert "已保存类别：因病支出型困难家庭" in resp.content.decode()
    made.refresh_from_db()
    assert (made.name, made.cared_for, made.order) == ("因病支出型困难家庭", False, 21)
    assert "因病致困家庭" in client.get(edit).content.decode()  # the history shows the old name

    api = client.post(
        "/api/v1/people/categories",
        {"code": "martyr_family", "name": "烈属"},
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    again = client.post(
        "/api/v1/people/categories",
        {"code": "martyr_family", "name": "烈属家庭"},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "code"
    patched = client.patch(
        f"/api/v1/people/categories/{api.json()['id']}",
        {"name": "烈士遗属", "order": 5},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["name"] == "烈士遗属"


def test_a_code_that_is_not_a_slug_is_a_field_error(province_user, login):
    client = login(province_user)
    resp = client.post(
        "/api/v1/people/categories",
        {"code": "低保 家庭", "name": "某类"},
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "code"

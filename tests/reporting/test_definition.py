"""Defining a report form (新建报表, its data elements and cross-field rules, its settings):
only the defining department changes it, through the pages and the API alike; other units that
read the form (stations below, counties, another city) are refused and nothing is written; the
elements and rules are fixed once anyone has opened a report; errors name the field."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shegong.core.models import AuditLog
from shegong.reporting import services
from shegong.reporting.models import DataElement, ReportForm, ValidationRule
from tests.reporting.conftest import PERIOD

pytestmark = pytest.mark.django_db

API = "/api/v1/reporting"


def _errors(response) -> dict[str, str]:
    return {e["field"]: e["reason"] for e in response.json()["errors"]}


def test_a_department_defines_a_form_through_the_pages(chain, login):
    client = login(chain.county)
    index = client.get(reverse("reporting:index")).content.decode()
    assert 'data-testid="new-form"' in index
    page = client.get(reverse("reporting:form_create"))
    # A county department's form is filled by the stations: the only level below it.
    assert page.status_code == 200
    levels = page.context["form"].fields["filling_level"].choices
    assert [value for value, _label in levels] == ["4"]
    response = client.post(
        reverse("reporting:form_create"),
        {
            "name": "天河区社工站季报",
            "period_type": "quarterly",
            "filling_level": "3",
            "due_days": "10",
            "due_rule": "working",
        },
    )
    assert response.status_code == 422 and "error-filling_level" in response.content.decode()
    response = client.post(
        reverse("reporting:form_create"),
        {
            "name": "天河区社工站季报",
            "period_type": "quarterly",
            "filling_level": "4",
            "due_days": "15",
            "due_rule": "working",
            "description": "每季度结束后 15 个工作日内报送",
        },
    )
    assert response.status_code == 302
    form = ReportForm.objects.get(name="天河区社工站季报")
    assert form.department_id == chain.county.active_membership.organisation_id
    assert (form.period_type, form.filling_level, form.due_days) == ("quarterly", 4, 15)
    assert response["Location"] == form.get_absolute_url()

    detail = client.get(form.get_absolute_url())
    text = detail.content.decode()
    assert 'data-testid="element-form"' in text and 'data-testid="rule-form"' in text
    # The pre-fill box offers the platform's sources with their labels.
    prefill = dict(detail.context["element_form"].fields["prefill"].choices)
    assert "visits_done" in prefill and prefill["visits_done"] not in ("", "visits_done")

    add = reverse("reporting:element_add", args=[form.pk])
    for data in (
        {"code": "served", "label": "服务人次", "kind": "integer", "required": "on"},
        {"code": "women", "label": "其中女性", "kind": "integer", "min_value": "0"},
        {"code": "visits", "label": "探访次数", "kind": "integer", "prefill": "visits_done"},
        {"code": "mood", "label": "整体评价", "kind": "choice", "choices": "好\n一般\n差"},
    ):
        assert client.post(add, data).status_code == 302, data
    elements = {e.code: e for e in form.elements.all()}
    assert list(elements) == ["served", "women", "visits", "mood"]
    assert elements["visits"].prefill == "visits_done" and not elements["women"].required
    assert elements["mood"].choice_list == ["好", "一般", "差"]

    # Errors name the field and write nothing.
    for data, field in (
        ({"code": "bad code", "label": "x", "kind": "integer"}, "code"),
        ({"code": "served", "label": "重复", "kind": "integer"}, "code"),
        ({"code": "c1", "label": "选项", "kind": "choice"}, "choices"),
        (
            {"code": "c2", "label": "区间", "kind": "integer", "min_value": "5", "max_value": "1"},
            "max_value",
        ),
        ({"code": "c3", "label": "文字", "kind": "text", "prefill": "visits_done"}, "prefill"),
    ):
        response = client.post(add, data)
        assert response.status_code == 422, data
        assert f'data-testid="error-{field}"' in response.content.decode(), data
    assert form.elements.count() == 4

    rule_add = reverse("reporting:rule_add", args=[form.pk])
    response = client.post(
        rule_add,
        {"name": "其中数不大于总数", "left": "women", "operator": "le", "right_codes": "nope"},
    )
    assert response.status_code == 422
    assert 'data-testid="error-right_codes"' in response.content.decode()
    response = client.post(
        rule_add, {"name": "比较选项", "left": "women", "operator": "le", "right_codes": "mood"}
    )
    assert response.status_code == 422 and "数值型" in response.content.decode()
    response = client.post(
        rule_add,
        {"name": "其中数不大于总数", "left": "women", "operator": "le", "right_codes": "served"},
    )
    assert response.status_code == 302
    rule = form.rules.get()
    assert (rule.left.code, rule.operator, rule.right_codes) == ("women", "le", "served")

    # An element a rule uses stays until the rule goes; then both can be removed.
    remove = reverse("reporting:element_remove", args=[form.pk, elements["served"].pk])
    assert client.post(remove).status_code == 302
    assert form.elements.filter(code="served").exists()
    assert client.post(reverse("reporting:rule_remove", args=[form.pk, rule.pk])).status_code == 302
    assert client.post(remove).status_code == 302
    assert not form.elements.filter(code="served").exists() and not form.rules.exists()

    # Settings: errors name the field; then saved, and 停用.
    settings = reverse("reporting:form_settings", args=[form.pk])
    response = client.post(settings, {"name": "", "due_days": "0", "due_rule": "calendar"})
    assert response.status_code == 422
    text = response.content.decode()
    assert 'data-testid="error-name"' in text and 'data-testid="error-due_days"' in text
    response = client.post(
        settings,
        {"name": "天河区季报", "due_days": "20", "due_rule": "calendar", "description": ""},
    )
    assert response.status_code == 302
    assert client.post(reverse("reporting:form_activate", args=[form.pk]), {"active": "0"})
    form.refresh_from_db()
    assert (form.name, form.due_days, form.due_rule, form.is_active) == (
        "天河区季报",
        20,
        "calendar",
        False,
    )
    # Each change has its history (by the user) and its audit record.
    assert form.history.filter(history_user=chain.county).count() == 3
    removed = DataElement.history.filter(code="served", history_type="-").get()
    assert removed.history_user == chain.county
    done = list(
        AuditLog.objects.filter(object_id=str(form.pk), object_type="reporting.reportform")
        .order_by("id")
        .values_list("detail__report_form", flat=True)
    )
    assert done[0] == "create" and {"element_create", "rule_create", "rule_delete"} <= set(done)
    assert {"element_delete", "update"} <= set(done)


def test_a_department_defines_a_form_through_the_api(chain, login):
    client = login(chain.county)

    def post(url, data):
        return client.post(url, data, content_type="application/json")

    response = post(f"{API}/forms", {"name": "API 月报", "filling_level": 3})
    assert response.status_code == 422 and "filling_level" in _errors(response)
    response = post(f"{API}/forms", {"name": "API 月报", "due_days": 5})
    assert response.status_code == 201, response.content
    body = response.json()
    form_id = body["id"]
    assert body["department_id"] == chain.county.active_membership.organisation_id
    assert body["filling_level"] == 4 and body["elements"] == []

    elements = f"{API}/forms/{form_id}/elements"
    assert post(elements, {"code": "total", "label": "总数"}).status_code == 201
    response = post(elements, {"code": "part", "label": "其中", "kind": "integer", "min_value": 0})
    assert response.status_code == 201
    part_id = response.json()["id"]
    response = post(
        elements, {"code": "rate", "label": "比例", "kind": "percent", "prefill": "nope"}
    )
    assert response.status_code == 422 and "prefill" in _errors(response)
    response = post(elements, {"code": "rate", "label": "比例", "min_value": 9, "max_value": 1})
    assert response.status_code == 422 and "max_value" in _errors(response)
    response = post(elements, {"code": "total", "label": "又一个"})
    assert response.status_code == 422 and "code" in _errors(response)
    response = post(elements, {"code": "a b", "label": "空格"})
    assert response.status_code == 422 and "code" in _errors(response)

    rules = f"{API}/forms/{form_id}/rules"
    response = post(
        rules, {"name": "其中≤总数", "left": "ghost", "operator": "le", "right_codes": "total"}
    )
    assert response.status_code == 422 and "left" in _errors(response)
    response = post(
        rules, {"name": "其中≤总数", "left": "part", "operator": "le", "right_codes": "total"}
    )
    assert response.status_code == 201 and response.json()["left"] == "part"
    rule_id = response.json()["id"]

    detail = client.get(f"{API}/forms/{form_id}").json()
    assert [e["code"] for e in detail["elements"]] == ["total", "part"]
    assert [r["name"] for r in detail["rules"]] == ["其中≤总数"]

    response = client.patch(
        f"{API}/forms/{form_id}",
        {"due_days": 61},
        content_type="application/json",
    )
    assert response.status_code == 422 and "due_days" in _errors(response)
    response = client.patch(
        f"{API}/forms/{form_id}",
        {"name": "API 月报（新）", "due_rule": "working", "is_active": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["due_rule"]) == ("API 月报（新）", "working")
    assert response.json()["is_active"] is False and response.json()["due_days"] == 5

    response = client.delete(f"{elements}/{part_id}")
    assert response.status_code == 422 and "element" in _errors(response)
    assert client.delete(f"{rules}/{rule_id}").status_code == 204
    assert client.delete(f"{elements}/{part_id}").status_code == 204
    assert client.delete(f"{elements}/{part_id}").status_code == 404
    assert [e.code for e in DataElement.objects.filter(form_id=form_id)] == ["total"]


def test_only_the_defining_department_changes_a_form(chain, login):
    """The province's form is read by the county and the stations below (and by 英德, another
    county of the province): none of them adds or removes anything, on the page or the API."""
    form = chain.form
    served = form.elements.get(code="served")
    rule = form.rules.get()
    before = (form.elements.count(), form.rules.count(), form.name)
    new_element = {"code": "extra", "label": "额外", "kind": "integer"}
    new_rule = {"name": "x", "left": "women", "operator": "le", "right_codes": "served"}
    for user in (chain.stations[0], chain.county, chain.city, chain.other_county):
        client = login(user)
        assert client.get(reverse("reporting:form", args=[form.pk])).status_code == 200
        page = client.get(reverse("reporting:form", args=[form.pk])).content.decode()
        assert "element-form" not in page and "form-settings" not in page
        for url, data in (
            (reverse("reporting:element_add", args=[form.pk]), new_element),
            (reverse("reporting:rule_add", args=[form.pk]), new_rule),
            (reverse("reporting:element_remove", args=[form.pk, served.pk]), {}),
            (reverse("reporting:rule_remove", args=[form.pk, rule.pk]), {}),
            (reverse("reporting:form_settings", args=[form.pk]), {"name": "改名"}),
            (reverse("reporting:form_activate", args=[form.pk]), {"active": "0"}),
        ):
            assert client.post(url, data).status_code == 403, (user, url)
        for method, url, data in (
            ("post", f"{API}/forms/{form.pk}/elements", new_element),
            ("post", f"{API}/forms/{form.pk}/rules", new_rule),
            ("patch", f"{API}/forms/{form.pk}", {"name": "改名"}),
            ("delete", f"{API}/forms/{form.pk}/elements/{served.pk}", None),
            ("delete", f"{API}/forms/{form.pk}/rules/{rule.pk}", None),
        ):
            response = getattr(client, method)(url, data, content_type="application/json")
            assert response.status_code == 403, (user, method, url)
    # A station cannot define a form at all.
    client = login(chain.stations[0])
    assert 'data-testid="new-form"' not in client.get(reverse("reporting:index")).content.decode()
    assert client.get(reverse("reporting:form_create")).status_code == 403
    response = client.post(f"{API}/forms", {"name": "站报"}, content_type="application/json")
    assert response.status_code == 403
    # 广州's form is not even visible to 英德 (another city): 404.
    city_form = services.form_create(
        acting_user=chain.city, department=chain.city.active_membership.organisation, name="广州"
    )
    client = login(chain.other_county)
    assert (
        client.post(reverse("reporting:element_add", args=[city_form.pk]), new_element).status_code
        == 404
    )
    response = client.post(
        f"{API}/forms/{city_form.pk}/elements", new_element, content_type="application/json"
    )
    assert response.status_code == 404
    # The services refuse the same, whoever calls them.
    with pytest.raises(PermissionDenied):
        services.element_create(acting_user=chain.county, form=form, code="extra", label="额外")
    with pytest.raises(PermissionDenied):
        services.rule_create(
            acting_user=chain.county,
            form=form,
            left="women",
            operator="le",
            right="served",
            name="x",
        )
    form.refresh_from_db()
    assert (form.elements.count(), form.rules.count(), form.name) == before
    assert not city_form.elements.exists()
    assert not ValidationRule.objects.filter(name="x").exists()


def test_elements_and_rules_are_fixed_once_a_report_is_opened(chain, login):
    form = chain.form
    services.submission_open(acting_user=chain.stations[0], form=form, period_start=PERIOD)
    served = form.elements.get(code="served")
    rule = form.rules.get()
    client = login(chain.province)
    page = client.get(reverse("reporting:form", args=[form.pk])).content.decode()
    assert 'data-testid="frozen"' in page and "element-form" not in page
    assert "remove-element-served" not in page
    response = client.post(
        reverse("reporting:element_add", args=[form.pk]),
        {"code": "extra", "label": "额外", "kind": "integer"},
    )
    assert response.status_code == 422
    client.post(reverse("reporting:element_remove", args=[form.pk, served.pk]))
    client.post(reverse("reporting:rule_remove", args=[form.pk, rule.pk]))
    response = client.post(
        f"{API}/forms/{form.pk}/elements",
        {"code": "extra", "label": "额外"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "已有填报" in _errors(response)["code"]
    response = client.delete(f"{API}/forms/{form.pk}/elements/{served.pk}")
    assert response.status_code == 422 and "已有填报" in _errors(response)["element"]
    response = client.delete(f"{API}/forms/{form.pk}/rules/{rule.pk}")
    assert response.status_code == 422 and "已有填报" in _errors(response)["rule"]
    with pytest.raises(ValidationError):
        services.rule_create(
            acting_user=chain.province,
            form=form,
            left="served",
            operator="ge",
            right="women",
            name="新规则",
        )
    assert form.elements.count() == 4 and form.rules.count() == 1
    # The settings still change (停用 included).
    response = client.patch(
        f"{API}/forms/{form.pk}", {"is_active": False}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["is_active"] is False

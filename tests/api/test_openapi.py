"""The API document states what the API accepts and answers (issue #10, "Input validation"):
unique schema names, bounded pagination on every list, bounded and clean strings, enums, date
windows, and the error answers of every operation — checked on the served document, so a new
operation that forgets one fails here."""

from __future__ import annotations

import pytest
from ninja import Router, Schema

from shegong.api import api
from shegong.core.api_schema import MAX_PAGE, MAX_PAGE_SIZE, ShegongAPI
from shegong.core.validation import NO_CONTROL_CHARACTERS_PATTERN

ERROR_REF = "#/components/schemas/Errors"


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema(path_prefix="/api/v1/")


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def resolve(document, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def leaves(document, schema: dict, where: str, seen=()):
    """(where, schema) for every non-object, non-array schema reachable from `schema`."""
    schema = resolve(document, schema)
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            yield from leaves(document, option, where, seen)
    elif schema.get("type") == "object" or "properties" in schema:
        for name, sub in schema.get("properties", {}).items():
            yield from leaves(document, sub, f"{where}.{name}", seen)
        if isinstance(schema.get("additionalProperties"), dict):
            yield from leaves(document, schema["additionalProperties"], f"{where}[*]", seen)
        for sub in schema.get("patternProperties", {}).values():
            yield from leaves(document, sub, f"{where}[*]", seen)
        if "propertyNames" in schema:
            # pydantic states a key's pattern as the key of `patternProperties`
            key = {"type": "string", **schema["propertyNames"]}
            for pattern in schema.get("patternProperties", {}):
                key["pattern"] = pattern
            yield f"{where}[key]", key
    elif schema.get("type") == "array":
        yield where, schema
        yield from leaves(document, schema.get("items", {}), f"{where}[]", seen)
    else:
        yield where, schema


def inputs(document, operation):
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query":
            yield from leaves(document, parameter["schema"], f"?{parameter['name']}")
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        yield from leaves(document, body["schema"], "body")


def test_every_schema_has_a_name_of_its_own(document):
    assert document.duplicate_components == {}
    # The two `PlanOut`s of the finding are now two names, and the visit plans are documented
    # with the visit plan's fields.
    plans = document["paths"]["/api/v1/people/visit-plans"]["get"]["responses"][200]
    paged = resolve(document, plans["content"]["application/json"]["schema"])
    item = resolve(document, paged["properties"]["items"]["items"])
    assert "next_due_date" in item["properties"] and "equity_bound" not in item["properties"]


def test_a_shared_schema_name_is_caught():
    """The guard above is not blind: two different schemas called `Thing` are reported."""
    first, second = Router(), Router()

    class Thing(Schema):
        name: str

    @first.get("/a", response=list[Thing])
    def a(request):
        return []

    class Thing(Schema):  # noqa: F811 - the point of the test
        amount: int

    @second.get("/b", response=list[Thing])
    def b(request):
        return []

    probe = ShegongAPI(urls_namespace="probe-duplicates")
    probe.add_router("/first/", first)
    probe.add_router("/second/", second)
    assert "Thing" in probe.get_openapi_schema(path_prefix="/").duplicate_components


def test_every_operation_documents_its_error_answers(document):
    errors = resolve(document, {"$ref": ERROR_REF})
    assert errors["required"] == ["errors"]
    item = resolve(document, errors["properties"]["errors"]["items"])
    assert set(item["properties"]) == {"field", "reason"}
    for label, operation in operations(document):
        expected = {400, 403, 404, 422} | ({401} if operation.get("security") else set())
        for status in expected:
            response = operation["responses"].get(status)
            assert response, f"{label} does not document {status}"
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": ERROR_REF}, f"{label} {status}"


def test_every_list_is_paginated_with_bounds_and_a_count(document):
    lists = 0
    for label, operation in operations(document):
        names = {p["name"]: p for p in operation.get("parameters", [])}
        if "page" not in names:
            continue
        lists += 1
        page = names["page"]["schema"]
        size = next(s for s in names["page_size"]["schema"]["anyOf"] if s.get("type") == "integer")
        assert (page["minimum"], page["maximum"]) == (1, MAX_PAGE), label
        assert (size["minimum"], size["maximum"]) == (1, MAX_PAGE_SIZE), label
        ok = operation["responses"][200]["content"]["application/json"]["schema"]
        # The total: exact by default, left out with count=false, estimated when asked for.
        assert names["count"]["schema"]["enum"] == ["true", "false", "estimate"], label
        assert set(resolve(document, ok)["properties"]) == {
            "items",
            "count",
            "count_estimated",
        }, label
    assert lists >= 17


def test_every_string_input_has_a_length_and_refuses_control_characters(document):
    problems = []
    strings = 0
    for label, operation in operations(document):
        for where, schema in inputs(document, operation):
            if schema.get("type") != "string" or "enum" in schema or "format" in schema:
                continue
            strings += 1
            if "maxLength" not in schema:
                problems.append(f"{label} {where}: no maxLength")
            pattern = schema.get("pattern", "")
            if pattern != NO_CONTROL_CHARACTERS_PATTERN and not pattern.startswith("^[0-9"):
                problems.append(f"{label} {where}: control characters not refused")
    assert strings > 100
    assert problems == []


def test_every_number_input_is_bounded(document):
    problems = []
    for label, operation in operations(document):
        for where, schema in inputs(document, operation):
            if schema.get("type") not in ("integer", "number"):
                continue
            if "minimum" not in schema or "maximum" not in schema:
                problems.append(f"{label} {where}")
    assert problems == []


def test_every_list_input_has_a_maximum_length(document):
    problems = []
    for label, operation in operations(document):
        for where, schema in inputs(document, operation):
            if schema.get("type") == "array" and "maxItems" not in schema:
                problems.append(f"{label} {where}")
    assert problems == []


def test_choices_are_enums_and_dates_carry_their_window(document):
    schemas = document["components"]["schemas"]
    plan = schemas["PlanIn"]["properties"]
    assert plan["source"]["enum"] == ["central", "provincial", "local", "charity", "other"]
    assert (plan["period"]["minimum"], plan["period"]["maximum"]) == (2000, 2100)
    donation = schemas["DonationIn"]["properties"]["received_on"]
    assert donation["format"] == "date" and donation["x-earliest"] == "2000-01-01"
    assert donation["x-latest"] == "today"
    visit = schemas["VisitIn"]["properties"]
    assert visit["visited_on"]["x-latest"] == "today"
    assert visit["mode"]["enum"] == ["home", "phone", "video"]
    activity = schemas["ActivityIn"]["properties"]["starts_at"]
    assert activity["x-latest"].startswith("today + ")
    resident = schemas["ResidentIn"]["properties"]["birth_date"]["anyOf"][0]
    assert resident["x-earliest"] == "1900-01-01"

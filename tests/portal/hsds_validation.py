"""Validate responses against the published HSDS 3.0 OpenAPI description and JSON schemas."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent / "hsds_schema"
BASE = "https://hsds.test/schema/"
REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


@lru_cache(maxsize=1)
def registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text())
        resources.append((BASE + path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=1)
def openapi() -> dict:
    return json.loads((SCHEMA_DIR / "openapi.json").read_text())


def _localise(node):
    """Point the OpenAPI's URLs of compiled schemas at the shipped per-object schemas."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REMOTE):
                name = value.rsplit("/", 1)[-1].replace("_list.json", ".json")
                out[key] = BASE + name
            elif key == "$ref" and value == "#/components/schemas/Page":
                out.update(openapi()["components"]["schemas"]["Page"])
            else:
                out[key] = _localise(value)
        return out
    if isinstance(node, list):
        return [_localise(v) for v in node]
    return node


def response_schema(path: str) -> dict:
    op = openapi()["paths"][path]["get"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    return _localise(schema)


def errors_for(path: str, instance) -> list[str]:
    validator = Draft202012Validator(
        response_schema(path), registry=registry(), format_checker=FormatChecker()
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def object_errors(name: str, instance) -> list[str]:
    validator = Draft202012Validator(
        {"$ref": BASE + name}, registry=registry(), format_checker=FormatChecker()
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]

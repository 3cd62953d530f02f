"""Views, public pages and API routes read through selectors (which start from `visible_to`) and
write through services: never through a model manager. A query written in a view is where a
jurisdiction check gets forgotten.

The check reads the syntax tree of every module that defines a page or an API route — found by
what it contains (access decorators, route decorators, a router), not by its file name — so a
view module called `public.py` or `open311.py` is checked like `views.py`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import shegong

ROOT = Path(shegong.__file__).parent

# Decorators that make a function a page or an API operation.
VIEW_DECORATORS = {"public", "scoped", "login_only", "require_POST", "require_GET"}
ROUTE_METHODS = {"get", "post", "put", "patch", "delete", "api_operation"}
# Shortcuts that query a model (or a queryset) outside the selectors.
FORBIDDEN_CALLS = {
    "get_object_or_404",
    "get_list_or_404",
    "in_bulk",
    "update_or_create",
    "get_or_create",
    "bulk_create",
    "bulk_update",
    "raw",
    "extra",
}
FORBIDDEN_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}


def _decorator_name(node: ast.expr) -> tuple[str, str]:
    """("router", "get") for @router.get(...), ("", "scoped") for @scoped("…")."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        owner = node.value.id if isinstance(node.value, ast.Name) else ""
        return owner, node.attr
    if isinstance(node, ast.Name):
        return "", node.id
    return "", ""


def defines_views(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                owner, name = _decorator_name(decorator)
                if name in VIEW_DECORATORS or (owner and name in ROUTE_METHODS):
                    return True
        if isinstance(node, ast.ClassDef) and any(
            _decorator_name(b)[1].endswith("View") for b in node.bases
        ):
            return True
    return False


def offences(source: str, filename: str = "<test>") -> list[str]:
    """Every place in a view module that reaches a model manager or a query shortcut."""
    tree = ast.parse(source, filename)
    if not defines_views(tree):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"{filename}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Call):
            _owner, name = _decorator_name(node)
            if name in FORBIDDEN_CALLS:
                found.append(f"{filename}:{node.lineno}: {name}()")
        elif isinstance(node, ast.ImportFrom) and node.module == "django.shortcuts":
            for alias in node.names:
                if alias.name in FORBIDDEN_CALLS:
                    found.append(f"{filename}:{node.lineno}: import {alias.name}")
    return found


def view_modules() -> list[Path]:
    modules = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        if defines_views(tree):
            modules.append(path)
    return modules


def test_view_modules_are_found_by_what_they_contain():
    names = {str(p.relative_to(ROOT)) for p in view_modules()}
    for expected in ("petitions/views.py", "petitions/public.py", "petitions/open311.py"):
        assert expected in names
    assert any(name.endswith("api.py") for name in names)
    assert len(names) > 15


def _found_by_module() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in view_modules():
        name = str(path.relative_to(ROOT))
        places = offences(path.read_text(encoding="utf-8"), name)
        if places:
            found[name] = places
    return found


def test_no_view_public_page_or_api_module_queries_a_model_manager():
    assert _found_by_module() == {}


BROKEN_EXAMPLES = {
    "a manager in a page": """
@scoped("people.view")
def resident_list(request):
    return Resident.objects.filter(name="x")
""",
    "get_object_or_404 in a public page": """
from django.shortcuts import get_object_or_404
@public
def track(request, number):
    return get_object_or_404(Matter, number=number)
""",
    "in_bulk in an API route": """
@router.get("/x")
@scoped("volunteers.view")
def x(request):
    return selectors.volunteers(fetched_by=request.user).in_bulk([1, 2])
""",
    "update_or_create in a view": """
@require_POST
@scoped("funds.edit")
def save(request):
    Population.objects_for(request).update_or_create(region="x")
""",
    "the default manager in a class-based view": """
class Detail(TemplateView):
    def get_context_data(self, **kw):
        return {"o": Organisation._default_manager.first()}
""",
}


@pytest.mark.parametrize("name", sorted(BROKEN_EXAMPLES))
def test_the_guard_catches_each_way_around_the_selectors(name):
    assert offences(BROKEN_EXAMPLES[name]) != []


def test_a_module_without_views_is_not_checked():
    assert offences("def helper():\n    return Resident.objects.count()\n") == []

"""Every read of a scoped model (one whose queryset is a `ScopedQuerySet`) goes through
`visible_to`/`in_subtree`, or is a declared exception with its reason (docs/decisions/0005):

- one query: `Model.objects.unscoped(reason="…")…`;
- a whole module that runs as the system over every row (demo seeding, operators' commands):
  a module-level `UNSCOPED_READS = "…"`;
- a model whose rows are all public reference data (the region tree): `public_reason` on its
  queryset class.

The guard reads the source (AST) of every module under src/shegong except migrations, finds each
`Model.objects…` / `Model._default_manager…` chain of a scoped model, and fails on one that is
neither scoped nor declared. `test_list_of_declared_exceptions` prints the whole list (run with
`-s` to read it)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps

import shegong
from shegong.core.scoping import ScopedQuerySet

SRC = Path(shegong.__file__).parent
MANAGERS = {"objects", "_default_manager"}
# `touching(prefix)`: journal entries with a line inside a subtree (either side of a transfer).
SCOPING_METHODS = {"visible_to", "in_subtree", "touching"}
DECLARATION = "unscoped"
MODULE_DECLARATION = "UNSCOPED_READS"
# A chain that starts with one of these only writes: it reads no row of anybody.
WRITE_ONLY = {"create", "bulk_create", "bulk_update", "none"}
# Functions that apply `visible_to` to the queryset they are given.
SCOPING_HELPERS = {"get_visible_or_404"}


@cache
def scoped_models() -> dict[str, str]:
    """`{"module.Class": public_reason}` for every model whose default queryset is scoped."""
    found = {}
    for model in apps.get_models():
        queryset = model._default_manager.get_queryset()
        if isinstance(queryset, ScopedQuerySet):
            found[f"{model.__module__}.{model.__name__}"] = type(queryset).public_reason
    return found


@dataclass(frozen=True)
class Read:
    where: str  # path:line
    model: str
    declared: str  # "query", "module", "model" or "" (undeclared)
    reason: str
    code: str


def _module_name(path: Path) -> str:
    relative = path.relative_to(SRC.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _aliases(tree: ast.Module, module: str, is_package: bool) -> dict[str, str]:
    """Local name → dotted path, from the module's imports and its own classes."""
    package = module if is_package else module.rpartition(".")[0]
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    names[alias.name.split(".")[0]] = alias.name.split(".")[0]
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names[node.name] = f"{module}.{node.name}"
    return names


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str:
    if isinstance(node, ast.Name):
        return aliases.get(node.id, "")
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, aliases)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level string constants (a reason shared by several declarations)."""
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def _module_declaration(tree: ast.Module) -> str:
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        for target in targets:
            if isinstance(target, ast.Name) and target.id == MODULE_DECLARATION:
                value = node.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    return value.value.strip()
    return ""


def reads_in(source: str, *, module: str, where: str, is_package: bool = False) -> list[Read]:
    """Every chain on a scoped model's manager in `source`, and how it is scoped or declared."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child._parent = node  # type: ignore[attr-defined]
    aliases = _aliases(tree, module, is_package)
    module_reason = _module_declaration(tree)
    constants = _constants(tree)
    models = scoped_models()
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGERS):
            continue
        model = _dotted(node.value, aliases)
        if model not in models:
            continue
        methods, calls, top = [], {}, node
        while True:
            parent = getattr(top, "_parent", None)
            if isinstance(parent, ast.Attribute) and parent.value is top:
                methods.append(parent.attr)
            elif isinstance(parent, ast.Call) and parent.func is top:
                if methods:
                    calls.setdefault(methods[-1], parent)
            else:
                break
            top = parent
        here = f"{where}:{node.lineno}"
        code = lines[node.lineno - 1].strip()
        short = model.rpartition(".")[2]
        holder = getattr(top, "_parent", None)
        if SCOPING_METHODS & set(methods):
            continue
        if DECLARATION in calls:
            reason = ""
            for keyword in calls[DECLARATION].keywords:
                value = keyword.value
                if keyword.arg != "reason":
                    continue
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    reason = value.value.strip()
                elif isinstance(value, ast.Name):
                    reason = constants.get(value.id, "").strip()
            found.append(Read(here, short, "query" if reason else "", reason, code))
        elif methods and methods[0] in WRITE_ONLY:
            continue
        elif (
            isinstance(holder, ast.Call)
            and top in holder.args
            and isinstance(holder.func, ast.Name)
            and holder.func.id in SCOPING_HELPERS
        ):
            continue
        elif module_reason:
            found.append(Read(here, short, "module", module_reason, code))
        elif models[model]:
            found.append(Read(here, short, "model", models[model], code))
        else:
            found.append(Read(here, short, "", "", code))
    return found


def source_modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


@cache
def all_reads() -> tuple[Read, ...]:
    reads = []
    for path in source_modules():
        reads += reads_in(
            path.read_text(encoding="utf-8"),
            module=_module_name(path),
            where=str(path.relative_to(SRC)),
            is_package=path.name == "__init__.py",
        )
    return tuple(reads)


# ---- the guard ---------------------------------------------------------------------------------


def test_every_read_of_a_scoped_model_is_scoped_or_declared():
    undeclared = [f"{r.where}: {r.model}: {r.code}" for r in all_reads() if not r.declared]
    assert undeclared == [], (
        "Unscoped reads of scoped models: read through visible_to()/in_subtree() or declare "
        "Model.objects.unscoped(reason=…):\n" + "\n".join(undeclared)
    )


def test_the_guard_finds_scoped_models():
    models = scoped_models()
    assert "shegong.people.models.Resident" in models
    assert "shegong.petitions.models.Matter" in models
    assert models["shegong.regions.models.Region"], "the region tree is declared public"
    assert not models["shegong.people.models.Resident"]


def test_list_of_declared_exceptions(capsys):
    declared = sorted(
        (r for r in all_reads() if r.declared),
        key=lambda r: (r.where.split(":")[0], int(r.where.split(":")[1])),
    )
    assert declared, "the guard found no declared exception: is it reading the sources?"
    assert all(len(r.reason) >= 20 for r in declared), "a reason says why, in a sentence"
    with capsys.disabled():
        by_kind = {"query": [], "module": [], "model": []}
        for r in declared:
            by_kind[r.declared].append(r)
        print("\nDeclared unscoped reads of scoped models:")
        for r in by_kind["query"]:
            print(f"  {r.where}  {r.model}: {r.reason}")
        modules = sorted({(r.where.split(":")[0], r.reason) for r in by_kind["module"]})
        print("Modules that run as the system over every row:")
        for path, reason in modules:
            print(f"  {path}: {reason}")
        print("Public reference data:", sorted({r.model for r in by_kind["model"]}))


# ---- the guard itself fails where it should ----------------------------------------------------

BAD = """
from shegong.people.models import Resident
from shegong.petitions import models as pm


def leaky(phone):
    return list(Resident.objects.filter(phone=phone))


def also_leaky(number):
    return pm.Matter.objects.select_related("region").get(number=number)


def vague(phone):
    return Resident.objects.unscoped(reason="").filter(phone=phone)
"""

GOOD = """
from shegong.core.scoping import get_visible_or_404
from shegong.people.models import Resident
from shegong.regions.models import Region


def scoped(user, phone):
    return Resident.objects.visible_to(user).filter(phone=phone)


def subtree(prefix):
    return Resident.objects.filter(status="active").in_subtree(prefix).count()


def one(user, pk):
    return get_visible_or_404(Resident.objects.select_related("region"), user, pk=pk)


SWEEP = "The nightly sweep flags every overdue row in the country."


def swept():
    return Resident.objects.unscoped(reason=SWEEP).filter(status="active").count()


def declared(digest):
    return Resident.objects.unscoped(reason="ID numbers are unique in the whole country").filter(
        id_number_hash=digest
    ).exists()


def region(code):
    return Region.objects.filter(code=code).first()


def write(**fields):
    return Resident.objects.create(**fields)
"""


def test_the_guard_fails_on_an_undeclared_read():
    reads = reads_in(BAD, module="shegong.people.bad", where="people/bad.py")
    undeclared = [(r.where, r.model) for r in reads if not r.declared]
    assert undeclared == [
        ("people/bad.py:7", "Resident"),
        ("people/bad.py:11", "Matter"),
        ("people/bad.py:15", "Resident"),
    ]


def test_the_guard_accepts_scoped_and_declared_reads():
    reads = reads_in(GOOD, module="shegong.people.good", where="people/good.py")
    assert [r for r in reads if not r.declared] == []
    assert {(r.model, r.declared) for r in reads} == {("Resident", "query"), ("Region", "model")}


def test_a_module_declaration_covers_its_module():
    source = 'UNSCOPED_READS = "Seeds the demo data as the system, before any user exists."\n'
    source += BAD.replace('reason=""', 'reason="x"')
    reads = reads_in(source, module="shegong.people.demo", where="people/demo.py")
    assert {r.declared for r in reads} <= {"module", "query"}


def test_unscoped_needs_a_reason():
    from shegong.people.models import Resident

    with pytest.raises(ValueError):
        Resident.objects.unscoped(reason=" ")
    assert Resident.objects.unscoped(reason="a sweep over every row").model is Resident

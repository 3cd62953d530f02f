"""One name for who acts: `acting_user` (keyword-only) in every service, `fetched_by`
(keyword-only) in every selector. A newcomer who reads one service has read them all."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import shegong

ROOT = Path(shegong.__file__).parent

# Parameter names that have meant "the user doing this" somewhere in the code base.
ACTING_ALIASES = {"user", "by", "actor", "request_user", "acting", "current_user", "viewer"}
# Domain words that end in "_by" but name no user of the platform: who gave a consent (the
# resident or their guardian, a choice stored on the record).
NOT_THE_ACTING_USER = {"given_by"}


def _is_services(path: Path) -> bool:
    return path.name == "services.py" or path.parent.name == "services"


def _is_selectors(path: Path) -> bool:
    return path.name == "selectors.py" or path.parent.name == "selectors"


def _public_functions(tree: ast.Module):
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith(
            "_"
        ):
            yield node


def _annotated_as_user(arg: ast.arg) -> bool:
    return arg.annotation is not None and "User" in ast.unparse(arg.annotation)


def service_offences(source: str, filename: str = "<test>") -> list[str]:
    found = []
    for fn in _public_functions(ast.parse(source, filename)):
        for arg in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs:
            name = arg.arg
            acting = name in ACTING_ALIASES or name.endswith("_by") or name == "acting_user"
            if name in NOT_THE_ACTING_USER:
                continue
            if not acting:
                continue
            if name != "acting_user":
                found.append(f"{filename}:{fn.lineno} {fn.name}({name}=…): call it acting_user")
            elif arg not in fn.args.kwonlyargs:
                found.append(f"{filename}:{fn.lineno} {fn.name}: acting_user must be keyword-only")
    return found


def selector_offences(source: str, filename: str = "<test>") -> list[str]:
    found = []
    for fn in _public_functions(ast.parse(source, filename)):
        for arg in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs:
            name = arg.arg
            fetcher = name in ACTING_ALIASES or name == "fetched_by" or _annotated_as_user(arg)
            if not fetcher:
                continue
            if name != "fetched_by":
                found.append(f"{filename}:{fn.lineno} {fn.name}({name}=…): call it fetched_by")
            elif arg not in fn.args.kwonlyargs:
                found.append(f"{filename}:{fn.lineno} {fn.name}: fetched_by must be keyword-only")
    return found


def _modules(predicate) -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if predicate(p) and "migrations" not in p.parts)


def _where(offence: str) -> str:
    """ "people/services.py:12 resident_create(created_by=…)…" → "people/services.py resident_create"."""
    place, rest = offence.split(" ", 1)
    return f"{place.split(':')[0]} {rest.split('(')[0].split(':')[0]}"


# Functions still to be moved to the rule by the redesign (issue #11), app by app. The list only
# shrinks: a new function must follow the rule, and one that was moved must leave the list.
NOT_YET_MOVED: set[str] = set()


def test_every_service_calls_the_acting_user_acting_user():
    modules = _modules(_is_services)
    assert len(modules) > 8
    found = []
    for path in modules:
        found += service_offences(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert {_where(o) for o in found} - NOT_YET_MOVED == set(), found


def test_every_selector_calls_the_reader_fetched_by():
    modules = _modules(_is_selectors)
    assert len(modules) > 8
    found = []
    for path in modules:
        found += selector_offences(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert {_where(o) for o in found} - NOT_YET_MOVED == set(), found


def test_the_list_of_functions_not_yet_moved_only_shrinks():
    found = set()
    for path in _modules(_is_services):
        found |= {
            _where(o) for o in service_offences(path.read_text(), str(path.relative_to(ROOT)))
        }
    for path in _modules(_is_selectors):
        found |= {
            _where(o) for o in selector_offences(path.read_text(), str(path.relative_to(ROOT)))
        }
    assert NOT_YET_MOVED - found == set(), "moved to the rule: take them off NOT_YET_MOVED"


@pytest.mark.parametrize(
    "source",
    [
        "def case_open(*, resident, by): ...",
        "def matter_accept(*, matter, accepted_by): ...",
        "def plan_copy(plan, acting_user): ...",
        "def token_create(*, user, name): ...",
    ],
)
def test_the_service_rule_catches_other_names(source):
    assert service_offences(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "def case_list(user, q=''): ...",
        "def matter_list(fetched_by, q=''): ...",
        "def my_visits(*, worker: User): ...",
    ],
)
def test_the_selector_rule_catches_other_names(source):
    assert selector_offences(source) != []


def test_the_rules_accept_the_house_style():
    assert service_offences("def case_open(*, resident, acting_user): ...") == []
    assert selector_offences("def case_list(*, fetched_by, q=''): ...") == []

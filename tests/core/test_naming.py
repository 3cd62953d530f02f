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
NOT_YET_MOVED: set[str] = {
    "people/selectors.py hidden_history_fields",
    "privacy/selectors.py get_consent_for",
    "privacy/selectors.py may_record_consent",
    "volunteers/selectors.py get_application_for",
    "accounts/selectors.py audit_list",
    "privacy/services.py consent_record",
    "accounts/selectors.py get_user_for",
    "accounts/selectors.py home_figures",
    "accounts/selectors.py token_list",
    "accounts/services.py token_create",
    "accounts/services.py token_revoke",
    "cases/selectors.py cases_visible",
    "cases/selectors.py get_case_for",
    "cases/selectors.py home_figures",
    "cases/selectors.py may_act_on",
    "cases/selectors.py overdue_reviews",
    "cases/selectors.py overdue_tasks",
    "cases/selectors.py pending_reviews",
    "cases/services.py case_from_visit",
    "cases/services.py case_open",
    "cases/services.py case_transition",
    "cases/services.py case_update_notes",
    "cases/services.py goal_add",
    "cases/services.py record_add",
    "cases/services.py referral_create",
    "cases/services.py referral_respond",
    "cases/services.py review_decide",
    "cases/services.py review_request",
    "cases/services.py task_add",
    "cases/services.py task_done",
    "funds/selectors.py get_account_for",
    "funds/selectors.py get_donation_for",
    "funds/selectors.py get_entry_for",
    "funds/selectors.py get_pairing_for",
    "funds/selectors.py get_recipient_for",
    "funds/selectors.py home_figures",
    "funds/services.py appropriation_post",
    "funds/services.py donation_by_key",
    "funds/services.py donation_receive",
    "funds/services.py donation_use",
    "funds/services.py donor_create",
    "funds/services.py entry_post",
    "funds/services.py entry_reverse",
    "funds/services.py pairing_create",
    "funds/services.py pairing_transfer",
    "funds/services.py plan_compute",
    "funds/services.py plan_copy",
    "funds/services.py plan_create",
    "funds/services.py plan_update_inputs",
    "funds/services.py receipt_confirm",
    "funds/services.py spend_post",
    "funds/services.py transfer_post",
    "inbox/selectors.py get_notification_for",
    "inbox/selectors.py notification_list",
    "inbox/selectors.py unread_count",
    "inbox/services.py notification_open",
    "inbox/services.py notifications_read_all",
    "orgs/selectors.py get_organisation_for",
    "orgs/selectors.py home_figures",
    "orgs/services.py organisation_create",
    "orgs/services.py organisation_update",
    "orgs/services.py organisations_import",
    "orgs/services.py resolve_region",
    "people/selectors.py finding_for",
    "people/selectors.py get_resident_for",
    "people/selectors.py home_figures",
    "people/selectors.py may_see_sensitive",
    "people/selectors.py my_visit_plans",
    "people/selectors.py my_visits",
    "people/selectors.py residents_visible",
    "people/services.py adaptation_advance",
    "people/services.py assessment_create",
    "people/services.py assistance_create",
    "people/services.py cadence_set",
    "people/services.py member_add",
    "people/services.py plan_ensure",
    "people/services.py plan_record_event",
    "people/services.py resident_create",
    "people/services.py resident_merge",
    "people/services.py resident_set_categories",
    "people/services.py resident_update",
    "people/services.py residents_import",
    "people/services.py resolve_village",
    "people/services.py visit_record",
    "petitions/selectors.py home_figures",
    "regions/selectors.py breadcrumbs",
    "regions/selectors.py jurisdiction_root",
    "regions/selectors.py region_for",
    "volunteers/selectors.py get_activity_for",
    "volunteers/selectors.py get_record_for",
    "volunteers/selectors.py get_shift_for",
    "volunteers/selectors.py get_signup_for",
    "volunteers/selectors.py get_team_for",
    "volunteers/selectors.py get_volunteer_for",
    "volunteers/selectors.py volunteer_of",
    "volunteers/services.py activity_cancel",
    "volunteers/services.py activity_create",
    "volunteers/services.py activity_publish",
    "volunteers/services.py certificate_issue",
    "volunteers/services.py crypto_contains",
    "volunteers/services.py record_confirm",
    "volunteers/services.py record_correct",
    "volunteers/services.py record_set_rating",
    "volunteers/services.py records_import",
    "volunteers/services.py shift_add",
    "volunteers/services.py signup_check_in",
    "volunteers/services.py signup_check_out",
    "volunteers/services.py signup_create",
    "volunteers/services.py signup_decide",
    "volunteers/services.py signup_invite",
    "volunteers/services.py signup_withdraw",
    "volunteers/services.py team_add_member",
    "volunteers/services.py team_create",
    "volunteers/services.py team_member_leave",
    "volunteers/services.py team_set_leader",
    "volunteers/services.py volunteer_register",
    "volunteers/services.py volunteer_update",
    "volunteers/services.py volunteers_import",
    "workdays/services.py schedule_load",
}


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

"""Schema fuzzing in CI (issue #10, Done-when 4): schemathesis generates requests for every
operation of the served API document — valid ones and invalid ones — and sends them with county
users' tokens (and anonymously), on the demo data; the public HSDS API is fuzzed anonymously.

It fails on any server error (5xx) and on an answer that does not match the document: its status
must be documented, its content type and body must match the documented schema (every operation
documents its error answers, so a 422/404/403 is checked too).

Bounded and deterministic: a fixed number of examples per operation and mode, derandomised
Hypothesis (the same cases on every run), no shrinking (a failure is reported as generated, with
the server's exception), no example database. Requests go in-process through the full Django
stack (middleware, authentication, the ninja API) inside the test's transaction; each request
runs in a savepoint, rolled back if it failed, and its on-commit callbacks run as after a commit.
"""

from __future__ import annotations

import io
import json
import traceback
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import token_for

# Examples per operation and generation mode (valid data, invalid data). Enough to reach every
# cause of the 145 server errors the attack found; about a minute for the whole document.
EXAMPLES = 8
ANONYMOUS_EXAMPLES = 2
HSDS_EXAMPLES = 25
API_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
HSDS_DOCUMENT = Path(__file__).parents[2] / "src/shegong/portal/data/hsds-openapi.json"


# ---- the world the fuzzer meets ------------------------------------------------------------------


@pytest.fixture
def in_process_requests():
    """Requests handled in this thread must not close the test's connection (as Django's test
    client arranges for its own requests)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def server_errors():
    """The tracebacks of exceptions raised while handling requests, newest last."""
    seen: list[str] = []

    def record(sender, request=None, **kwargs):
        seen.append(traceback.format_exc(limit=-4))

    got_request_exception.connect(record)
    yield seen
    got_request_exception.disconnect(record)


def _county_users():
    """The demo's 天河区 department leader and one of its station's social workers."""
    from shegong.accounts.models import User

    users = []
    for username in ("tianhe_leader", "worker"):
        user = User.objects.get(username=username)
        user.active_membership = user.memberships.get()
        users.append(user)
    return users


def _known_ids(user) -> dict[str, list[int]]:
    """Ids the county can see, by the name the document gives them, so that generated requests
    reach real records and not only 404s."""
    from shegong.cases.models import Case
    from shegong.funds import models as funds
    from shegong.inbox.models import Notification
    from shegong.orgs.models import Organisation
    from shegong.people.models import Resident
    from shegong.petitions.models import Matter, Mediation
    from shegong.volunteers import models as volunteers

    def ids(queryset, limit=20):
        return list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])

    def visible(model):
        return ids(model.objects.visible_to(user))

    matters = Matter.objects.visible_to(user)
    return {
        "org_id": visible(Organisation),
        "organisation_id": visible(Organisation),
        "resident_id": visible(Resident),
        "case_id": visible(Case),
        "volunteer_id": visible(volunteers.Volunteer),
        "team_id": visible(volunteers.Team),
        "activity_id": visible(volunteers.Activity),
        "shift_id": visible(volunteers.Shift),
        "signup_id": visible(volunteers.SignUp),
        "record_id": visible(volunteers.ServiceRecord),
        "account_id": visible(funds.Account),
        "entry_id": visible(funds.JournalEntry),
        "plan_id": visible(funds.AllocationPlan),
        "recipient_id": visible(funds.PlanRecipient),
        "donation_id": visible(funds.Donation),
        "/matters/": ids(matters),
        "/mediations/": ids(Mediation.objects.filter(matter__in=matters)),
        "/inbox/": ids(Notification.objects.filter(recipient=user)),
        "user_id": [user.pk],
        "code": ["440106000000", "440106001000"],
    }


def _with_known_ids(value, known: dict, rnd, path: str):
    """Replace most generated ids by ids of real records (keys as named in the document; a
    bare `pk` is resolved by the path it appears in)."""
    if isinstance(value, list):
        return [_with_known_ids(v, known, rnd, path) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        name = key
        if key == "pk":
            name = next((p for p in ("/matters/", "/mediations/", "/inbox/") if p in path), key)
        choices = known.get(name)
        if choices and rnd.random() < 0.75:
            out[key] = rnd.choice(choices)
        else:
            out[key] = _with_known_ids(item, known, rnd, path)
    return out


# ---- running the cases ---------------------------------------------------------------------------


class Run:
    def __init__(self, capture_on_commit, server_errors):
        self.capture_on_commit = capture_on_commit
        self.server_errors = server_errors
        self.failures: list[str] = []
        self.sent = 0

    def send(self, case, *, headers: dict, checks: list):
        del self.server_errors[:]
        savepoint = transaction.savepoint()
        with self.capture_on_commit(execute=True):
            response = case.call(headers=headers)
        if response.status_code >= 500:
            transaction.savepoint_rollback(savepoint)
        else:
            transaction.savepoint_commit(savepoint)
        self.sent += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except FailureGroup as failed:
            self.failures.append(self.report(case, response, failed))

    def report(self, case, response, failed) -> str:
        body = None if case.body is NOT_SET else case.body
        request = {"path": case.path_parameters, "query": case.query, "body": body}
        lines = [
            f"{case.operation.label} → {response.status_code}",
            "  sent: " + json.dumps(request, ensure_ascii=False, default=str)[:600],
            *("  " + line for line in str(failed).splitlines()[:12]),
        ]
        if self.server_errors:
            lines.append("  server: " + self.server_errors[-1].strip().replace("\n", "\n    "))
        return "\n".join(lines)

    def fuzz(self, operation, *, examples: int, modes, headers_for, checks, prepare=None):
        for mode in modes:

            @settings(
                max_examples=examples,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
            )
            @given(case=operation.as_strategy(generation_mode=mode), rnd=st.randoms())
            def one(case, rnd):
                if prepare is not None:
                    prepare(case, rnd)
                self.send(case, headers=headers_for(rnd), checks=checks)

            try:
                one()
            except Unsatisfiable:
                # Nothing invalid can be expressed for this operation (e.g. no parameters).
                continue


def _load(schema):
    schema.config.generation.update(with_security_parameters=False, deterministic=True)
    return schema


@pytest.mark.django_db
def test_fuzzing_the_api_finds_no_server_error_and_no_undocumented_answer(
    in_process_requests, server_errors, django_capture_on_commit_callbacks
):
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    call_command("demo", stdout=io.StringIO())
    users = _county_users()
    tokens = [{"Authorization": f"Bearer {token_for(u)}"} for u in users]
    known = _known_ids(users[0])
    schema = _load(schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app))
    run = Run(django_capture_on_commit_callbacks, server_errors)

    def prepare(case, rnd):
        path = case.operation.path
        if isinstance(case.path_parameters, dict):
            case.path_parameters = _with_known_ids(case.path_parameters, known, rnd, path)
        if isinstance(case.body, dict):
            case.body = _with_known_ids(case.body, known, rnd, path)

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60
    for operation in operations:
        run.fuzz(
            operation,
            examples=EXAMPLES,
            modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
            headers_for=lambda rnd: rnd.choice(tokens),
            checks=API_CHECKS,
            prepare=prepare,
        )
        run.fuzz(
            operation,
            examples=ANONYMOUS_EXAMPLES,
            modes=(GenerationMode.POSITIVE,),
            headers_for=lambda rnd: {},
            checks=API_CHECKS,
        )
    assert run.sent > len(operations) * EXAMPLES
    assert not run.failures, f"{len(run.failures)} failing cases:\n\n" + "\n\n".join(
        run.failures[:30]
    )


def _hsds_document() -> dict:
    """The published HSDS 3.0 description without its response schemas (they point at the
    specification's site; the answers are validated against the shipped copies by
    tests/portal/test_hsds.py)."""
    document = json.loads(HSDS_DOCUMENT.read_text())
    for methods in document["paths"].values():
        for operation in methods.values():
            if isinstance(operation, dict) and "responses" in operation:
                for response in operation["responses"].values():
                    response.pop("content", None)
    document["servers"] = [{"url": "/hsds"}]
    return document


@pytest.mark.django_db
def test_fuzzing_the_public_hsds_api_finds_no_server_error(
    in_process_requests, server_errors, django_capture_on_commit_callbacks
):
    from django.core.wsgi import get_wsgi_application

    call_command("demo", only=["orgs"], stdout=io.StringIO())
    schema = _load(schemathesis.openapi.from_dict(_hsds_document()))
    schema.app = get_wsgi_application()
    run = Run(django_capture_on_commit_callbacks, server_errors)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        run.fuzz(
            operation,
            examples=HSDS_EXAMPLES,
            modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
            headers_for=lambda rnd: {},
            checks=[not_a_server_error],
        )
    assert not run.failures, f"{len(run.failures)} failing cases:\n\n" + "\n\n".join(
        run.failures[:30]
    )

"""What the lifecycle test needs from each app: an object in a transition's source state.

tests/core/test_lifecycles.py takes every transition of every declared lifecycle through the
page route and the API route, and tries it as a user of another county and as a role without
the permission. It cannot invent an object in the right state, the user who may act on it, or
the input the transition's form needs: each app's tests say so in a `Builder`
(tests/lifecycles/<app>.py), listed in `BUILDERS` below by lifecycle key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Protocol

from shegong.core.workflow import Transition

# The county every scenario takes place in, and the county of the outsider.
HOME_COUNTY = "440106000000"  # 天河区
OTHER_COUNTY = "441881000000"  # 英德市


@dataclass
class Scenario:
    subject: Any  # the object, in a source state of the transition, inside HOME_COUNTY
    actor: Any  # a user whose role and relation allow the transition (active membership set)
    payload: dict[str, Any]  # what the transition's form needs (page POST and API JSON alike)
    # For a transition that keeps the state: a value the transition changes (read before and
    # after it, from the subject fetched again).
    effect: Callable[[Any], Any] | None = None


class Builder(Protocol):
    def scenario(self, transition: Transition, *, make_member: Callable[..., Any]) -> Scenario: ...


# lifecycle key → module under tests/lifecycles/ whose `BUILDER` builds its scenarios
MODULES: dict[str, str] = {
    "cases.case": "cases",
    "cases.review": "cases",
    "cases.referral": "cases",
    "funds.plan": "funds",
    "funds.receipt": "funds",
    "volunteers.activity": "volunteers",
    "volunteers.signup": "volunteers",
    "volunteers.record": "volunteers",
    "volunteers.application": "volunteers",
    "people.adaptation": "people",
    "petitions.matter": "petitions",
    "petitions.mediation": "petitions",
    "reporting.submission": "reporting",
    "workforce.external": "workforce",
    "careers.application": "careers",
    "directives.target": "directives",
    "contact.meeting": "contact",
    "contact.item": "contact",
    "emergency.event": "emergency",
    "brands.recognition": "brands",
    "practices.practice": "practices",
    "suggestions.suggestion": "suggestions",
}


def builder_for(key: str) -> Builder:
    return import_module(f"tests.lifecycles.{MODULES[key]}").BUILDER

"""Actions other apps offer on a visit finding (one click: a case, later a dispute).

An app registers a `FindingAction` from its AppConfig.ready(); the visit page shows a button per
action (a POST to `url(visit)`) and the records already made from the visit (`linked(visit)`).
Nothing here depends on which apps are installed: with none registered, visits simply show no
buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FindingAction:
    key: str
    label: str
    perm: str
    url: Callable[[Any], str]  # visit -> URL that takes a POST and creates the record
    linked: Callable[[Any, Any], list[tuple[str, str]]]  # (visit, user) -> [(label, url)]
    order: int = 100


finding_actions: list[FindingAction] = []


def register_finding_action(action: FindingAction) -> None:
    if not any(a.key == action.key for a in finding_actions):
        finding_actions.append(action)
        finding_actions.sort(key=lambda a: a.order)

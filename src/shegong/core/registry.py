"""Extension points other apps fill in from their AppConfig.ready().

- `home_figures`: selectors `(*, fetched_by) -> list[Figure]` shown as cards on the home page
  (`figures_for(user)` collects them).
- `region_counters`: `RegionCounter`s giving per-child-region counts on the region page.
- `demo_loaders`: callables `(*, stdout) -> None` run in order by `shegong demo`.
- `person_panels`: callables `(request, resident) -> dict | None` adding sections to a
  resident's page from other apps (disputes, volunteer help, ...).
- `reminder_sources`: callables `(today) -> Iterable[Reminder]`: what is due or overdue, for
  whom (deadlines of matters, overdue case tasks and reviews, overdue visits); the inbox turns
  them into notifications once a day.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Figure:
    label: str
    value: Any
    url: str = ""
    hint: str = ""
    order: int = 100


@dataclass
class RegionCounter:
    """Counts rows per child region: `count(low, high, child_prefix_length) -> {prefix: n}`."""

    key: str
    label: str
    count: Callable[[str, str, int], dict[str, int]]
    order: int = 100


@dataclass(frozen=True)
class Reminder:
    """One notification to be: `key` names the event, so it is sent to a recipient only once."""

    recipient_id: int
    region_code: str
    kind: str
    params: dict  # the values of the kind's message (see shegong.inbox.models.MESSAGES)
    url: str
    key: str


home_figures: list[Callable[[Any], list[Figure]]] = []
region_counters: list[RegionCounter] = []
demo_loaders: list[tuple[int, str, Callable[..., None]]] = []
person_panels: list[Callable[..., dict | None]] = []
reminder_sources: list[Callable[[Any], Any]] = []


def register_reminder_source(source: Callable[[Any], Any]) -> None:
    if source not in reminder_sources:
        reminder_sources.append(source)


def register_demo(order: int, name: str, loader: Callable[..., None]) -> None:
    if not any(existing == name for _, existing, _ in demo_loaders):
        demo_loaders.append((order, name, loader))
        demo_loaders.sort(key=lambda item: item[0])


def register_region_counter(counter: RegionCounter) -> None:
    if not any(c.key == counter.key for c in region_counters):
        region_counters.append(counter)
        region_counters.sort(key=lambda c: c.order)


def register_home_figures(provider: Callable[[Any], list[Figure]]) -> None:
    if provider not in home_figures:
        home_figures.append(provider)


def figures_for(user: Any) -> list[Figure]:
    """Every app's home-page figures for `user`, in display order."""
    found: list[Figure] = []
    for provider in home_figures:
        # Until every app's selector takes `fetched_by` (issue #11), a positional one is called
        # the old way.
        if "fetched_by" in inspect.signature(provider).parameters:
            found += provider(fetched_by=user)
        else:
            found += provider(user)
    return sorted(found, key=lambda f: f.order)


def register_person_panel(provider: Callable[..., dict | None]) -> None:
    if provider not in person_panels:
        person_panels.append(provider)

"""Extension points other apps fill in from their AppConfig.ready().

- `home_figures`: selectors `(*, fetched_by) -> list[Figure]` shown as cards on the home page
  (`figures_for(user)` collects them); each figure declares its kind (`core.figures.Kind`:
  count, hours, money/fen, percent, decimal, text), which says how it is written.
- `region_counters`: `RegionCounter`s giving per-child-region counts on the region page.
- `demo_loaders`: callables `(*, stdout) -> None` run in order by `shegong demo`.
- `person_panels`: callables `(request, resident) -> dict | None` adding sections to a
  resident's page from other apps (disputes, volunteer help, ...).
- `prefill_sources`: `PrefillSource`s — a figure of the platform's own data for a region subtree
  and a period (visits done, matters closed on time, volunteer hours…) that a periodic report
  (`reporting`) offers to pre-fill; every `RegionCounter` is one too (a stock, as counted now).
- `indicator_sources`: `IndicatorSource`s — a figure of a module's data for a period, per child
  region of a subtree, in one set-based query (`figures(low, high, child_len, start, end) ->
  {child prefix: number}`); the indicators app (`shegong.indicators`) builds its numerators and
  denominators from them. A pre-fill source is one figure for a whole subtree; an indicator source
  is the same idea split by child region, so that a table of children costs one query.
- `reminder_sources`: callables `(today) -> Iterable[Reminder]`: what is due or overdue, for
  whom (deadlines of matters, overdue case tasks and reviews, overdue visits); the inbox turns
  them into notifications once a day.
"""

from __future__ import annotations

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
    kind: str = "count"  # a `core.figures.Kind`: how the value is written

    def __post_init__(self) -> None:
        from shegong.core.figures import Kind

        self.kind = Kind(self.kind)  # an unknown kind fails where the figure is made


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


@dataclass
class PrefillSource:
    """A figure for a report: `value(prefix, start, end) -> number` over the region subtree
    `prefix` and the period [start, end]. The caller has checked the subtree against the reader."""

    key: str
    label: str
    value: Callable[[str, Any, Any], Any]


@dataclass(frozen=True)
class IndicatorSource:
    """Per child region of the subtree [low, high]: `figures(low, high, child_len, start, end)
    -> {child prefix: number}` for the period [start, end] (dates), in one GROUP BY; a region
    with nothing is left out. `stock` sources count what stands at the period's end (residents
    in a group, registered volunteers, stations); the others count what happened in the period.
    The caller has checked the subtree against the reader. Keys are identifiers (they are the
    names used in indicator expressions)."""

    key: str
    label: Any
    figures: Callable[[str, str, int, Any, Any], dict[str, Any]]
    kind: str = "count"  # a `core.figures.Kind`
    app: str = ""
    stock: bool = False
    # Counts what stands now whatever the period (no history is kept of it): counted once per
    # refresh run, not once per period.
    undated: bool = False


home_figures: list[Callable[[Any], list[Figure]]] = []
indicator_sources: dict[str, IndicatorSource] = {}
prefill_sources: list[PrefillSource] = []
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


def register_prefill_source(source: PrefillSource) -> None:
    if not any(s.key == source.key for s in prefill_sources):
        prefill_sources.append(source)


def prefill_source_all() -> dict[str, PrefillSource]:
    """Every pre-fill source by key: the registered ones, and each region counter as
    `counter:<key>` (its count for the whole subtree; a stock, not a flow of the period)."""
    from shegong.core.regioncode import code_range

    found = {s.key: s for s in prefill_sources}
    for counter in region_counters:

        def stock(prefix, start, end, counter=counter):
            low, high = code_range(prefix)
            return sum(counter.count(low, high, len(prefix)).values())

        found[f"counter:{counter.key}"] = PrefillSource(
            f"counter:{counter.key}", counter.label, stock
        )
    return found


def register_indicator_source(source: IndicatorSource) -> None:
    if not source.key.isidentifier():
        raise ValueError(f"an indicator source key must be an identifier: {source.key!r}")
    indicator_sources.setdefault(source.key, source)


def register_indicator_sources(sources) -> None:
    for source in sources:
        register_indicator_source(source)


def register_home_figures(provider: Callable[[Any], list[Figure]]) -> None:
    if provider not in home_figures:
        home_figures.append(provider)


def figures_for(user: Any) -> list[Figure]:
    """Every app's home-page figures for `user`, in display order."""
    found: list[Figure] = []
    for provider in home_figures:
        found += provider(fetched_by=user)
    return sorted(found, key=lambda f: f.order)


def register_person_panel(provider: Callable[..., dict | None]) -> None:
    if provider not in person_panels:
        person_panels.append(provider)


# ---- resident merge ----------------------------------------------------------------------------
# When two records of one resident are merged (people.services.resident_merge), each app that
# holds rows pointing at a resident moves its own rows, through its own code and with history,
# in `<app>/resident_merge.py`:
#
#     MODELS = ("cases.Case",)  # every model of the app with a foreign key to people.Resident
#
#     def resident_merged(*, keep, remove, acting_user) -> dict[str, int]:
#         ...  # move the rows of `remove` onto `keep`; return {model label: rows moved}
#
# The modules are found by `resident_merge_hooks()` (like core.workflow.collect), so an app
# needs no line in its AppConfig.


@dataclass(frozen=True)
class ResidentMergeHook:
    app: str
    models: tuple[str, ...]  # "app.Model" labels whose rows the hook moves
    move: Callable[..., dict[str, int]]


_resident_merge_hooks: list[ResidentMergeHook] = []
_resident_merge_found: list[bool] = []  # [True] once the apps' modules were looked for


def register_resident_merged(
    move: Callable[..., dict[str, int]], *, app: str, models: tuple[str, ...]
) -> None:
    if not any(h.app == app for h in _resident_merge_hooks):
        _resident_merge_hooks.append(ResidentMergeHook(app=app, models=tuple(models), move=move))


def resident_merge_hooks() -> list[ResidentMergeHook]:
    """Every app's `resident_merge` hook, found once in the installed apps' modules."""
    from importlib import import_module

    from django.apps import apps

    if _resident_merge_found:
        return list(_resident_merge_hooks)
    _resident_merge_found.append(True)
    for config in apps.get_app_configs():
        if not config.name.startswith("shegong.") or any(
            h.app == config.label for h in _resident_merge_hooks
        ):
            continue
        try:
            module = import_module(f"{config.name}.resident_merge")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.resident_merge":
                raise
            continue
        register_resident_merged(module.resident_merged, app=config.label, models=module.MODELS)
    return list(_resident_merge_hooks)

"""Dated obligations: every date something is due by, on the one working-day calendar.

A dated obligation is a date field computed as "a period counted from a start date" (the
handling deadline of a matter, the objection window of an assignment, the mediation period,
the court-confirmation window of an agreement, ...). Each is declared once, here, as data:

    register(DatedObligation(
        key="mediation", model="petitions.Mediation", start="started_on",
        due="due_date", provisional="due_provisional",
        period=lambda: deadlines.setting("mediation"),
        open=Q(outcome="pending"), reason="…"))

- `period(*terms)` gives `(days, rule)`; `terms` names the row's fields it depends on (none for
  a period fixed by a setting or by law, `("due_days", "due_rule")` for a period stored on the
  row, `("urgency",)` for a period chosen by the urgency of the row).
- `obligation_set(instance, key, start)` computes the due date on save (the caller saves);
  `obligation_due(key, start, ...)` gives the `Deadline` (due, provisional) without an instance.
- A due date that depends on a year whose holiday schedule is not loaded is provisional
  (`WorkCalendar.add`); when a schedule is loaded (`signals.schedule_loaded`)
  `recompute_provisional_all(calendar)` recomputes every provisional date of every registered
  obligation, set-based: one query reads the distinct (start, *terms) combinations, the
  calendar computes each once, and one `UPDATE … CASE` per 500 combinations writes them. The
  number of queries does not depend on the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import BooleanField, Case, DateField, Q, Value, When

from shegong.workdays.calendar import Deadline, WorkCalendar, current

CHUNK = 500


@dataclass(frozen=True)
class DatedObligation:
    key: str
    model: str  # "app_label.ModelName"
    start: str  # the field the period is counted from
    due: str  # the field holding the due date
    provisional: str  # the field saying the due date is provisional
    period: Callable[..., tuple[int, str]]  # (*values of `terms`) -> (days, rule)
    terms: tuple[str, ...] = ()
    open: Q | None = None  # only these rows are still running (None: all rows)
    reason: str = ""  # why the recomputation reads every row (for a scoped model)
    after: Callable[[], Any] | None = None  # run after a recomputation (e.g. clear "overdue")
    label: str = field(default="", compare=False)

    def model_class(self):
        return apps.get_model(self.model)

    def rows(self):
        """Every row of the model, as the system (a declared unscoped read for scoped models)."""
        manager = self.model_class()._default_manager
        qs = manager.unscoped(reason=self.reason) if hasattr(manager, "unscoped") else manager.all()
        return qs.filter(self.open) if self.open is not None else qs


_registry: dict[str, DatedObligation] = {}


def register(obligation: DatedObligation) -> DatedObligation:
    """Declare a dated obligation (from an AppConfig.ready()); re-registering replaces it."""
    _registry[obligation.key] = obligation
    return obligation


def registered() -> list[DatedObligation]:
    return list(_registry.values())


def get(key: str) -> DatedObligation:
    return _registry[key]


def obligation_due(
    key: str, start: date, *terms: Any, calendar: WorkCalendar | None = None
) -> Deadline:
    """The due date (and whether it is provisional) of obligation `key` started on `start`."""
    days, rule = get(key).period(*terms)
    return (calendar or current()).add(start, days, rule)


def obligation_set(
    instance, key: str, start: date | None = None, *, calendar: WorkCalendar | None = None
) -> Deadline | None:
    """Set the start (if given), the due date and its provisional flag of `instance` for
    obligation `key`; the caller saves. No start: no due date (and not provisional)."""
    obligation = get(key)
    if start is not None:
        setattr(instance, obligation.start, start)
    start = getattr(instance, obligation.start)
    if start is None:
        setattr(instance, obligation.due, None)
        setattr(instance, obligation.provisional, False)
        return None
    terms = [getattr(instance, name) for name in obligation.terms]
    result = obligation_due(key, start, *terms, calendar=calendar)
    setattr(instance, obligation.due, result.due)
    setattr(instance, obligation.provisional, result.provisional)
    return result


def fields_of(key: str) -> list[str]:
    """The fields `obligation_set` writes (for `save(update_fields=…)`)."""
    obligation = get(key)
    return [obligation.start, obligation.due, obligation.provisional]


def recompute(obligation: DatedObligation, calendar: WorkCalendar) -> int:
    """Recompute the provisional due dates of one obligation (set-based); rows changed."""
    base = obligation.rows().filter(**{obligation.provisional: True})
    columns = [obligation.start, *obligation.terms]
    combos = list(base.values_list(*columns).distinct().order_by())
    periods: dict[tuple, tuple[int, str]] = {}
    changed = 0
    for i in range(0, len(combos), CHUNK):
        due_whens, prov_whens, cond = [], [], Q()
        for combo in combos[i : i + CHUNK]:
            start, terms = combo[0], tuple(combo[1:])
            if start is None:
                continue
            if terms not in periods:
                periods[terms] = obligation.period(*terms)
            days, rule = periods[terms]
            result = calendar.add(start, days, rule)
            match = Q(**dict(zip(columns, combo, strict=True)))
            due_whens.append(When(match, then=Value(result.due)))
            prov_whens.append(When(match, then=Value(result.provisional)))
            cond |= match
        if not due_whens:
            continue
        changed += base.filter(cond).update(
            **{
                obligation.due: Case(*due_whens, output_field=DateField()),
                obligation.provisional: Case(
                    *prov_whens, default=Value(True), output_field=BooleanField()
                ),
            }
        )
    if obligation.after is not None:
        obligation.after()
    return changed


def recompute_provisional_all(calendar: WorkCalendar | None = None) -> dict[str, int]:
    """Recompute every registered obligation's provisional due dates: `{key: rows changed}`."""
    calendar = calendar or WorkCalendar.load()
    return {o.key: recompute(o, calendar) for o in registered()}


def on_schedule_loaded(sender, *, year, calendar, **kwargs) -> None:
    recompute_provisional_all(calendar)

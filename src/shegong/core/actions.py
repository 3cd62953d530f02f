"""One action path for HTML views: run a service call and turn its refusal into form errors or a
message, the same way on every page.

    outcome = attempt(request, lambda: services.case_open(...), form=form, success=_("已开案"))
    if outcome:
        return redirect(outcome.value)

A refusal (`ApplicationError`, `ValidationError`) is put next to the form field it concerns, or
shown as an error message when there is no form. `PermissionDenied` and `Http404` are not
refusals of input: they pass through to the 403/404 pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError

from shegong.core.errors import ApplicationError, apply_to_form, error_items

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    ok: bool
    value: T | None = None
    errors: list[dict[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok


def attempt(
    request: Any,
    call: Callable[[], T],
    *,
    form: Any = None,
    fields: dict[str, str] | None = None,
    success: str | Callable[[T], str] | None = None,
) -> Outcome[T]:
    """Run `call`; on a refusal, explain it on `form` (or as a message) and return a failed
    outcome; on success, flash `success` (a text, or a function of the result). `fields` maps a
    service's field name to the form field that shows its error, where the two differ."""
    try:
        value = call()
    except (ApplicationError, ValidationError) as exc:
        if form is not None:
            apply_to_form(form, exc, fields=fields)
        else:
            for item in error_items(exc):
                messages.error(request, item["reason"])
        return Outcome(ok=False, errors=error_items(exc))
    if success is not None:
        messages.success(request, success(value) if callable(success) else success)
    return Outcome(ok=True, value=value)

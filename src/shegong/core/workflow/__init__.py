"""Lifecycles declared once: states, transitions, who may take them, the form, the service.

Every lifecycle in the product (a matter, a case, an allocation plan, a volunteer activity…) is
one `Lifecycle` in its app's `workflow.py`, registered when the app is ready. From the
declaration come:

- the buttons and forms on the object's page: `{% workflow_actions "petitions.matter" matter %}`
  renders every transition the user may take now, in declaration order;
- one page route per object type: `POST …/<pk>/actions/<action>/` (`core.workflow.views`);
- one API route per object type: `POST /api/v1/…/{pk}/actions/{action}` (`core.workflow.api`);
- the test that proves each transition is reachable from both and refused to a user without
  the permission or outside the jurisdiction (tests/core/test_lifecycles.py).

A transition is performed by its service, called as
`service(<object_arg>=obj, acting_user=user, **inputs)`, where the inputs are the cleaned data of
the transition's form (the same form parses the page's POST and the API's JSON body). The
service checks and writes everything (state, status-change row, audit, notifications); this
module checks first that the user's role grants the permission, that the user stands in the
required relation to the object (`actor`), and that the object is in a source state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shegong.core.errors import ApplicationError, NotPermitted
from shegong.core.permissions import has_perm

ANY_STATE = ("*",)


@dataclass(frozen=True)
class Transition:
    """One move of a lifecycle (or one act inside a state, when `target` is None)."""

    name: str  # the URL segment and API value: "accept"
    label: str  # what the action is called: 受理
    sources: tuple[str, ...]  # the states it may start from (ANY_STATE: every state)
    target: str | None  # the state it ends in; None: the state does not change
    perm: str  # the role permission it needs (core.permissions)
    service: str  # dotted path of the service that performs it
    form: str | None = None  # dotted path of the form that parses its inputs
    actor: str | None = None  # the relation to the object it needs ("handler", "self", …)
    records: str = ""  # the row it writes ("petitions.Event"): what the history will show
    button: str = ""  # the button's words (default: the label)
    style: str = "primary"  # primary, secondary, danger, warning, success
    help: str = ""  # a line shown with the form (a statutory rule, a deadline)
    offered: bool = True  # False: the system takes it (never a button or a route)
    inputs: Callable[..., dict[str, Any]] | None = None  # (cleaned_data, obj) → service kwargs
    done: str | Callable[[Any], str] = ""  # the message afterwards (text, or of the result)
    next_url: Callable[[Any, Any], str] | None = None  # (result, obj) → where to go afterwards

    @property
    def button_label(self) -> str:
        return str(self.button or self.label)

    def starts_from(self, state: str) -> bool:
        return self.sources == ANY_STATE or state in self.sources

    @cached_property
    def form_class(self) -> type | None:
        return import_string(self.form) if self.form else None

    @cached_property
    def service_function(self) -> Callable[..., Any]:
        return import_string(self.service)


@dataclass
class Lifecycle:
    """The states of one kind of object and the transitions between them."""

    key: str  # "petitions.matter"
    label: str  # 信访事项
    model: str  # "petitions.Matter"
    states: type[models.TextChoices]
    transitions: tuple[Transition, ...]
    object_arg: str  # the services' keyword for the object: "matter"
    fetch: str  # dotted path of the selector `(fetched_by=, pk=)` → object (404 outside)
    view_perm: str  # who may open the object at all
    state_field: str = "status"
    url_name: str = ""  # "petitions:action": the page route (core.workflow.views.urls)
    actors: str | None = None  # dotted path: (obj, user) → the relations the user stands in
    hints: str | None = None  # dotted path: (obj, user) → {transition name: text}
    by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name = {t.name: t for t in self.transitions}
        if len(self.by_name) != len(self.transitions):
            raise ValueError(f"{self.key}: two transitions share a name")
        states = set(self.states.values)
        for t in self.transitions:
            unknown = {s for s in (*t.sources, t.target) if s and s not in states} - {"*"}
            if unknown:
                raise ValueError(f"{self.key}.{t.name}: unknown states {sorted(unknown)}")

    # ---- reading the declaration ---------------------------------------------------------------

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def transition(self, name: str) -> Transition:
        found = self.by_name.get(name)
        if found is None or not found.offered:
            raise ApplicationError(_("没有这个操作：%(a)s") % {"a": name}, field="action")
        return found

    @property
    def offered_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.transitions if t.offered)

    def state_of(self, obj: Any) -> str:
        return getattr(obj, self.state_field)

    def fetch_for(self, user: Any, pk: Any) -> Any:
        return import_string(self.fetch)(fetched_by=user, pk=pk)

    def actors_of(self, obj: Any, user: Any) -> frozenset[str]:
        if self.actors is None:
            return frozenset()
        return frozenset(import_string(self.actors)(obj, user))

    def hints_for(self, obj: Any, user: Any) -> dict[str, str]:
        return dict(import_string(self.hints)(obj, user)) if self.hints else {}

    # ---- who may do what now -------------------------------------------------------------------

    def refusal(
        self, t: Transition, obj: Any, user: Any, actors: frozenset[str] | None = None
    ) -> Exception | None:
        """Why `user` may not take `t` on `obj` now (None: they may)."""
        if not has_perm(user, t.perm):
            return NotPermitted(t.perm)
        if t.actor is not None:
            if actors is None:
                actors = self.actors_of(obj, user)
            if t.actor not in actors:
                return NotPermitted(f"{t.perm} as {t.actor}")
        if not t.starts_from(self.state_of(obj)):
            return ApplicationError(
                _("当前状态（%(s)s）不能执行“%(a)s”。")
                % {"s": self.state_label(self.state_of(obj)), "a": t.label},
                field="action",
                code="state",
            )
        return None

    def available(self, obj: Any, user: Any) -> list[Transition]:
        """The transitions `user` may take on `obj` now, in declaration order."""
        actors = self.actors_of(obj, user) if self.actors else frozenset()
        return [
            t
            for t in self.transitions
            if t.offered and self.refusal(t, obj, user, actors=actors) is None
        ]

    def state_label(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return state

    # ---- doing it ------------------------------------------------------------------------------

    def form_for(
        self, t: Transition, obj: Any, user: Any, data: Any = None, files: Any = None
    ) -> Any:
        """The transition's form, bound to `data` when given (None: no input needed)."""
        if t.form_class is None:
            return None
        # Field names stay plain (the API's JSON keys are the same); ids are unique on a page
        # that shows several transitions' forms.
        kwargs: dict[str, Any] = {"acting_user": user, "subject": obj, "auto_id": f"{t.name}-%s"}
        if data is not None:
            return t.form_class(data, files, **kwargs)
        return t.form_class(**kwargs)

    def perform(
        self,
        name: str,
        *,
        obj: Any,
        acting_user: Any,
        data: Any = None,
        files: Any = None,
        form: Any = None,
    ) -> Any:
        """Check and take transition `name`: the one path of pages and API alike."""
        t = self.transition(name)
        refused = self.refusal(t, obj, acting_user)
        if refused is not None:
            raise refused
        inputs: dict[str, Any] = {}
        if t.form_class is not None:
            if form is None:
                form = self.form_for(t, obj, acting_user, data if data is not None else {}, files)
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            inputs = dict(form.cleaned_data)
            if t.inputs is not None:
                inputs = t.inputs(inputs, obj)
        return t.service_function(**{self.object_arg: obj}, acting_user=acting_user, **inputs)


# ---- the registry ------------------------------------------------------------------------------

_LIFECYCLES: dict[str, Lifecycle] = {}


def register(*lifecycles: Lifecycle) -> None:
    for lifecycle in lifecycles:
        _LIFECYCLES[lifecycle.key] = lifecycle


def lifecycle(key: str) -> Lifecycle:
    return _LIFECYCLES[key]


def all_lifecycles() -> Iterable[Lifecycle]:
    return list(_LIFECYCLES.values())


def collect() -> None:
    """Import every app's `workflow.py`, whose `LIFECYCLES` are then registered."""
    from importlib import import_module

    for config in apps.get_app_configs():
        if not config.name.startswith("shegong."):
            continue
        try:
            module = import_module(f"{config.name}.workflow")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.workflow":
                raise
            continue
        register(*getattr(module, "LIFECYCLES", ()))

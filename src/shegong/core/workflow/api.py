"""The one API route of every lifecycle: `POST <path>/{pk}/actions/{action}`.

The body is a JSON object with the fields of the transition's form (the same form parses the
page's POST), so the API takes every transition the pages take, with the same checks and the same
messages. The operation's description lists each action with its states, permission and fields.
"""

from typing import Any, Literal

from django import forms
from ninja import Body

from shegong.core.api_access import scoped
from shegong.core.api_schema import Id
from shegong.core.workflow import Lifecycle, Transition


def _field_line(name: str, field: forms.Field) -> str:
    kind = type(field).__name__.removesuffix("Field").lower() or "text"
    required = "required" if field.required else "optional"
    return f"`{name}` ({kind}, {required}): {field.label or name}"


def describe(lifecycle: Lifecycle) -> str:
    """Markdown: every action with its source → target states, permission and fields."""
    lines = [f"Take a transition of the {lifecycle.label} lifecycle. Actions:", ""]
    for t in lifecycle.transitions:
        if not t.offered:
            continue
        sources = "any" if t.sources == ("*",) else ", ".join(t.sources)
        target = t.target or "(unchanged)"
        lines.append(f"- **{t.name}** — {t.label}: {sources} → {target}; needs `{t.perm}`")
        form_class = t.form_class
        if form_class is not None:
            for name, field in form_class.base_fields.items():
                lines.append(f"    - {_field_line(name, field)}")
    return "\n".join(str(line) for line in lines)


_BODY = Body(None)


def action_route(router, lifecycle: Lifecycle, *, path: str, response: Any) -> None:
    """Add the lifecycle's action operation to `router` (e.g. path="/matters")."""
    names = lifecycle.offered_names
    Action = Literal[names]  # type: ignore[valid-type]

    @router.post(
        f"{path}/{{pk}}/actions/{{action}}",
        response=response,
        summary=f"Take an action on a {lifecycle.label}",
        description=describe(lifecycle),
        operation_id=f"{lifecycle.key.replace('.', '_')}_action",
    )
    @scoped(lifecycle.view_perm)
    def take_action(request, pk: Id, action: Action, payload: dict[str, Any] = _BODY):
        obj = lifecycle.fetch_for(request.user, pk)
        lifecycle.perform(action, obj=obj, acting_user=request.user, data=payload or {})
        return lifecycle.fetch_for(request.user, pk)

    take_action.__name__ = f"{lifecycle.key.replace('.', '_')}_action"


__all__ = ["Transition", "action_route", "describe"]

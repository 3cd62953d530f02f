"""The one loop that renders, on an object's page, every transition the user may take now, from
the declaration:

- `{% workflow_actions "petitions.matter" matter %}`: each transition's form and button (a side
  panel of actions);
- `{% workflow_buttons "funds.plan" plan %}`: a row of buttons; a transition whose form needs
  input opens its own page (core.workflow.views) instead of posting at once."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from shegong.core.workflow import lifecycle as get_lifecycle

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_actions(context, key: str, obj, only: str = "", empty: str = ""):
    """`only`: a comma-separated subset of transition names (a page that shows some of them in
    another place); `empty`: what to say when there is nothing to do."""
    request = context["request"]
    lifecycle = get_lifecycle(key)
    wanted = {name.strip() for name in only.split(",") if name.strip()}
    hints = lifecycle.hints_for(obj, request.user)
    items = [
        {
            "transition": t,
            "form": lifecycle.form_for(t, obj, request.user),
            "hint": hints.get(t.name, ""),
        }
        for t in lifecycle.available(obj, request.user)
        if not wanted or t.name in wanted
    ]
    return render_to_string(
        "core/workflow/actions.html",
        {
            "items": items,
            "lifecycle": lifecycle,
            "subject": obj,
            "empty": empty or _("当前没有可执行的操作。"),
        },
        request=request,
    )


@register.simple_tag(takes_context=True)
def workflow_buttons(context, key: str, obj):
    request = context["request"]
    lifecycle = get_lifecycle(key)
    items = []
    for t in lifecycle.available(obj, request.user):
        form_class = t.form_class
        needs_input = form_class is not None and any(
            field.required for field in form_class.base_fields.values()
        )
        items.append({"transition": t, "needs_input": needs_input})
    return render_to_string(
        "core/workflow/buttons.html",
        {"items": items, "lifecycle": lifecycle, "subject": obj},
        request=request,
    )

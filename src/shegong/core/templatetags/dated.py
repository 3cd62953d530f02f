"""The one way a due date is shown: `{% dated value provisional %}` renders the date and, when
the date is provisional (its year's holiday schedule is not loaded yet, see
workdays.obligations), a 暂定 mark saying it will be recomputed."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("core/partials/dated.html")
def dated(value, provisional=False, empty: str = "—"):
    return {"value": value, "provisional": bool(value) and bool(provisional), "empty": empty}

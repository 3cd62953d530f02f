"""`{{ value|figure:"hours" }}`: the one filter every template uses to show a figure (see
`shegong.core.figures` for the kinds)."""

from django import template

from shegong.core.figures import Kind, format_figure

register = template.Library()


@register.filter
def figure(value, kind: str = Kind.COUNT) -> str:
    return format_figure(value, kind or Kind.COUNT)

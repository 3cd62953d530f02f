from django import template
from django.utils.safestring import mark_safe

from shegong.core import shell

register = template.Library()


@register.simple_tag(takes_context=True)
def page_shell(context) -> str:
    """The top bar, identity bar and menu (see `shegong.core.shell`)."""
    token = context.get("csrf_token")
    html = shell.header_html(context["request"], str(token) if token else None)
    return mark_safe(html)  # noqa: S308 - rendered by a template

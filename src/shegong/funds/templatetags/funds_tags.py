from django import template

from shegong.funds.models import yuan as _yuan

register = template.Library()


@register.filter
def yuan(fen):
    """Fen → "12,345.67"."""
    return _yuan(fen)


@register.filter
def amt(value, plan):
    """A plan amount: yuan for money plans, a whole number of posts otherwise."""
    if value is None:
        return "—"
    return plan.fmt(value)


@register.filter
def plain_yuan(fen):
    """Fen → "12345.67" for form inputs (no thousands separators)."""
    if fen is None:
        return ""
    return _yuan(fen).replace(",", "")

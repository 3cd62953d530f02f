from django import template

from shegong.funds.models import yuan as _yuan

register = template.Library()

# Amounts shown on a page go through the one `figure` filter (`{{ fen|figure:"fen" }}`,
# `{{ amount|figure:plan.figure_kind }}`, shegong.core.figures); this is only for form inputs.


@register.filter
def plain_yuan(fen):
    """Fen → "12345.67" for form inputs (no thousands separators)."""
    if fen is None:
        return ""
    return _yuan(fen).replace(",", "")

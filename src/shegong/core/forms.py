"""The one form base: Tabler styling, the acting user, and region fields bound to a jurisdiction.

Every form of the product inherits `ShegongForm` (or `ShegongModelForm`). Pass the user whose
jurisdiction the form works in as `acting_user`; region fields (`regions.forms.RegionField`)
then resolve what is typed inside it. Business rules stay in services: a form parses input.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# A date box the browser fills with its own picker (ISO format both ways).
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def style_widgets(form: forms.BaseForm) -> None:
    """Tabler classes on every widget that has none yet (for a list of checkboxes, on each box)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.RadioSelect):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class _Bound:
    """What ShegongForm and ShegongModelForm share."""

    acting_user: Any = None

    def _bind(self, acting_user: Any) -> None:
        self.acting_user = acting_user
        for field in self.fields.values():
            bind = getattr(field, "bind_to_user", None)
            if bind is not None:
                bind(acting_user)
        style_widgets(self)


class ShegongForm(_Bound, forms.Form):
    """`acting_user`: whose jurisdiction the form works in; `subject`: the object an action's
    form acts on (a transition's form gets both from core.workflow)."""

    def __init__(
        self, *args: Any, acting_user: Any = None, subject: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self._bind(acting_user)


class ShegongModelForm(_Bound, forms.ModelForm):
    def __init__(
        self, *args: Any, acting_user: Any = None, subject: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self._bind(acting_user)


# The name the forms of people, cases and funds knew the base by (issue #11 made it one).
StyledForm = ShegongForm


class NoteForm(ShegongForm):
    """The input of a transition that needs only an optional remark."""

    note = forms.CharField(
        label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

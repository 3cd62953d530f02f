from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import ShegongForm
from shegong.reporting.models import ElementKind


class CommentForm(ShegongForm):
    """A return or a reopening needs its reason (退回意见 / 重新开放原因)."""

    note = forms.CharField(
        label=_("意见或原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ValuesForm(ShegongForm):
    """The fill grid: one field per data element, named by its code. Parsing and every rule live
    in the services (`reporting.rules`); this form only carries the text typed."""

    def __init__(self, *args, elements=(), locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for element in elements:
            if element.kind == ElementKind.CHOICE:
                field = forms.ChoiceField(
                    label=element.label,
                    required=False,
                    choices=[("", "—"), *[(c, c) for c in element.choice_list]],
                )
            else:
                field = forms.CharField(label=element.label, required=False, max_length=500)
                field.widget.attrs["inputmode"] = "text" if element.kind == "text" else "decimal"
            field.widget.attrs["data-code"] = element.code
            if locked:
                field.disabled = True
            self.fields[element.code] = field
        from shegong.core.forms import style_widgets

        style_widgets(self)


class ImportForm(ShegongForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    all_or_nothing = forms.BooleanField(
        label=_("任何一行有错则全部不导入"), required=False, initial=True
    )

"""Forms of model practices: they parse input; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.attachments import clean_attachment
from shegong.core.forms import DATE, ShegongForm
from shegong.practices.models import Adoption, Topic

FIGURE_ROWS = 3
_AREA = {"rows": 4}


class PracticeForm(ShegongForm):
    title = forms.CharField(label=_("做法名称"), max_length=200)
    topic = forms.ChoiceField(label=_("主题"), choices=Topic.choices)
    problem = forms.CharField(
        label=_("问题与背景"), max_length=10000, widget=forms.Textarea(attrs=_AREA)
    )
    actions = forms.CharField(
        label=_("主要做法"), max_length=20000, widget=forms.Textarea(attrs=_AREA)
    )
    results = forms.CharField(
        label=_("取得成效"), max_length=10000, widget=forms.Textarea(attrs=_AREA)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, FIGURE_ROWS + 1):
            self.fields[f"figure{n}_label"] = forms.CharField(
                label=_("成效数据%(n)s：指标") % {"n": n}, max_length=100, required=False
            )
            self.fields[f"figure{n}_value"] = forms.DecimalField(
                label=_("成效数据%(n)s：数值") % {"n": n},
                max_digits=14,
                decimal_places=2,
                required=False,
            )
            self.fields[f"figure{n}_unit"] = forms.CharField(
                label=_("成效数据%(n)s：单位") % {"n": n}, max_length=20, required=False
            )
        from shegong.core.forms import style_widgets

        style_widgets(self)

    def clean(self):
        data = super().clean()
        for n in range(1, FIGURE_ROWS + 1):
            if data.get(f"figure{n}_label") and data.get(f"figure{n}_value") is None:
                self.add_error(f"figure{n}_value", _("请填写数值。"))
        return data

    def service_inputs(self) -> dict:
        data = self.cleaned_data
        figures = [
            {
                "label": data.get(f"figure{n}_label", ""),
                "value": data.get(f"figure{n}_value"),
                "unit": data.get(f"figure{n}_unit", ""),
            }
            for n in range(1, FIGURE_ROWS + 1)
            if data.get(f"figure{n}_label")
        ]
        keys = ("title", "topic", "problem", "actions", "results")
        return {**{k: data[k] for k in keys}, "figures": figures}


class ReturnForm(ShegongForm):
    note = forms.CharField(
        label=_("退回意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AdoptionForm(ShegongForm):
    kind = forms.ChoiceField(label=_("应用方式"), choices=Adoption.Kind.choices)
    adopted_on = forms.DateField(label=_("应用日期"), widget=DATE)
    results = forms.CharField(
        label=_("应用成效"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("随做法公开，报送单位和各级可见。"),
    )
    private_notes = forms.CharField(
        label=_("内部备注"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("仅本单位及上级可见。"),
    )


class DocumentForm(ShegongForm):
    upload = forms.FileField(label=_("材料"))

    def clean_upload(self):
        return clean_attachment(self.cleaned_data.get("upload"))

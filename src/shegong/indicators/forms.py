"""The form of a department's own indicator: it parses input; the service validates the
expressions against the registered sources and names the problem."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import ShegongForm
from shegong.indicators.models import Direction, Factor, PeriodType


class IndicatorForm(ShegongForm):
    code = forms.CharField(label=_("代码"), max_length=60, help_text=_("字母、数字、下划线"))
    name_zh = forms.CharField(label=_("名称（中文）"), max_length=100)
    name_en = forms.CharField(label=_("名称（英文）"), max_length=150, required=False)
    definition = forms.CharField(label=_("定义"), widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(
        label=_("数据来源与依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    numerator = forms.CharField(
        label=_("分子"), max_length=500, help_text=_("数据来源代码、数字、+ - * / 和括号")
    )
    denominator = forms.CharField(
        label=_("分母"), max_length=500, required=False, help_text=_("留空表示计数指标")
    )
    factor = forms.TypedChoiceField(
        label=_("系数"), choices=Factor.choices, coerce=int, initial=Factor.PERCENT
    )
    period_types = forms.MultipleChoiceField(
        label=_("适用期间"),
        choices=PeriodType.choices,
        initial=PeriodType.values,
        widget=forms.CheckboxSelectMultiple,
    )
    direction = forms.ChoiceField(label=_("方向"), choices=Direction.choices)
    target = forms.DecimalField(label=_("目标值"), required=False, max_digits=12, decimal_places=2)
    red = forms.DecimalField(label=_("红灯阈值"), required=False, max_digits=12, decimal_places=2)
    amber = forms.DecimalField(label=_("黄灯阈值"), required=False, max_digits=12, decimal_places=2)


class SubscriptionForm(ShegongForm):
    """A department's subscription: its name, weekly or monthly, and the chosen indicators
    (those the user may read; the service checks them again and names a problem)."""

    name = forms.CharField(label=_("名称"), max_length=100)
    frequency = forms.ChoiceField(
        label=_("频率"),
        choices=[
            ("weekly", _("每周（上一周，每周第一个工作日）")),
            ("monthly", _("每月（上月，每月第一个工作日）")),
        ],
    )
    indicator_codes = forms.MultipleChoiceField(
        label=_("指标"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_codes"].choices = [(i.code, i.name) for i in indicators]

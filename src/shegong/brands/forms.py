"""The brand register's forms: they parse input; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.brands import selectors
from shegong.brands.models import Brand, Level
from shegong.core.forms import DATE, ShegongForm


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class BrandForm(ShegongForm):
    name = forms.CharField(label=_("品牌名称"), max_length=100)
    kind = forms.ChoiceField(label=_("品牌类别"), choices=Brand.Kind.choices)
    description = forms.CharField(
        label=_("品牌简介"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    started_on = forms.DateField(label=_("创建日期"), widget=DATE)
    target_groups = forms.ModelMultipleChoiceField(
        label=_("服务对象"), queryset=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = selectors.target_group_choices()


class BrandCreateForm(BrandForm):
    owner = _Named(label=_("主办单位"), queryset=None)

    field_order = ["name", "kind", "owner", "started_on", "target_groups", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.owner_choices(fetched_by=self.acting_user)


class LinkActivityForm(ShegongForm):
    activity = _Named(label=_("志愿服务活动"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = selectors.activity_choices(fetched_by=self.acting_user)


def _year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 1, this - 10, -1)]


class TargetForm(ShegongForm):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=_year_choices)
    reach = forms.IntegerField(label=_("服务人数目标"), min_value=0, max_value=10_000_000)
    hours = forms.DecimalField(
        label=_("服务时长目标（小时）"), min_value=0, max_value=10_000_000, decimal_places=1
    )
    satisfaction = forms.DecimalField(
        label=_("满意率目标"),
        min_value=0,
        max_value=1,
        decimal_places=3,
        help_text=_("0 至 1 之间，如 0.9（服务评价4分以上的记录所占比例）"),
    )


class EvaluateForm(ShegongForm):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=_year_choices)
    comment = forms.CharField(
        label=_("评估意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApplyForm(ShegongForm):
    level = forms.ChoiceField(label=_("认定等级"), choices=Level.choices)
    statement = forms.CharField(
        label=_("申报说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeclineForm(ShegongForm):
    note = forms.CharField(
        label=_("不予认定的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

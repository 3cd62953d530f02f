from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import ShegongForm
from shegong.reporting.models import DueRule, ElementKind, Operator, PeriodType


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


# ---- defining a form (the defining department's pages) -----------------------------------------

LEVEL_NAMES = {
    1: _("省级"),
    2: _("市级"),
    3: _("县级"),
    4: _("乡镇（街道）社工站"),
}


class ReportFormCreateForm(ShegongForm):
    """A new report form of the user's own unit; `levels`: the filling levels below it."""

    name = forms.CharField(label=_("报表名称"), max_length=200)
    period_type = forms.ChoiceField(label=_("报告期"), choices=PeriodType.choices)
    filling_level = forms.TypedChoiceField(label=_("填报层级"), coerce=int, choices=())
    due_days = forms.IntegerField(label=_("报送期限（天）"), min_value=1, max_value=60, initial=10)
    due_rule = forms.ChoiceField(label=_("期限计算"), choices=DueRule.choices)
    description = forms.CharField(
        label=_("填报说明"), required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(lv), LEVEL_NAMES[lv]) for lv in levels]
        self.fields["filling_level"].choices = choices
        if choices:
            self.fields["filling_level"].initial = choices[-1][0]


class ReportFormSettingsForm(ShegongForm):
    """What a form's department may change once it exists (not its period nor filling level)."""

    name = forms.CharField(label=_("报表名称"), max_length=200)
    due_days = forms.IntegerField(label=_("报送期限（天）"), min_value=1, max_value=60)
    due_rule = forms.ChoiceField(label=_("期限计算"), choices=DueRule.choices)
    description = forms.CharField(
        label=_("填报说明"), required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
    )


class ElementForm(ShegongForm):
    code = forms.CharField(
        label=_("指标代码"),
        max_length=40,
        help_text=_("字母、数字、下划线或连字符，如 served"),
    )
    label = forms.CharField(label=_("指标名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=ElementKind.choices)
    choices = forms.CharField(
        label=_("选项"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("选项型填写，每行一个选项"),
    )
    min_value = forms.DecimalField(
        label=_("最小值"), required=False, max_digits=16, decimal_places=4
    )
    max_value = forms.DecimalField(
        label=_("最大值"), required=False, max_digits=16, decimal_places=4
    )
    required = forms.BooleanField(label=_("必填"), required=False, initial=True)
    prefill = forms.ChoiceField(label=_("预填数据来源"), required=False, choices=())

    def __init__(self, *args, prefill_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefill"].choices = [("", _("（不预填）")), *prefill_choices]


class RuleForm(ShegongForm):
    name = forms.CharField(label=_("规则名称"), max_length=200)
    left = forms.ChoiceField(label=_("左项"), choices=())
    operator = forms.ChoiceField(label=_("关系"), choices=Operator.choices)
    right_codes = forms.CharField(
        label=_("右项（指标代码之和，以 + 连接）"),
        max_length=400,
        help_text=_("如 total 或 a+b+c"),
    )

    def __init__(self, *args, elements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left"].choices = [(e.code, f"{e.code} {e.label}") for e in elements]

from django import forms
from django.utils.translation import gettext_lazy as _


class ScheduleForm(forms.Form):
    year = forms.IntegerField(
        label=_("年份"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput({"class": "form-control"}),
    )
    notice = forms.CharField(
        label=_("依据文件"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            {"class": "form-control", "placeholder": _("如：国办发明电〔2026〕X号")}
        ),
    )
    holidays = forms.CharField(
        label=_("法定节假日（放假日期）"),
        widget=forms.Textarea({"class": "form-control", "rows": 8}),
        help_text=_("每行一项：日期或日期范围加名称，如 2027-10-01..2027-10-07 国庆节"),
    )
    workdays = forms.CharField(
        label=_("调休上班日"),
        required=False,
        widget=forms.Textarea({"class": "form-control", "rows": 4}),
        help_text=_("每行一项，如 2027-09-26 国庆节"),
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.cases.models import ServiceRecord
from shegong.cases.workflow import Source
from shegong.core.forms import DATE, ShegongForm, StyledForm


class CaseForm(StyledForm):
    title = forms.CharField(label=_("个案名称"), max_length=100)
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    problem = forms.CharField(label=_("主要问题"), widget=forms.Textarea(attrs={"rows": 3}))


class TransitionForm(StyledForm):
    to_status = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class TransitionNoteForm(ShegongForm):
    """The input of a case's move (core.workflow): an optional remark, which some moves need
    (the reason for closing or reopening, the assessment's result)."""

    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class NotesForm(StyledForm):
    assessment_note = forms.CharField(
        label=_("需求评估"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    plan_summary = forms.CharField(
        label=_("服务计划概述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evaluation_note = forms.CharField(
        label=_("成效评估"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class GoalForm(StyledForm):
    text = forms.CharField(label=_("服务目标"), max_length=200)


class TaskForm(StyledForm):
    title = forms.CharField(label=_("任务"), max_length=200)
    owner = forms.ModelChoiceField(label=_("负责人"), queryset=None)
    due_date = forms.DateField(label=_("截止日期"), widget=DATE)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class RecordForm(StyledForm):
    served_on = forms.DateField(label=_("服务日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("服务类型"), choices=ServiceRecord.Kind.choices)
    duration_minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=1, initial=60)
    content = forms.CharField(label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 2}))
    goods = forms.CharField(label=_("提供的服务或物资"), max_length=200, required=False)


class ReferralForm(StyledForm):
    to_organisation = forms.ModelChoiceField(label=_("接收机构"), queryset=None)
    reason = forms.CharField(label=_("转介原因"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations


class ReviewDecisionForm(ShegongForm):
    comment = forms.CharField(label=_("审核意见（退回时必填）"), max_length=300, required=False)


class RespondForm(StyledForm):
    reason = forms.CharField(label=_("说明（拒绝时必填）"), max_length=300, required=False)

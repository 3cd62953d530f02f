"""Forms of the careers app: they parse input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.careers.models import Grade, RecordKind
from shegong.core.forms import DATE, ShegongForm
from shegong.workforce.models import Education, QualificationLevel


class ScoreForm(ShegongForm):
    score = forms.IntegerField(label=_("评审得分"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=_("评审意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ObjectionForm(ShegongForm):
    objection = forms.CharField(
        label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RoundForm(ShegongForm):
    title = forms.CharField(label=_("评审名称"), max_length=200)
    level = forms.ChoiceField(label=_("评审等级"), choices=QualificationLevel.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    closes_on = forms.DateField(label=_("申报截止日期"), widget=DATE)
    min_education = forms.ChoiceField(label=_("最低学历"), choices=Education.choices)
    min_years = forms.IntegerField(label=_("从事社会工作最低年限"), min_value=0, max_value=40)
    exam_required = forms.BooleanField(label=_("须通过考试"), required=False, initial=True)
    exam_valid_years = forms.IntegerField(
        label=_("考试成绩有效期（年）"), min_value=1, max_value=10, initial=3
    )
    achievements_required = forms.BooleanField(
        label=_("须提交业绩成果"), required=False, initial=True
    )
    pass_score = forms.IntegerField(label=_("通过分数线"), min_value=0, max_value=100, initial=60)


class ApplicationForm(ShegongForm):
    worker = forms.TypedChoiceField(label=_("申报人"), coerce=int)
    years_in_social_work = forms.IntegerField(
        label=_("从事社会工作年限"), min_value=0, max_value=60
    )
    exam_passed_on = forms.DateField(label=_("考试通过日期"), required=False, widget=DATE)
    achievements = forms.CharField(
        label=_("业绩成果"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    statement = forms.CharField(
        label=_("个人述职"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [(w.pk, f"{w.name}（{w.employer.name}）") for w in workers]


class RunForm(ShegongForm):
    period = forms.CharField(label=_("考核期"), max_length=20)
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    end = forms.DateField(label=_("结束日期"), widget=DATE)


class ReviewForm(ShegongForm):
    supervisor_score = forms.IntegerField(label=_("督导评分"), min_value=0, max_value=100)
    training_hours = forms.IntegerField(label=_("培训学时"), min_value=0, max_value=2000)
    comment = forms.CharField(
        label=_("督导评语"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GradeForm(ShegongForm):
    grade = forms.ChoiceField(label=_("考核等次"), choices=Grade.choices)


class ConductForm(ShegongForm):
    kind = forms.ChoiceField(label=_("类别"), choices=RecordKind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    basis = forms.CharField(label=_("依据"), max_length=300)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)
    ends_on = forms.DateField(label=_("期满日期"), required=False, widget=DATE)
    issuer = forms.CharField(label=_("决定单位"), max_length=200)


class PayGuidanceForm(ShegongForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    monthly_yuan = forms.IntegerField(label=_("月薪指导价（元）"), min_value=1, max_value=1_000_000)
    document = forms.CharField(label=_("依据文件"), max_length=200, required=False)

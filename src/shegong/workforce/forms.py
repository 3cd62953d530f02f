"""The workforce's forms: they parse input; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DATE, ShegongForm
from shegong.workforce import selectors
from shegong.workforce.models import (
    Education,
    EmploymentType,
    QualificationLevel,
    TrainingKind,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        level = obj.get_highest_level_display() if obj.highest_level else _("未取得证书")
        return f"{obj.name}（{level}）"


class WorkerForm(ShegongForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18)
    employer = OrganisationChoice(label=_("工作单位"), queryset=None)
    education = forms.ChoiceField(label=_("学历"), choices=Education.choices)
    major = forms.CharField(label=_("专业"), max_length=100, required=False)
    social_work_major = forms.BooleanField(label=_("社会工作专业"), required=False)
    post = forms.CharField(label=_("岗位"), max_length=100, required=False)
    employment_type = forms.ChoiceField(
        label=_("用工性质"), choices=[("", "—"), *EmploymentType.choices], required=False
    )
    social_work_start_date = forms.DateField(label=_("从事社会工作起始时间"), widget=DATE)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    approved_supervisor = forms.BooleanField(label=_("经认定的督导"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = selectors.organisation_choices(
            fetched_by=self.acting_user
        )


class CertificateForm(ShegongForm):
    level = forms.ChoiceField(label=_("等级"), choices=QualificationLevel.choices)
    number = forms.CharField(label=_("证书编号"), max_length=50)
    issued_on = forms.DateField(label=_("取得日期"), widget=DATE)
    issuing_body = forms.CharField(label=_("发证机关"), max_length=100, required=False)


class RegistrationForm(ShegongForm):
    certificate = forms.ModelChoiceField(label=_("证书"), queryset=None, empty_label=None)
    registered_on = forms.DateField(label=_("登记日期"), widget=DATE)

    def __init__(self, *args, worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = selectors.worker_certificates(
            fetched_by=self.acting_user, worker=worker
        )


class ExternalForm(ShegongForm):
    title = forms.CharField(label=_("学习内容"), max_length=200)
    provider = forms.CharField(label=_("举办单位"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=TrainingKind.choices)
    completed_on = forms.DateField(label=_("完成日期"), widget=DATE)
    hours = forms.DecimalField(label=_("学时"), max_digits=5, decimal_places=1)
    evidence = forms.CharField(label=_("证明材料"), max_length=300)


class CourseForm(ShegongForm):
    title = forms.CharField(label=_("课程名称"), max_length=200)
    organiser = OrganisationChoice(label=_("主办单位"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=TrainingKind.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    hours = forms.DecimalField(label=_("学时"), max_digits=5, decimal_places=1)
    capacity = forms.IntegerField(label=_("名额"), min_value=1)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = selectors.organisation_choices(
            fetched_by=self.acting_user
        )


class EnrolForm(ShegongForm):
    worker = WorkerChoice(label=_("社会工作者"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = selectors.worker_list(fetched_by=self.acting_user)


class AttendForm(ShegongForm):
    attended = forms.TypedChoiceField(
        label=_("出勤"),
        choices=[("1", _("出勤")), ("0", _("缺席"))],
        coerce=lambda v: v == "1",
    )
    hours = forms.DecimalField(label=_("出勤学时"), max_digits=5, decimal_places=1, required=False)


class PairForm(ShegongForm):
    mentor = WorkerChoice(label=_("导师"), queryset=None)
    mentee = WorkerChoice(label=_("带教对象"), queryset=None)
    goals = forms.CharField(label=_("带教计划目标"), widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = selectors.mentor_choices(fetched_by=self.acting_user)
        self.fields["mentee"].queryset = selectors.worker_list(fetched_by=self.acting_user)


class VisitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.visited_on} {obj.resident.name}"


class SessionForm(ShegongForm):
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("类型"), choices=TrainingKind.choices)
    hours = forms.DecimalField(label=_("时长（小时）"), max_digits=4, decimal_places=1)
    topic = forms.CharField(label=_("主题"), max_length=200)
    visit = VisitChoice(label=_("关联探访（实务带教）"), queryset=None, required=False)
    notes = forms.CharField(label=_("记录"), widget=TEXTAREA, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from shegong.people.models import Visit

        # Any visit of the jurisdiction may be chosen (the list offers the latest 50).
        self.fields["visit"].queryset = Visit.objects.visible_to(self.acting_user).select_related(
            "resident"
        )
        self.fields["visit"].widget.choices = [("", "—")] + [
            (v.pk, f"{v.visited_on} {v.resident.name}")
            for v in selectors.visit_choices(fetched_by=self.acting_user)
        ]


class CloseForm(ShegongForm):
    evaluation = forms.CharField(label=_("结束评估"), widget=TEXTAREA)


class ImportForm(ShegongForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    all_or_nothing = forms.TypedChoiceField(
        label=_("有错误行时"),
        choices=[("1", _("全部不导入")), ("0", _("导入正确的行，列出错误的行"))],
        coerce=lambda v: v == "1",
        initial="1",
    )

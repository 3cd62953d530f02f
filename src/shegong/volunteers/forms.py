from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import ShegongForm
from shegong.regions.forms import RegionField
from shegong.volunteers.models import WEEKDAYS, PoliticalStatus, ServiceType, Skill, Team

INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class VolunteerForm(ShegongForm):
    """Registration of a volunteer (by an organisation, or by the person on the portal)."""

    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(INPUT))
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        widget=forms.TextInput({**INPUT, "autocomplete": "off", "inputmode": "text"}),
        help_text=_("仅用于身份核验与出具证明，加密保存，页面只显示部分号码。"),
    )
    phone = forms.CharField(
        label=_("手机号"), max_length=11, widget=forms.TextInput({**INPUT, "inputmode": "tel"})
    )
    region = RegionField(label=_("居住地（村/社区或街道区划代码）"))
    political_status = forms.ChoiceField(
        label=_("政治面貌"), choices=PoliticalStatus.choices, widget=forms.Select(SELECT)
    )
    skills = forms.MultipleChoiceField(
        label=_("技能特长"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.TypedMultipleChoiceField(
        label=_("可服务时间"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=_("语言"),
        max_length=100,
        required=False,
        initial="普通话",
        widget=forms.TextInput(INPUT),
    )
    consent_public = forms.BooleanField(
        label=_("同意在门户公开我的姓名（脱敏）和服务时长"), required=False
    )


class PublicRegistrationForm(VolunteerForm):
    region = forms.ChoiceField(label=_("居住的村（社区）"), widget=forms.Select(SELECT))
    username = forms.CharField(
        label=_("登录账号"),
        max_length=30,
        widget=forms.TextInput({**INPUT, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("登录密码"),
        min_length=8,
        widget=forms.PasswordInput({**INPUT, "autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意《志愿者个人信息使用说明》"),
        required=True,
        error_messages={"required": _("请阅读并同意个人信息使用说明后再注册。")},
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + list(regions)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("队伍名称"), max_length=100, widget=forms.TextInput(INPUT))
    kind = forms.ChoiceField(
        label=_("类型"), choices=Team.Kind.choices, widget=forms.Select(SELECT)
    )
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea({**INPUT, "rows": 3})
    )


class MemberForm(forms.Form):
    volunteer = forms.CharField(label=_("志愿者编号"), max_length=24, widget=forms.TextInput(INPUT))
    is_leader = forms.BooleanField(label=_("设为队长"), required=False)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=200, widget=forms.TextInput(INPUT))
    service_type = forms.ChoiceField(
        label=_("服务类别"), choices=ServiceType.choices, widget=forms.Select(SELECT)
    )
    description = forms.CharField(label=_("活动内容"), widget=forms.Textarea({**INPUT, "rows": 3}))
    beneficiaries = forms.CharField(
        label=_("服务对象"), max_length=200, required=False, widget=forms.TextInput(INPUT)
    )
    site = forms.ModelChoiceField(
        label=_("服务站点"), queryset=None, required=False, widget=forms.Select(SELECT)
    )
    address = forms.CharField(
        label=_("活动地点"), max_length=300, required=False, widget=forms.TextInput(INPUT)
    )
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput({**INPUT, "type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput({**INPUT, "type": "datetime-local"})
    )
    capacity = forms.IntegerField(
        label=_("首个班次名额"), min_value=1, initial=10, widget=forms.NumberInput(INPUT)
    )
    required_skills = forms.MultipleChoiceField(
        label=_("所需技能"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_brand = forms.BooleanField(label=_("品牌活动"), required=False)
    brand_name = forms.CharField(
        label=_("品牌名称"), max_length=100, required=False, widget=forms.TextInput(INPUT)
    )
    auto_accept = forms.BooleanField(
        label=_("报名自动通过（满额后进入候补）"), required=False, initial=True
    )
    publish = forms.BooleanField(label=_("立即发布"), required=False, initial=True)

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class TypedDateTimeField(forms.DateTimeField):
    """A date and time that an API client may also send as a number or a list: whatever is not
    text is refused as an invalid date, not a server error."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, str | date):
            value = str(value)
        return super().to_python(value)


class ShiftForm(ShegongForm):
    """A shift added to an activity (the activity lifecycle's "shift" action)."""

    title = forms.CharField(
        label=_("班次名称"), max_length=100, required=False, widget=forms.TextInput(INPUT)
    )
    starts_at = TypedDateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput({**INPUT, "type": "datetime-local"})
    )
    ends_at = TypedDateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput({**INPUT, "type": "datetime-local"})
    )
    capacity = forms.IntegerField(label=_("名额"), min_value=1, widget=forms.NumberInput(INPUT))
    required_skills = forms.MultipleChoiceField(
        label=_("所需技能"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CorrectionForm(ShegongForm):
    """A service record's hours corrected, with the reason (kept in the history)."""

    hours = forms.DecimalField(
        label=_("更正后时长（小时）"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=24,
        widget=forms.NumberInput({**INPUT, "step": "0.25"}),
    )
    reason = forms.CharField(label=_("更正原因"), max_length=200, widget=forms.TextInput(INPUT))


class RatingForm(ShegongForm):
    quality_rating = forms.TypedChoiceField(
        label=_("服务评价（1–5 星）"),
        choices=[(i, f"{i} ★") for i in range(1, 6)],
        coerce=int,
        widget=forms.Select(SELECT),
        error_messages={
            "required": _("评价为 1 到 5 星。"),
            "invalid_choice": _("评价为 1 到 5 星。"),
        },
    )


class CancelForm(ShegongForm):
    reason = forms.CharField(label=_("取消原因"), max_length=200, widget=forms.TextInput(INPUT))


class RejectionForm(ShegongForm):
    reason = forms.CharField(
        label=_("不通过的原因"),
        max_length=200,
        widget=forms.TextInput(INPUT),
        error_messages={"required": _("请填写不通过的原因。")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("现场签到码"),
        max_length=8,
        widget=forms.TextInput({**INPUT, "inputmode": "numeric"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"), widget=forms.ClearableFileInput(INPUT))


class PeriodForm(forms.Form):
    first = forms.DateField(label=_("起始日期"), widget=forms.DateInput({**INPUT, "type": "date"}))
    last = forms.DateField(label=_("截止日期"), widget=forms.DateInput({**INPUT, "type": "date"}))

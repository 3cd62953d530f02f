from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DATE, StyledForm
from shegong.people.models import (
    Assessment,
    AssistanceKind,
    Category,
    HouseholdMember,
    ResidentStatus,
    RiskLevel,
    Sex,
    VisitMode,
)
from shegong.people.services import MAJOR_EVENTS
from shegong.regions.forms import RegionField
from shegong.regions.models import Level


class ResidentForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=30, help_text=_("18 位，性别和出生日期从号码中读取")
    )
    sex = forms.ChoiceField(
        label=_("性别"), choices=[("", _("按身份证号码"))] + list(Sex.choices), required=False
    )
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=DATE, help_text=_("可不填；填写时须与号码一致")
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    region = RegionField(
        label=_("所在村（社区）"), levels=(Level.VILLAGE,), help_text=_("区划代码或名称")
    )
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("类别"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    latitude = forms.FloatField(label=_("纬度"), required=False)
    longitude = forms.FloatField(label=_("经度"), required=False)
    health_notes = forms.CharField(
        label=_("健康状况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    disability_level = forms.CharField(label=_("残疾/失能等级"), max_length=20, required=False)
    confirm_duplicates = forms.BooleanField(
        label=_("已核对，确认不是同一人，仍然新建"), required=False
    )


class ResidentEditForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    region = RegionField(label=_("所在村（社区）"), levels=(Level.VILLAGE,))
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("类别"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    latitude = forms.FloatField(label=_("纬度"), required=False)
    longitude = forms.FloatField(label=_("经度"), required=False)
    health_notes = forms.CharField(
        label=_("健康状况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    disability_level = forms.CharField(label=_("残疾/失能等级"), max_length=20, required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[(s, label) for s, label in ResidentStatus.choices if s != ResidentStatus.MERGED],
        help_text=_("已迁出、已故的记录在保存期限届满后匿名化"),
    )


class AssessmentForm(StyledForm):
    lives_alone = forms.BooleanField(label=_("独居"), required=False)
    health = forms.ChoiceField(label=_("健康状况"), choices=Assessment.Health.choices)
    self_care = forms.ChoiceField(label=_("自理能力"), choices=Assessment.SelfCare.choices)
    income = forms.ChoiceField(label=_("经济状况"), choices=Assessment.Income.choices)
    housing = forms.ChoiceField(label=_("住房安全"), choices=Assessment.Housing.choices)
    support = forms.ChoiceField(label=_("社会支持"), choices=Assessment.Support.choices)
    recent_event = forms.BooleanField(
        label=_("近期有重大事件（出院、丧亲、极端天气预警等）"), required=False
    )
    notes = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VisitForm(StyledForm):
    visited_on = forms.DateField(label=_("探访日期"), widget=DATE)
    mode = forms.ChoiceField(label=_("方式"), choices=VisitMode.choices)
    visitors = forms.CharField(label=_("探访人员"), max_length=200, required=False)
    finding_health = forms.CharField(
        label=_("身体健康"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    finding_living = forms.CharField(
        label=_("生活照料"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    finding_safety = forms.CharField(
        label=_("居住安全"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    finding_mood = forms.CharField(
        label=_("精神状态"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs = forms.CharField(
        label=_("发现的需求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.ImageField(label=_("照片（可选）"), required=False)


class EventForm(StyledForm):
    event = forms.ChoiceField(label=_("重大事件"), choices=list(MAJOR_EVENTS.items()))
    occurred_on = forms.DateField(label=_("发生日期"), widget=DATE)


class MemberForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    relation = forms.ChoiceField(label=_("关系"), choices=HouseholdMember.Relation.choices)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    lives_with = forms.BooleanField(label=_("同住"), required=False)
    is_guardian = forms.BooleanField(label=_("监护人"), required=False)
    is_contact = forms.BooleanField(label=_("紧急联系人"), required=False)


class AssistanceForm(StyledForm):
    kind = forms.ChoiceField(label=_("帮扶类型"), choices=AssistanceKind.choices)
    description = forms.CharField(label=_("内容"), max_length=200)
    amount = forms.DecimalField(label=_("金额（元）"), required=False, min_value=0)
    quantity = forms.DecimalField(label=_("数量"), required=False, min_value=0)
    unit = forms.CharField(label=_("单位"), max_length=10, required=False)
    fund_source = forms.CharField(label=_("资金来源"), max_length=100, required=False)
    given_on = forms.DateField(label=_("日期"), widget=DATE)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Excel 或 CSV 文件"))
    all_or_nothing = forms.BooleanField(
        label=_("全部正确才导入（有任何错误行则一行都不导入）"), required=False
    )


class MergeForm(StyledForm):
    other = forms.IntegerField(label=_("要并入本记录的另一条记录编号"))


class CadenceForm(StyledForm):
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    interval_days = forms.IntegerField(label=_("探访间隔（天）"), min_value=1, max_value=366)
    event_hours = forms.IntegerField(
        label=_("重大事件后探访时限（小时）"), min_value=1, max_value=168, initial=24
    )


class CategoryForm(StyledForm):
    """A category of the taxonomy; its code is given once (`editing` hides it afterwards)."""

    code = forms.SlugField(
        label=_("代码"),
        max_length=40,
        help_text=_("英文字母、数字或下划线，确定后不能修改（导入和接口按代码识别类别）"),
    )
    name = forms.CharField(label=_("名称"), max_length=50)
    cared_for = forms.BooleanField(
        label=_("纳入探访关爱"), required=False, help_text=_("属于此类的服务对象需要探访计划")
    )
    has_level = forms.BooleanField(label=_("需登记证书等级"), required=False)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=100)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]

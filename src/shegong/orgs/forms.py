from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DATE, ShegongForm
from shegong.orgs.models import Kind, Organisation, Sector
from shegong.regions.forms import RegionField

SUPERVISOR_KINDS = (
    Kind.SOCIAL_WORK_DEPARTMENT,
    Kind.SOCIAL_WORK_STATION,
    Kind.GOVERNMENT_DEPARTMENT,
)


class OrganisationForm(ShegongForm):
    """Parses the page's input (the region inside the acting user's jurisdiction); every other
    rule is checked by `orgs.services`."""

    name = forms.CharField(label=_("名称"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices)
    sector = forms.ChoiceField(
        label=_("职能领域"),
        choices=Sector.choices,
        required=False,
        help_text=_("政府部门必填：信访、转介按此分派"),
    )
    region = RegionField(label=_("所在区划"))
    parent = forms.ModelChoiceField(
        label=_("主管（上级）单位"), queryset=Organisation.objects.none(), required=False
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_("社会工作服务机构和其他社会组织必填"),
    )
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=50, required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    opening_hours = forms.CharField(
        label=_("开放时间"),
        max_length=200,
        required=False,
        help_text=_("例如：周一至周五 9:00–17:30"),
    )
    services = forms.CharField(
        label=_("服务内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一项服务"),
    )
    latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents.filter(kind__in=SUPERVISOR_KINDS)
        if self.is_bound:
            self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    @classmethod
    def initial_from(cls, org: Organisation) -> dict:
        data = {
            f: getattr(org, f)
            for f in (
                "name",
                "kind",
                "sector",
                "credit_code",
                "address",
                "phone",
                "contact_person",
                "opening_hours",
                "services",
                "latitude",
                "longitude",
                "description",
            )
        }
        data["region"] = org.region_id
        data["parent"] = org.parent_id
        return data


class ImportForm(ShegongForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    all_or_nothing = forms.BooleanField(
        label=_("全部成功才导入（有任何错误行则一行都不导入）"), required=False
    )


class StaffingStandardForm(ShegongForm):
    """The staffing standard of a province or city (or, empty, the national default)."""

    region = RegionField(
        label=_("适用区划"),
        levels=(1, 2),
        required=False,
        help_text=_("省级或地级区划；留空为全国默认（仅全国管理员）"),
    )
    workers_per_station = forms.IntegerField(label=_("每站社工人数"), min_value=1, max_value=100)
    funding_per_station = forms.DecimalField(
        label=_("每站年度经费（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    document_title = forms.CharField(label=_("依据文件"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("印发日期"), required=False, widget=DATE)
    url = forms.URLField(label=_("文件链接"), max_length=500, required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# ---- duty lists (职责清单) ---------------------------------------------------------------------


class DutyItemForm(forms.Form):
    """One row of the duty list's edit page; the rules are checked by `orgs.services.duties`."""

    title = forms.CharField(label=_("职责事项"), max_length=200, required=False)
    basis = forms.CharField(
        label=_("依据"),
        max_length=500,
        required=False,
        help_text=_("法律法规、政策文件及条款"),
    )
    description = forms.CharField(
        label=_("具体内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    keywords = forms.CharField(
        label=_("关键词"), max_length=300, required=False, help_text=_("用顿号或逗号分隔")
    )


DutyItemFormSet = forms.formset_factory(DutyItemForm, extra=3, max_num=200, validate_max=True)


class DutyListForm(ShegongForm):
    note = forms.CharField(label=_("修订说明"), max_length=300, required=False)


class DutySearchForm(forms.Form):
    q = forms.CharField(label=_("事项描述"), max_length=500, required=False)

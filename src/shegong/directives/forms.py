"""Forms of directives: they parse input; the rules are in the services."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.attachments import clean_attachment
from shegong.core.forms import DATE, ShegongForm
from shegong.directives.models import Directive, Inspection
from shegong.directives.services.issuing import LEVEL_NAMES
from shegong.regions.forms import RegionField
from shegong.regions.selectors import region_resolve
from shegong.workdays.models import DayRule


def _levels_below(user) -> list[tuple[int, str]]:
    from shegong.directives.selectors import subordinate_levels

    return [(str(level), name) for level, name in subordinate_levels(fetched_by=user)]


class _Regions:
    """A region box and a line of more regions (names or codes, separated by commas)."""

    def clean_regions_list(self, region, more: str) -> list[str]:
        codes = [region.code] if region is not None else []
        for part in (more or "").replace("，", ",").replace("、", ",").split(","):
            if part.strip():
                found = region_resolve(part, fetched_by=self.acting_user, field="more_regions")
                codes.append(found.code)
        return codes


class IssueForm(_Regions, ShegongForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(
        label=_("类别"),
        choices=[c for c in Directive.Category.choices if c[0] != "rectification"],
        initial=Directive.Category.TASK,
    )
    priority = forms.ChoiceField(label=_("紧急程度"), choices=Directive.Priority.choices)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea({"rows": 5}), required=False)
    level = forms.TypedChoiceField(label=_("下发层级"), coerce=int, choices=())
    region = RegionField(label=_("下发范围（区划）"), required=False)
    more_regions = forms.CharField(
        label=_("其他区划"),
        required=False,
        help_text=_("可填写多个区划名称或代码，用逗号分隔；不填则为辖区内该层级全部单位"),
    )
    due_days = forms.IntegerField(label=_("办理期限（天）"), min_value=1, max_value=365, initial=20)
    due_rule = forms.ChoiceField(label=_("期限计算"), choices=DayRule.choices, initial="working")
    ack_days = forms.IntegerField(
        label=_("签收时限（工作日）"), min_value=1, max_value=30, initial=3
    )
    cadence = forms.ChoiceField(
        label=_("进展报告周期"), choices=Directive.Cadence.choices, required=False
    )
    attachment = forms.FileField(label=_("附件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _levels_below(self.acting_user)

    def clean_attachment(self):
        return clean_attachment(self.cleaned_data.get("attachment"))

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["regions"] = self.clean_regions_list(data.get("region"), data.get("more_regions"))
        return data

    def service_inputs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "category": data["category"],
            "priority": data["priority"],
            "level": data["level"],
            "regions": data["regions"],
            "due_days": data["due_days"],
            "due_rule": data["due_rule"],
            "ack_days": data["ack_days"],
            "cadence": data.get("cadence") or "",
            "upload": data.get("attachment"),
        }


class CascadeForm(_Regions, ShegongForm):
    level = forms.TypedChoiceField(label=_("转发层级"), coerce=int, choices=())
    region = RegionField(label=_("转发范围（区划）"), required=False)
    more_regions = forms.CharField(label=_("其他区划"), required=False)
    instructions = forms.CharField(
        label=_("本级要求"), widget=forms.Textarea({"rows": 2}), required=False
    )
    due_date = forms.DateField(label=_("内部期限"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _levels_below(self.acting_user)
        target = self.subject
        if target is not None and target.due_date and not self.is_bound:
            self.initial.setdefault("due_date", target.due_date)

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["regions"] = self.clean_regions_list(data.get("region"), data.get("more_regions"))
        data.pop("region", None)
        data.pop("more_regions", None)
        return data


class ReportForm(ShegongForm):
    text = forms.CharField(label=_("报告内容"), widget=forms.Textarea({"rows": 3}))
    done_count = forms.IntegerField(label=_("完成数量（可选）"), required=False, min_value=0)
    attachment = forms.FileField(label=_("附件（佐证材料）"), required=False)

    def clean_attachment(self):
        return clean_attachment(self.cleaned_data.get("attachment"))

    def clean(self):
        data = super().clean()
        count = data.pop("done_count", None)
        data["figures"] = {"done": count} if count is not None else {}
        return data


class ReturnForm(ShegongForm):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea({"rows": 2}))


class InspectionForm(ShegongForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Inspection.Kind.choices)
    region = RegionField(label=_("检查地点（区划）"))
    organisation = forms.ModelChoiceField(label=_("被检查单位"), queryset=None, required=False)
    inspectors = forms.CharField(label=_("检查人员"), max_length=300)
    visited_on = forms.DateField(label=_("检查日期"), widget=DATE)
    findings = forms.CharField(label=_("发现的问题"), widget=forms.Textarea({"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from shegong.orgs.selectors import organisation_list

        self.fields["organisation"].queryset = organisation_list(fetched_by=self.acting_user)
        self.initial.setdefault("visited_on", timezone.localdate())


class RectificationForm(ShegongForm):
    text = forms.CharField(label=_("整改事项"), widget=forms.Textarea({"rows": 2}))
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    due_date = forms.DateField(label=_("整改期限"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from shegong.orgs.selectors import organisation_list

        self.fields["unit"].queryset = organisation_list(fetched_by=self.acting_user)
        self.initial.setdefault("due_date", timezone.localdate() + timedelta(days=30))


LEVELS = LEVEL_NAMES

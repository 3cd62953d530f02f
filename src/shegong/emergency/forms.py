"""Forms of emergency sweeps: they parse input; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import ShegongForm
from shegong.emergency.models import EmergencyEvent, NeedCategory, Outcome
from shegong.people.models import Category
from shegong.regions.forms import RegionField

AREA_SLOTS = 8
LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DeclareForm(ShegongForm):
    kind = forms.ChoiceField(label=_("事件类型"), choices=EmergencyEvent.Kind.choices)
    title = forms.CharField(label=_("事件名称"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), required=False, widget=LOCAL, help_text=_("不填则为现在")
    )
    target_hours = forms.IntegerField(
        label=_("排查时限（小时）"), min_value=1, max_value=168, initial=24
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("排查对象类别"),
        queryset=Category.objects.order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple,
    )
    volunteer_capacity = forms.IntegerField(
        label=_("动员志愿者人数（每班）"), min_value=0, max_value=500, initial=0, required=False
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The area: regions typed with the one region picker, one per box.
        for i in range(AREA_SLOTS):
            field = RegionField(
                label=_("排查区划 %(n)s") % {"n": i + 1},
                required=i == 0,
                help_text=_("村（社区）、乡镇（街道）或整个县") if i == 0 else "",
            )
            field.bind_to_user(self.acting_user)
            field.widget.attrs.setdefault("class", "form-control")
            self.fields[f"area_{i}"] = field
        self.order_fields(["kind", "title", *[f"area_{i}" for i in range(AREA_SLOTS)]])

    def area_fields(self):
        return [self[f"area_{i}"] for i in range(AREA_SLOTS)]

    def service_inputs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "areas": [data[f"area_{i}"] for i in range(AREA_SLOTS) if data.get(f"area_{i}")],
            "categories": list(data["categories"]),
            "starts_at": data.get("starts_at") or timezone.now(),
            "target_hours": data["target_hours"],
            "note": data.get("note", ""),
            "volunteer_capacity": data.get("volunteer_capacity") or 0,
        }


class OutcomeForm(ShegongForm):
    outcome = forms.ChoiceField(
        label=_("排查结果"), choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING]
    )
    need_category = forms.ChoiceField(
        label=_("需求类别"), choices=NeedCategory.choices, required=False
    )
    need_text = forms.CharField(label=_("需求说明"), max_length=500, required=False)
    reason = forms.CharField(label=_("未联系上原因"), max_length=300, required=False)
    attempts = forms.IntegerField(label=_("尝试次数"), min_value=0, max_value=100, required=False)
    latitude = forms.FloatField(
        min_value=-90, max_value=90, required=False, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        min_value=-180, max_value=180, required=False, widget=forms.HiddenInput
    )
    client_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)


class CloseForm(ShegongForm):
    summary = forms.CharField(
        label=_("排查总结"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

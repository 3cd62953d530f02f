"""Forms of the suggestions box: they parse input; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import ShegongForm
from shegong.regions.forms import RegionField, RegionInput
from shegong.suggestions.topics import CHOICES

TEXT = {"class": "form-control"}
# Where the suggestion is about: a county, a township or a community/village (levels 3–5),
# typed and picked exactly as on the public petition form (the same suggestion route).
COUNTY_AND_BELOW = (3, 4, 5)


class PublicForm(ShegongForm):
    """The portal's suggestion form. `website` is a honeypot, `token` a signed timestamp
    (core.challenge)."""

    region = RegionField(
        label=_("所在地（街道/社区）"),
        levels=COUNTY_AND_BELOW,
        suggest_url="petitions:public_regions",
        widget=RegionInput(
            suggest_url="petitions:public_regions",
            levels=COUNTY_AND_BELOW,
            attrs={**TEXT, "placeholder": _("输入街道或社区名称，从列表中选择")},
        ),
    )
    topic = forms.ChoiceField(
        label=_("话题（可不选）"),
        required=False,
        choices=[("", _("—")), *CHOICES],
        widget=forms.Select({"class": "form-select"}),
    )
    text = forms.CharField(
        label=_("您的意见建议"), max_length=2000, widget=forms.Textarea({**TEXT, "rows": 5})
    )
    name = forms.CharField(
        label=_("姓名（可不填）"), required=False, max_length=50, widget=forms.TextInput(TEXT)
    )
    contact = forms.CharField(
        label=_("联系方式（可不填）"),
        required=False,
        max_length=50,
        widget=forms.TextInput(TEXT),
    )
    contact_consent = forms.BooleanField(
        label=_("我同意留下姓名和联系方式，仅用于工作人员就本条意见与我联系，不会公开"),
        required=False,
        widget=forms.CheckboxInput({"class": "form-check-input"}),
    )
    website = forms.CharField(
        required=False, widget=forms.TextInput({"tabindex": "-1", "autocomplete": "off"})
    )
    token = forms.CharField(widget=forms.HiddenInput)


class AnswerForm(ShegongForm):
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea({"rows": 4}))
    whole_cluster = forms.BooleanField(
        label=_("同时答复同组内其他待答复的相似意见"), required=False
    )


class PublishForm(ShegongForm):
    whole_cluster = forms.BooleanField(
        label=_("同时公开同组内其他已答复的相似意见"), required=False
    )

"""The party register's forms: they parse input; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DATE, ShegongForm
from shegong.party import selectors
from shegong.party.models import PartyOrgKind


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class OrganisationsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PartyOrganisationForm(ShegongForm):
    name = forms.CharField(label=_("党组织名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=PartyOrgKind.choices)
    established_on = forms.DateField(label=_("成立日期"), widget=DATE)
    secretary = forms.CharField(label=_("书记"), max_length=50)
    members_count = forms.IntegerField(label=_("党员人数"), min_value=0, max_value=100_000)
    covered = OrganisationsChoice(
        label=_("联合覆盖的单位"),
        queryset=None,
        required=False,
        help_text=_("仅联合党组织：党员不足3人、与本单位联合建立党组织的单位。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered"].queryset = selectors.host_choices(fetched_by=self.acting_user)


class PartyOrganisationCreateForm(PartyOrganisationForm):
    host = OrganisationChoice(label=_("依托单位"), queryset=None)
    team = forms.ModelChoiceField(label=_("所在志愿服务队"), queryset=None, required=False)
    is_joint = forms.BooleanField(label=_("联合党组织"), required=False)

    field_order = ["name", "kind", "host", "team", "is_joint", "established_on", "secretary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = selectors.host_choices(fetched_by=self.acting_user)
        self.fields["team"].queryset = selectors.team_choices(fetched_by=self.acting_user)


class DissolveForm(ShegongForm):
    dissolved_on = forms.DateField(label=_("撤销日期"), widget=DATE)

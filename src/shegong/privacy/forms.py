from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DATE, ShegongForm
from shegong.privacy.models import Basis, GivenBy, GuardianRelation, Method, Purpose, Statute


def _blank(choices) -> list:
    return [("", "—"), *choices]


class ConsentForm(ShegongForm):
    purpose = forms.ChoiceField(label=_("处理目的"), choices=_blank(Purpose.choices))
    basis = forms.ChoiceField(label=_("处理依据"), choices=Basis.choices, initial=Basis.CONSENT)
    given_on = forms.DateField(label=_("同意（认定）日期"), widget=DATE)
    method = forms.ChoiceField(label=_("同意方式"), choices=_blank(Method.choices), required=False)
    given_by = forms.ChoiceField(label=_("同意人"), choices=_blank(GivenBy.choices), required=False)
    lacks_capacity = forms.BooleanField(
        label=_("本人无民事行为能力或限制民事行为能力"), required=False
    )
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False)
    guardian_relation = forms.ChoiceField(
        label=_("监护人关系"), choices=_blank(GuardianRelation.choices), required=False
    )
    statute = forms.ChoiceField(
        label=_("法定职责依据"),
        choices=_blank(Statute.choices),
        required=False,
        help_text=_("依据为法定职责时填写，无需本人同意"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class WithdrawForm(ShegongForm):
    withdrawn_on = forms.DateField(label=_("撤回日期"), widget=DATE)
    withdrawn_by_name = forms.CharField(
        label=_("撤回人"), max_length=50, help_text=_("本人或监护人姓名")
    )

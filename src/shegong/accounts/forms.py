from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import PersonalAccessToken


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("账号")
        self.fields["password"].label = _("密码")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("令牌名称"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    membership = forms.TypedChoiceField(
        label=_("绑定任职"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    scope = forms.ChoiceField(
        label=_("权限范围"),
        choices=PersonalAccessToken.Scope.choices,
        initial=PersonalAccessToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("只读令牌只能查询，不能新增、修改或删除数据。"),
    )
    days = forms.IntegerField(
        label=_("有效期（天）"),
        min_value=1,
        initial=30,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, memberships=(), max_days: int = 90, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [(m.pk, str(m)) for m in memberships]
        days = self.fields["days"]
        days.max_value = max_days
        days.validators.append(MaxValueValidator(max_days))
        days.widget.attrs["max"] = max_days
        days.initial = min(30, max_days)
        days.help_text = _("令牌到期后自动失效，最长 %(n)d 天。") % {"n": max_days}

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
    expires_at = forms.DateTimeField(
        label=_("过期时间（可选）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"class": "form-control", "type": "datetime-local"}),
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [(m.pk, str(m)) for m in memberships]

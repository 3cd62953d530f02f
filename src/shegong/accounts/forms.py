from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import PersonalAccessToken


class LockoutAwareMixin:
    """A refused sign-in says that the account or the address is locked, and until when, when
    that is why (`shegong.accounts.signin.lockout`); otherwise the usual message, which never
    tells whether the account exists."""

    def get_invalid_login_error(self):
        locks = getattr(self.request, "signin_locks", None)
        if locks:
            return forms.ValidationError(locks[0].message, code="locked")
        return super().get_invalid_login_error()


class LoginForm(LockoutAwareMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("账号")
        self.fields["password"].label = _("密码")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth.password_validation import password_validators_help_texts

        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())

    def clean(self):
        data = super().clean()
        if (
            data.get("new_password1")
            and data.get("new_password2")
            and data["new_password1"] != data["new_password2"]
        ):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


class SecondFactorRuleForm(forms.Form):
    province_code = forms.ChoiceField(
        label=_("适用范围"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    role = forms.ChoiceField(label=_("角色"), widget=forms.Select(attrs={"class": "form-select"}))
    required = forms.TypedChoiceField(
        label=_("双因素认证"),
        coerce=lambda v: v == "1",
        choices=[("1", _("必须使用")), ("0", _("不要求"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, provinces=(), national=True, **kwargs):
        from shegong.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.fields["province_code"].choices = ([("", _("全国"))] if national else []) + [
            (code, name) for code, name in provinces
        ]
        self.fields["role"].choices = Role.choices


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


class AuditSearchForm(forms.Form):
    """The audit page's filters; every field is optional and lives in the URL."""

    action = forms.MultipleChoiceField(
        label=_("动作"),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4}),
    )
    actor = forms.CharField(
        label=_("操作人账号"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    date_from = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )
    date_to = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )
    ip = forms.GenericIPAddressField(
        label=_("IP 地址"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    object_type = forms.CharField(
        label=_("对象类型"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "people.resident"}),
    )
    object_id = forms.CharField(
        label=_("对象编号"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    region = forms.CharField(
        label=_("区划代码"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    q = forms.CharField(
        label=_("详情包含"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )

    def __init__(self, *args, user, **kwargs):
        from shegong.core.models import AuditLog

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["action"].choices = AuditLog.Action.choices

    def clean_region(self) -> str:
        """A region (its code or name) inside the jurisdiction → its code prefix."""
        from shegong.regions.selectors import region_resolve

        value = self.cleaned_data["region"].strip()
        if not value:
            return ""
        try:
            return region_resolve(value, fetched_by=self.user).prefix
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["region"]) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self) -> dict:
        """Keyword arguments for `selectors.audit_list` (call after `is_valid()`)."""
        data = self.cleaned_data
        return {
            "actions": data.get("action") or [],
            "actor_name": data.get("actor", "").strip(),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "ip": data.get("ip") or "",
            "object_type": data.get("object_type", "").strip(),
            "object_id": data.get("object_id", "").strip(),
            "region_prefix": data.get("region") or "",
            "q": data.get("q", "").strip(),
        }

from django import forms
from django.utils.translation import gettext_lazy as _

INPUT = {"class": "form-control"}


class PublicSignUpForm(forms.Form):
    """Sign-up without logging in: the volunteer number and the phone on record."""

    number = forms.CharField(label=_("志愿者编号"), max_length=24, widget=forms.TextInput(INPUT))
    phone = forms.CharField(
        label=_("登记的手机号"),
        max_length=11,
        widget=forms.TextInput({**INPUT, "inputmode": "tel"}),
    )


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("证明编号"),
        max_length=32,
        widget=forms.TextInput({**INPUT, "placeholder": "ZYZM-440106-2026-000001"}),
    )

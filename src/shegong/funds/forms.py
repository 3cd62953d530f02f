from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import StyledForm
from shegong.core.regioncode import LEVEL_OF_LENGTH, RegionCode
from shegong.funds.models import Donation, DonationUse, Donor, FundSource, Purpose, Resource
from shegong.regions.forms import RegionField


def yuan_field(label, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00"}),
        help_text=kwargs.pop("help_text", _("单位：元，最多两位小数")),
        **kwargs,
    )


def new_key() -> str:
    return uuid.uuid4().hex


class TransferForm(StyledForm):
    from_account = forms.ModelChoiceField(label=_("付款账户"), queryset=None)
    to_account = forms.ModelChoiceField(label=_("收款账户"), queryset=None)
    amount = yuan_field(_("金额（元）"))
    memo = forms.CharField(label=_("摘要"), max_length=300)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, accounts=None, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_account"].queryset = accounts
        self.fields["to_account"].queryset = targets
        self.fields["from_account"].label_from_instance = _account_label
        self.fields["to_account"].label_from_instance = _account_label


def _account_label(account) -> str:
    return f"{account.name}（余额 {account.balance_yuan} 元）"


class ReverseForm(StyledForm):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)


class PlanCreateForm(StyledForm):
    title = forms.CharField(label=_("方案名称"), max_length=200)
    period = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    resource = forms.ChoiceField(label=_("分配对象"), choices=Resource.choices)
    pot = forms.CharField(
        label=_("资金池（元）/ 岗位数"),
        max_length=24,
        help_text=_("资金填元（两位小数），岗位填整数"),
    )
    source = forms.ChoiceField(
        label=_("拨付资金来源"), choices=FundSource.choices, initial=FundSource.PROVINCIAL
    )
    equity_bound = forms.IntegerField(
        label=_("公平性约束（%）"),
        min_value=0,
        max_value=1000,
        initial=50,
        help_text=_("每个单位按需求折算的金额偏离平均水平不超过该百分比"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = timezone.localdate().year


class PairingForm(StyledForm):
    # Paired assistance crosses jurisdictions by design: the receiver is found nationwide.
    receiver_region = RegionField(
        label=_("受援方区划"), help_text=_("输入区划代码或名称，如 522722（贵州省荔波县）")
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    agreed_amount = yuan_field(_("协议年度资金（元）"))
    title = forms.CharField(label=_("协作名称"), max_length=200, required=False)
    note = forms.CharField(
        label=_("协议要点"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PairingTransferForm(StyledForm):
    amount = yuan_field(_("拨付金额（元）"))
    source = forms.ChoiceField(
        label=_("资金来源"), choices=FundSource.choices, initial=FundSource.LOCAL
    )
    memo = forms.CharField(label=_("摘要"), max_length=300)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class DonationForm(StyledForm):
    donor_kind = forms.ChoiceField(label=_("捐赠人类型"), choices=Donor.Kind.choices)
    donor_name = forms.CharField(label=_("捐赠人名称/姓名"), max_length=200)
    donor_credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    donor_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    is_anonymous = forms.BooleanField(label=_("匿名公示"), required=False)
    kind = forms.ChoiceField(label=_("捐赠类型"), choices=Donation.Kind.choices)
    amount = yuan_field(_("金额/物资估值（元）"))
    goods_description = forms.CharField(label=_("物资明细"), max_length=300, required=False)
    restricted_purpose = forms.ChoiceField(
        label=_("限定用途"), choices=Purpose.choices, required=False
    )
    restricted_region = forms.CharField(
        label=_("限定地区（区划代码前缀）"), max_length=12, required=False
    )
    restricted_group = forms.CharField(label=_("限定受益人群"), max_length=100, required=False)
    received_on = forms.DateField(
        label=_("接收日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class DonationUseForm(StyledForm):
    target = forms.ChoiceField(label=_("使用去向"), choices=DonationUse.Target.choices)
    purpose = forms.ChoiceField(label=_("用途"), choices=[c for c in Purpose.choices if c[0]])
    beneficiary_region = forms.CharField(label=_("受益地区（区划代码）"), max_length=12)
    beneficiary_group = forms.CharField(label=_("受益人群"), max_length=100, required=False)
    beneficiary_name = forms.CharField(label=_("受益对象（脱敏）"), max_length=100, required=False)
    record_ref = forms.CharField(label=_("关联记录编号"), max_length=100, required=False)
    description = forms.CharField(label=_("说明"), max_length=300)
    amount = yuan_field(_("金额（元）"))
    used_on = forms.DateField(label=_("使用日期"), widget=forms.DateInput(attrs={"type": "date"}))


class PopulationForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    figures = forms.CharField(
        label=_("人口数据"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "440103 1200000\n440104 1300000"}),
        help_text=_("每行一个：区划代码 空格 常住人口"),
    )

    def clean_figures(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["figures"].splitlines(), start=1):
            parts = line.replace(",", " ").replace("\t", " ").split()
            if not parts:
                continue
            if len(parts) != 2 or not RegionCode.looks_like(parts[0]) or not parts[1].isdigit():
                raise ValidationError(_("第 %(n)s 行格式不对：应为“区划代码 人口”。") % {"n": n})
            if len(parts[0]) not in LEVEL_OF_LENGTH:
                raise ValidationError(
                    _("第 %(n)s 行：区划代码应为 2、4、6、9 或 12 位数字。") % {"n": n}
                )
            rows.append((RegionCode.from_prefix(parts[0]), int(parts[1])))
        if not rows:
            raise ValidationError(_("请至少填写一行。"))
        return rows

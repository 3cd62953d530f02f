"""Funds and resources: a double-entry ledger, allocation plans, paired assistance, donations.

Money is always an integer number of fen (分). A journal entry is a set of lines whose debits equal
its credits; entries are never edited, only reversed by a new entry that links the original. An
account's balance is the sum of its lines (debits minus credits); the account row carries the
running total (`balance`) and each line the balance after it, verified by `account_verify`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.models import TimeStampedModel
from shegong.core.scoping import ScopedQuerySet, code_range, scoped_manager


class FundSource(models.TextChoices):
    CENTRAL = "central", _("中央转移支付")
    PROVINCIAL = "provincial", _("省级转移支付")
    LOCAL = "local", _("本级财政预算")
    CHARITY = "charity", _("慈善捐赠")
    OTHER = "other", _("其他（含对口协作）")


class Purpose(models.TextChoices):
    GENERAL = "", _("不限定用途")
    STATIONS = "stations", _("社工站建设运营")
    ELDERLY = "elderly", _("困难老年人关爱")
    CHILDREN = "children", _("困境儿童关爱")
    DISABLED = "disabled", _("残疾人帮扶")
    LOW_INCOME = "low_income", _("低收入人口帮扶")
    DISASTER = "disaster", _("应急救灾")


class AccountKind(models.TextChoices):
    HOLDING = "holding", _("资金账户")  # money the organisation holds; never below zero
    FUNDING = "funding", _("资金来源账户")  # budget appropriation / donations received
    EXPENSE = "expense", _("支出账户")  # money spent on services and assistance


class Account(TimeStampedModel):
    """One organisation's account for one fund source and (restricted) purpose (资金账户)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        related_name="fund_accounts",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    kind = models.CharField(_("账户类型"), max_length=16, choices=AccountKind.choices)
    source = models.CharField(_("资金来源"), max_length=16, choices=FundSource.choices)
    purpose = models.CharField(
        _("限定用途"), max_length=16, choices=Purpose.choices, blank=True, default=""
    )
    name = models.CharField(_("账户名称"), max_length=200)
    allow_negative = models.BooleanField(
        _("允许为负"),
        default=False,
        help_text=_("仅资金来源账户（如财政拨款来源）可以为负，表示已拨付的预算。"),
    )
    balance = models.BigIntegerField(_("余额（分）"), default=0)

    objects = scoped_manager("region")
    history = HistoricalRecords(excluded_fields=["balance", "updated_at"])

    class Meta:
        verbose_name = _("资金账户")
        verbose_name_plural = pgettext_lazy("plural", "资金账户")
        ordering = ["region_id", "organisation_id", "kind", "source", "purpose"]
        indexes = [models.Index(fields=["region", "kind", "source"], name="fund_acct_region")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "source", "purpose"], name="fund_account_unique"
            ),
            models.CheckConstraint(
                condition=Q(allow_negative=True) | Q(balance__gte=0),
                name="fund_account_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(allow_negative=False) | Q(kind=AccountKind.FUNDING),
                name="fund_account_negative_only_funding",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def balance_yuan(self) -> str:
        return yuan(self.balance)


def yuan(fen: int | None) -> str:
    """`1234567` → `"12,345.67"` (display only; arithmetic stays in fen)."""
    from shegong.core.figures import Kind, format_figure

    if fen is None:
        return "—"
    return format_figure(int(fen), Kind.FEN).replace("¥", "", 1)


class EntryKind(models.TextChoices):
    APPROPRIATION = "appropriation", _("预算拨入")
    TRANSFER = "transfer", _("转账")
    DISBURSEMENT = "disbursement", _("分配方案拨付")
    PAIRING = "pairing", _("对口协作资金")
    DONATION = "donation", _("捐赠收入")
    SPEND = "spend", _("支出")
    REVERSAL = "reversal", _("冲正")


class JournalEntryQuerySet(ScopedQuerySet):
    region_field = "region_code"

    def touching(self, prefix: str):
        """Entries with a line on an account inside the subtree (sender or receiver side)."""
        if prefix == "":
            return self
        low, high = code_range(prefix)
        return self.filter(
            Q(region_code__gte=low, region_code__lte=high)
            | Q(target_region__gte=low, target_region__lte=high)
        )


class JournalEntry(models.Model):
    """A balanced, immutable movement of money (记账凭证)."""

    number = models.CharField(_("凭证号"), max_length=32, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=EntryKind.choices, db_index=True)
    memo = models.CharField(_("摘要"), max_length=300)
    amount = models.BigIntegerField(_("金额（分）"))  # total of the debits (= credits)
    # Denormalised for scoping and flow reports: where the money left, where it went.
    region_code = models.CharField(_("付出方区划"), max_length=12)
    target_region = models.CharField(_("收入方区划"), max_length=12, blank=True, default="")
    source = models.CharField(
        _("资金来源"), max_length=16, choices=FundSource.choices, blank=True, default=""
    )
    posted_at = models.DateTimeField(_("记账时间"), db_index=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记账人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的原凭证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    idempotency_key = models.CharField(
        _("幂等键"), max_length=100, null=True, blank=True, unique=True
    )
    request_digest = models.CharField(max_length=64, blank=True, default="")
    plan_recipient = models.ForeignKey(
        "PlanRecipient",
        verbose_name=_("分配方案拨付"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    pairing = models.ForeignKey(
        "Pairing",
        verbose_name=_("对口协作"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    donation = models.ForeignKey(
        "Donation",
        verbose_name=_("捐赠"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("记账凭证")
        verbose_name_plural = pgettext_lazy("plural", "记账凭证")
        ordering = ["-posted_at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "posted_at"], name="fund_entry_region"),
            models.Index(fields=["target_region", "kind"], name="fund_entry_target"),
            models.Index(fields=["kind", "region_code", "target_region"], name="fund_entry_flow"),
        ]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fund_entry_pos")]

    def __str__(self) -> str:
        return f"{self.number} {self.memo}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise RuntimeError("Journal entries are immutable; post a reversing entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Journal entries are immutable; post a reversing entry instead.")

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount)


class JournalLine(models.Model):
    """One side of an entry on one account: a debit (money in) or a credit (money out)."""

    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("凭证"), on_delete=models.PROTECT, related_name="lines"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="lines"
    )
    debit = models.BigIntegerField(_("借方（分）"), default=0)
    credit = models.BigIntegerField(_("贷方（分）"), default=0)
    balance_after = models.BigIntegerField(_("记账后余额（分）"))
    region_code = models.CharField(_("账户区划"), max_length=12)
    source = models.CharField(_("资金来源"), max_length=16, choices=FundSource.choices)
    account_kind = models.CharField(_("账户类型"), max_length=16, choices=AccountKind.choices)
    # The entry's kind, copied so reports never join 1,000,000 entries to classify their lines.
    entry_kind = models.CharField(
        _("凭证类型"), max_length=16, choices=EntryKind.choices, default=""
    )
    # The entry's posting time, copied: the lines are partitioned by month on it on PostgreSQL
    # (core.partitioning). Never updated; the database fills it for a line written without it.
    posted_at = models.DateTimeField(_("记账时间"), db_default=Now(), editable=False)

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("分录")
        verbose_name_plural = pgettext_lazy("plural", "分录")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["account", "id"], name="fund_line_account"),
            models.Index(fields=["region_code", "source", "account_kind"], name="fund_line_region"),
            # Covering on both databases: the execution report's sums read only this index.
            models.Index(
                fields=["entry_kind", "account_kind", "region_code", "source", "debit", "credit"],
                name="fund_line_report",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0)),
                name="fund_line_one_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} +{self.debit} -{self.credit}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Journal lines are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Journal lines are immutable.")


# ---- allocation plans --------------------------------------------------------------------------


class Resource(models.TextChoices):
    MONEY = "money", _("资金")
    POSTS = "posts", _("社工岗位")


class Method(models.TextChoices):
    PROPORTIONAL = "proportional", _("按需求指数比例分配")
    OPTIMISED = "optimised", _("优化分配（线性规划）")


class AllocationPlan(TimeStampedModel):
    """A department's allocation of a pot to the units one level below it (资金分配方案)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("编制单位"),
        on_delete=models.PROTECT,
        related_name="allocation_plans",
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    title = models.CharField(_("方案名称"), max_length=200)
    period = models.PositiveIntegerField(_("年度"))
    resource = models.CharField(
        _("分配对象"), max_length=8, choices=Resource.choices, default=Resource.MONEY
    )
    pot = models.BigIntegerField(_("资金池（分）/ 岗位数"))
    source_account = models.ForeignKey(
        Account,
        verbose_name=_("拨付账户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    equity_bound = models.PositiveSmallIntegerField(
        _("公平性约束（%）"),
        default=50,
        help_text=_("每个单位按需求折算的金额偏离平均水平不超过该百分比。"),
    )
    method = models.CharField(
        _("采用方法"), max_length=16, choices=Method.choices, default=Method.OPTIMISED
    )
    status = models.CharField(_("状态"), max_length=16, default="draft", db_index=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    solver_status = models.CharField(_("求解状态"), max_length=32, blank=True)
    solver_message = models.JSONField(_("求解说明"), default=dict, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords(excluded_fields=["solver_message", "updated_at"])

    class Meta:
        verbose_name = _("资金分配方案")
        verbose_name_plural = pgettext_lazy("plural", "资金分配方案")
        ordering = ["-period", "-id"]
        indexes = [models.Index(fields=["region_code", "status"], name="fund_plan_region")]

    def get_absolute_url(self) -> str:
        return reverse("funds:plan", args=[self.pk])

    def __str__(self) -> str:
        return self.title

    @property
    def is_money(self) -> bool:
        return self.resource == Resource.MONEY

    def fmt(self, value: int | None) -> str:
        if value is None:
            return "—"
        return yuan(value) if self.is_money else f"{value}"

    @property
    def equity_share(self) -> float:
        """The equity bound as a fraction (it is stored in percentage points)."""
        return self.equity_bound / 100

    @property
    def figure_kind(self) -> str:
        """How its amounts are written on a page (shegong.core.figures): fen or posts."""
        return "fen" if self.is_money else "count"


class PlanIndicator(models.Model):
    """A need indicator of a plan with its weight and where its figures come from."""

    plan = models.ForeignKey(
        AllocationPlan, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="indicators"
    )
    key = models.CharField(_("指标代码"), max_length=40)
    label = models.CharField(_("指标"), max_length=100)
    weight = models.FloatField(_("权重"), default=1.0)
    source = models.CharField(_("数据来源"), max_length=300)

    class Meta:
        verbose_name = _("需求指标")
        verbose_name_plural = pgettext_lazy("plural", "需求指标")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="fund_indicator_unique")
        ]

    def __str__(self) -> str:
        return self.label


class PlanRecipient(models.Model):
    """One recipient unit of a plan: its indicators, bounds and results."""

    plan = models.ForeignKey(
        AllocationPlan, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="recipients"
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    region_name = models.CharField(_("单位"), max_length=100)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("接收单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    indicators = models.JSONField(_("指标值"), default=dict)
    floor = models.BigIntegerField(_("保底"), default=0)
    cap = models.BigIntegerField(_("上限（吸纳能力）"), null=True, blank=True)
    committed = models.BigIntegerField(_("已承诺"), default=0)
    need_index = models.FloatField(_("需求指数"), default=0)
    amount_proportional = models.BigIntegerField(_("比例法结果"), null=True, blank=True)
    amount_optimised = models.BigIntegerField(_("优化结果"), null=True, blank=True)
    amount = models.BigIntegerField(_("最终分配"), null=True, blank=True)
    last_period_amount = models.BigIntegerField(_("上期分配"), null=True, blank=True)
    binding = models.JSONField(_("起作用的约束"), default=list, blank=True)
    marginal_value = models.FloatField(_("边际价值"), null=True, blank=True)
    explanation = models.CharField(_("说明"), max_length=400, blank=True)
    confirmed_at = models.DateTimeField(_("确认到账时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords(
        excluded_fields=["indicators", "binding", "explanation", "marginal_value"]
    )

    class Meta:
        verbose_name = _("分配对象")
        verbose_name_plural = pgettext_lazy("plural", "分配对象")
        ordering = ["region_code"]
        indexes = [models.Index(fields=["region_code", "plan"], name="fund_recipient_region")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "region_code"], name="fund_recipient_unique")
        ]

    def __str__(self) -> str:
        return self.region_name

    def get_absolute_url(self) -> str:
        return reverse("funds:receipts")

    @property
    def receipt_status(self) -> str:
        """The state of the receipt lifecycle (funds.workflow.RECEIPT)."""
        from shegong.funds.workflow import receipt_status

        return receipt_status(self)


class PlanStatusChange(models.Model):
    plan = models.ForeignKey(
        AllocationPlan, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    action = models.CharField(_("操作"), max_length=32)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("方案流转记录")
        verbose_name_plural = pgettext_lazy("plural", "方案流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PopulationFigure(models.Model):
    """An optional, uploaded population figure per region (常住人口), used as a need indicator."""

    region_code = models.CharField(_("区划代码"), max_length=12)
    year = models.PositiveIntegerField(_("年度"))
    population = models.PositiveBigIntegerField(_("常住人口"))
    source = models.CharField(_("来源"), max_length=200, default="统计公报（手工录入）")

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人口数据")
        verbose_name_plural = pgettext_lazy("plural", "人口数据")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year"], name="fund_population_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}"


# ---- paired assistance -------------------------------------------------------------------------


class PairingQuerySet(ScopedQuerySet):
    region_field = "region_code"

    def in_subtree(self, prefix: str):
        """A pairing is visible on both sides: the giving and the receiving region."""
        if prefix == "":
            return self
        low, high = code_range(prefix)
        return self.filter(
            Q(region_code__gte=low, region_code__lte=high)
            | Q(partner_region__gte=low, partner_region__lte=high)
        )


class Pairing(TimeStampedModel):
    """A paired-assistance relationship (对口协作) with an agreed annual contribution."""

    giver = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("支援方"), on_delete=models.PROTECT, related_name="+"
    )
    receiver = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("受援方"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("支援方区划"), max_length=12)
    partner_region = models.CharField(_("受援方区划"), max_length=12)
    year = models.PositiveIntegerField(_("年度"))
    agreed_amount = models.BigIntegerField(_("协议年度资金（分）"))
    title = models.CharField(_("协作名称"), max_length=200)
    note = models.TextField(_("协议要点"), blank=True)

    objects = PairingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("对口协作")
        verbose_name_plural = pgettext_lazy("plural", "对口协作")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["giver", "receiver", "year"], name="fund_pair_unique")
        ]

    def __str__(self) -> str:
        return self.title


# ---- donations ---------------------------------------------------------------------------------


class Donor(TimeStampedModel):
    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        ORGANISATION = "organisation", _("单位")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称/姓名"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_anonymous = models.BooleanField(_("匿名公示"), default=False)
    region_code = models.CharField(_("登记单位区划"), max_length=12)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("捐赠人")
        verbose_name_plural = pgettext_lazy("plural", "捐赠人")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        return str(_("爱心人士（匿名）")) if self.is_anonymous else self.name


class Donation(TimeStampedModel):
    """A donation of money or goods with the donor's restriction (慈善捐赠)."""

    class Kind(models.TextChoices):
        MONEY = "money", _("资金")
        GOODS = "goods", _("物资")

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("受赠单位"),
        on_delete=models.PROTECT,
        related_name="donations",
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    donor = models.ForeignKey(
        Donor, verbose_name=_("捐赠人"), on_delete=models.PROTECT, related_name="donations"
    )
    kind = models.CharField(_("捐赠类型"), max_length=8, choices=Kind.choices)
    amount = models.BigIntegerField(_("金额/估值（分）"))
    goods_description = models.CharField(_("物资明细"), max_length=300, blank=True)
    restricted_purpose = models.CharField(
        _("限定用途"), max_length=16, choices=Purpose.choices, blank=True, default=""
    )
    restricted_region = models.CharField(
        _("限定地区（区划代码前缀）"), max_length=12, blank=True, default=""
    )
    restricted_group = models.CharField(_("限定受益人群"), max_length=100, blank=True, default="")
    receipt_number = models.CharField(_("捐赠票据号"), max_length=40, unique=True)
    received_on = models.DateField(_("接收日期"))
    account = models.ForeignKey(
        Account, verbose_name=_("入账账户"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("慈善捐赠")
        verbose_name_plural = pgettext_lazy("plural", "慈善捐赠")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["region_code", "received_on"], name="fund_donation_rg")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fund_donation_pos")]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.donor}"

    @property
    def restriction_text(self) -> str:
        parts = []
        if self.restricted_purpose:
            parts.append(str(self.get_restricted_purpose_display()))
        if self.restricted_region:
            parts.append(str(_("限%(r)s")) % {"r": self.restricted_region})
        if self.restricted_group:
            parts.append(self.restricted_group)
        return "；".join(parts) or str(_("不限定"))


class DonationUse(models.Model):
    """Part of a donation applied to a project, an assistance record or a recipient (使用记录)."""

    class Target(models.TextChoices):
        PROJECT = "project", _("服务项目")
        ASSISTANCE = "assistance", _("帮扶救助记录")
        RECIPIENT = "recipient", _("受助对象")

    donation = models.ForeignKey(
        Donation, verbose_name=_("捐赠"), on_delete=models.PROTECT, related_name="uses"
    )
    region_code = models.CharField(_("捐赠登记区划"), max_length=12)
    target = models.CharField(_("使用去向"), max_length=16, choices=Target.choices)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    beneficiary_region = models.CharField(_("受益地区（区划代码）"), max_length=12)
    beneficiary_group = models.CharField(_("受益人群"), max_length=100, blank=True)
    description = models.CharField(_("说明"), max_length=300)
    beneficiary_name = models.CharField(_("受益对象（脱敏）"), max_length=100, blank=True)
    record_ref = models.CharField(
        _("关联记录"), max_length=100, blank=True, help_text=_("其他模块的帮扶/个案记录编号")
    )
    amount = models.BigIntegerField(_("金额（分）"))
    used_on = models.DateField(_("使用日期"))
    entry = models.OneToOneField(
        JournalEntry,
        verbose_name=_("支出凭证"),
        null=True,
        on_delete=models.PROTECT,
        related_name="donation_use",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("捐赠使用")
        verbose_name_plural = pgettext_lazy("plural", "捐赠使用")
        ordering = ["used_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fund_use_pos")]

    def __str__(self) -> str:
        return self.description

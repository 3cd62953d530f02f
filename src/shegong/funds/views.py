from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import public, scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.history import history_of
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.funds import forms, optimiser, selectors, services, workflow
from shegong.funds.models import AccountKind, FundSource, Method, Resource, yuan

# ---- ledger ------------------------------------------------------------------------------------


@scoped("funds.view")
def index(request):
    accounts = selectors.account_list(
        fetched_by=request.user,
        kind=request.GET.get("kind", AccountKind.HOLDING),
        source=request.GET.get("source", ""),
        q=request.GET.get("q", "").strip(),
    )
    listing = paginate(
        request,
        accounts,
        sorts={"region": ("region_id", "name", "id"), "-balance": ("-balance", "id")},
        default="region",
    )
    return render(
        request,
        "funds/index.html",
        {
            "listing": listing,
            "kinds": AccountKind.choices,
            "sources": FundSource.choices,
            "kind": request.GET.get("kind", AccountKind.HOLDING),
            "pending": selectors.receipts_for(fetched_by=request.user, pending_only=True)[:10],
            "own": jurisdiction_of(request.user),
        },
    )


@scoped("funds.view")
def account_detail(request, pk: int):
    account = selectors.get_account_for(fetched_by=request.user, pk=pk)
    listing = paginate(
        request, selectors.account_lines(account), sorts={"-id": ("-id",)}, default="-id"
    )
    return render(
        request,
        "funds/account_detail.html",
        {"account": account, "listing": listing, "check": selectors.account_verify(account)},
    )


@scoped("funds.post")
def entry_create(request):
    accounts = selectors.postable_accounts(fetched_by=request.user)
    form = forms.TransferForm(
        request.POST or None,
        accounts=accounts,
        targets=accounts,
        initial={"idempotency_key": forms.new_key()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            request,
            lambda: services.transfer_post(
                acting_user=request.user,
                from_account=data["from_account"],
                to_account=data["to_account"],
                amount=services.parse_yuan(data["amount"]),
                memo=data["memo"],
                idempotency_key=data["idempotency_key"],
            ),
            form=form,
        )
        if outcome:
            entry = outcome.value
            if getattr(entry, "replayed", False):
                messages.info(request, _("该笔记账已经提交过，未重复记账。"))
            else:
                messages.success(request, _("已记账：%(n)s") % {"n": entry.number})
            return redirect("funds:entry", pk=entry.pk)
    return render(request, "funds/entry_form.html", {"form": form})


@scoped("funds.view")
def entry_detail(request, pk: int):
    entry = selectors.get_entry_for(fetched_by=request.user, pk=pk)
    lines = selectors.entry_lines(entry)
    return render(
        request,
        "funds/entry_detail.html",
        {
            "entry": entry,
            "lines": lines,
            "trace": selectors.trace_back(entry),
            "reversal": getattr(entry, "reversed_by", None)
            if hasattr(entry, "reversed_by")
            else None,
            "reverse_form": forms.ReverseForm(),
        },
    )


@require_POST
@scoped("funds.reverse")
def entry_reverse(request, pk: int):
    entry = selectors.get_entry_for(fetched_by=request.user, pk=pk)
    form = forms.ReverseForm(request.POST)
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.entry_reverse(
                entry=entry, acting_user=request.user, reason=form.cleaned_data["reason"]
            ),
            success=lambda reversal: _("已冲正，冲正凭证 %(n)s") % {"n": reversal.number},
        )
        if outcome:
            return redirect("funds:entry", pk=outcome.value.pk)
    else:
        messages.error(request, _("请填写冲正原因。"))
    return redirect("funds:entry", pk=entry.pk)


# ---- plans -------------------------------------------------------------------------------------


@scoped("funds.view")
def plan_list(request):
    plans = selectors.plan_list(fetched_by=request.user, status=request.GET.get("status", ""))
    listing = paginate(request, plans, sorts={"-period": ("-period", "-id")}, default="-period")
    return render(
        request,
        "funds/plan_list.html",
        {"listing": listing, "states": workflow.STATES, "status": request.GET.get("status", "")},
    )


def _pot_from_text(text: str, resource: str) -> int:
    if resource == Resource.MONEY:
        return services.parse_yuan(text, field="pot")
    text = str(text).strip()
    if not text.isdigit() or int(text) <= 0:
        raise ValidationError({"pot": _("岗位数必须是正整数。")})
    return int(text)


@scoped("funds.plan_edit")
def plan_create(request):
    form = forms.PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            request,
            lambda: services.plan_create(
                acting_user=request.user,
                title=data["title"],
                period=data["period"],
                pot=_pot_from_text(data["pot"], data["resource"]),
                resource=data["resource"],
                source=data["source"],
                equity_bound=data["equity_bound"],
            ),
            form=form,
            success=_("已按需求指标生成方案草稿。"),
        )
        if outcome:
            return redirect("funds:plan", pk=outcome.value.pk)
    return render(request, "funds/plan_form.html", {"form": form})


def _amount(text: str, plan, field: str) -> int | None:
    text = (text or "").strip()
    if text == "":
        return None
    if plan.is_money:
        if text in ("0", "0.00", "0.0"):
            return 0
        return services.parse_yuan(text, field=field)
    if not text.isdigit():
        raise ValidationError({field: _("请输入整数。")})
    return int(text)


_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")


def _plan_inputs(request, plan) -> dict:
    post = request.POST
    weights = {}
    for indicator in plan.indicators.all():
        raw = (post.get(f"w_{indicator.key}") or "").strip()
        if raw:
            if not _NUMBER.fullmatch(raw):
                raise ValidationError({"weights": _("权重必须是数字。")})
            weights[indicator.key] = float(raw)
    bounds = {}
    for r in plan.recipients.all():
        values = {}
        for name in ("floor", "cap", "committed"):
            key = f"{name}_{r.pk}"
            if key in post:
                values[name] = _amount(post.get(key), plan, name)
        if values:
            bounds[r.pk] = values
    equity = post.get("equity_bound")
    return {
        "pot": _pot_from_text(post["pot"], plan.resource) if post.get("pot") else None,
        "equity_bound": int(equity) if equity and equity.isdigit() else None,
        "weights": weights,
        "bounds": bounds,
        "method": post.get("method") or None,
    }


@scoped("funds.view")
def plan_detail(request, pk: int):
    plan = selectors.get_plan_for(fetched_by=request.user, pk=pk)
    if request.method == "POST":
        if not has_perm(request.user, "funds.plan_edit"):
            raise Http404
        attempt(
            request,
            lambda: services.plan_update_inputs(
                plan=plan, acting_user=request.user, **_plan_inputs(request, plan)
            ),
            success=_("已重新计算。"),
        )
        return redirect("funds:plan", pk=plan.pk)
    recipients = list(plan.recipients.select_related("organisation").order_by("region_code"))
    indicators = list(plan.indicators.all())
    for r in recipients:
        r.values = [r.indicators.get(i.key, 0) for i in indicators]
        r.diff_proportional = (
            None
            if r.amount is None or r.amount_proportional is None
            else r.amount - r.amount_proportional
        )
        r.diff_last = (
            None
            if r.amount is None or r.last_period_amount is None
            else r.amount - r.last_period_amount
        )
        r.binding_labels = [optimiser.LABELS.get(b, b) for b in r.binding]
    totals = {
        "proportional": sum(r.amount_proportional or 0 for r in recipients),
        "optimised": sum(r.amount_optimised or 0 for r in recipients),
        "amount": sum(r.amount or 0 for r in recipients),
    }
    chart = {
        "names": [r.region_name for r in recipients],
        "proportional": [_num(plan, r.amount_proportional) for r in recipients],
        "optimised": [_num(plan, r.amount_optimised) for r in recipients],
    }
    return render(
        request,
        "funds/plan_detail.html",
        {
            "plan": plan,
            "recipients": recipients,
            "indicators": indicators,
            "totals": totals,
            "state_label": workflow.label_of(plan.status),
            "editable": plan.status in workflow.EDITABLE,
            "methods": Method.choices,
            "changes": selectors.plan_changes(plan),
            "chart": chart,
            "history": history_of(plan),
            "pot_text": (yuan(plan.pot).replace(",", "") if plan.is_money else plan.pot),
        },
    )


def _num(plan, value):
    if value is None:
        return None
    return round(value / 100, 2) if plan.is_money else value


@require_POST
@scoped("funds.plan_edit")
def plan_copy(request, pk: int):
    plan = selectors.get_plan_for(fetched_by=request.user, pk=pk)
    outcome = attempt(
        request,
        lambda: services.plan_copy(plan=plan, acting_user=request.user),
        success=lambda new: (
            _("已复制为 %(y)s 年度草稿，指标已按最新台账更新。") % {"y": new.period}
        ),
    )
    return redirect("funds:plan", pk=outcome.value.pk if outcome else plan.pk)


@scoped("funds.view")
def receipts(request):
    rows = selectors.receipts_for(fetched_by=request.user)
    listing = paginate(
        request,
        rows,
        sorts={"pending": ("confirmed_at", "-plan__period", "region_code")},
        default="pending",
    )
    return render(request, "funds/receipts.html", {"listing": listing})


@require_POST
@scoped("funds.confirm_receipt")
def receipt_confirm(request, pk: int):
    """The old page route of the receipt's `confirm` (kept: the same as …/actions/confirm/)."""
    recipient = selectors.get_recipient_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: workflow.RECEIPT.perform("confirm", obj=recipient, acting_user=request.user),
        success=lambda r: _("已确认到账：%(t)s") % {"t": r.plan.title},
    )
    return redirect("funds:receipts")


@scoped("funds.plan_edit")
def population(request):
    form = forms.PopulationForm(
        request.POST or None, initial={"year": timezone.localdate().year - 1}
    )
    if request.method == "POST" and form.is_valid():
        rows = form.cleaned_data["figures"]
        outcome = attempt(
            request,
            lambda: services.population_save(
                acting_user=request.user, year=form.cleaned_data["year"], figures=rows
            ),
            form=form,
            success=_("已保存 %(n)s 条人口数据。") % {"n": len(rows)},
        )
        if outcome:
            return redirect("funds:population")
    figures = selectors.population_figures(fetched_by=request.user)
    return render(request, "funds/population.html", {"form": form, "figures": figures[:200]})


# ---- pairings ----------------------------------------------------------------------------------


@scoped("funds.view")
def pairing_list(request):
    pairings = list(selectors.pairing_list(fetched_by=request.user))
    for p in pairings:
        p.delivered = selectors.pairing_delivered(p)
        p.percent = round(100 * p.delivered / p.agreed_amount) if p.agreed_amount else 0
        p.share = p.delivered / p.agreed_amount if p.agreed_amount else 0
    return render(
        request, "funds/pairing_list.html", {"pairings": pairings, "form": forms.PairingForm()}
    )


@require_POST
@scoped("funds.pairing_edit")
def pairing_create(request):
    form = forms.PairingForm(request.POST)
    if form.is_valid():
        outcome = attempt(request, lambda: _pairing_create(request, form.cleaned_data))
        if outcome:
            return redirect("funds:pairing", pk=outcome.value.pk)
    else:
        messages.error(request, _("请检查填写的内容。"))
    return redirect("funds:pairings")


def _pairing_create(request, data):
    return services.pairing_agree(
        acting_user=request.user,
        receiver_region=data["receiver_region"],
        year=data["year"],
        agreed_amount=services.parse_yuan(data["agreed_amount"]),
        title=data["title"],
        note=data["note"],
    )


@scoped("funds.view")
def pairing_detail(request, pk: int):
    pairing = selectors.get_pairing_for(fetched_by=request.user, pk=pk)
    form = forms.PairingTransferForm(
        request.POST or None, initial={"idempotency_key": forms.new_key(), "memo": pairing.title}
    )
    giver_side = jurisdiction_of(request.user).contains(pairing.region_code)
    if request.method == "POST":
        if not has_perm(request.user, "funds.pairing_edit"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                request,
                lambda: services.pairing_transfer(
                    pairing=pairing,
                    acting_user=request.user,
                    amount=services.parse_yuan(data["amount"]),
                    memo=data["memo"],
                    source=data["source"],
                    idempotency_key=data["idempotency_key"],
                ),
                form=form,
                success=lambda entry: _("已拨付协作资金：%(n)s") % {"n": entry.number},
            )
            if outcome:
                return redirect("funds:pairing", pk=pairing.pk)
    delivered = selectors.pairing_delivered(pairing)
    return render(
        request,
        "funds/pairing_detail.html",
        {
            "pairing": pairing,
            "entries": selectors.pairing_entries(pairing),
            "delivered": delivered,
            "remaining": pairing.agreed_amount - delivered,
            "form": form,
            "giver_side": giver_side,
        },
    )


# ---- donations ---------------------------------------------------------------------------------


@scoped("funds.view")
def donation_list(request):
    donations = selectors.donation_list(
        fetched_by=request.user, purpose=request.GET.get("purpose", "all")
    )
    listing = paginate(
        request, donations, sorts={"-received": ("-received_on", "-id")}, default="-received"
    )
    return render(
        request,
        "funds/donation_list.html",
        {"listing": listing, "org": request.user.active_membership.organisation},
    )


@scoped("funds.donation_edit")
def donation_create(request):
    form = forms.DonationForm(
        request.POST or None,
        initial={"idempotency_key": forms.new_key(), "received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            request,
            lambda: services.donation_register(
                acting_user=request.user,
                organisation=request.user.active_membership.organisation,
                donor_kind=data["donor_kind"],
                donor_name=data["donor_name"],
                donor_credit_code=data["donor_credit_code"],
                donor_phone=data["donor_phone"],
                is_anonymous=data["is_anonymous"],
                kind=data["kind"],
                amount=services.parse_yuan(data["amount"]),
                received_on=data["received_on"],
                restricted_purpose=data["restricted_purpose"] or "",
                restricted_region=data["restricted_region"].strip(),
                restricted_group=data["restricted_group"],
                goods_description=data["goods_description"],
                idempotency_key=data["idempotency_key"],
            ),
            form=form,
        )
        if outcome:
            donation = outcome.value
            if donation.replayed:
                messages.info(request, _("该捐赠已经登记过，未重复入账。"))
            else:
                messages.success(
                    request, _("已登记捐赠，票据号 %(r)s") % {"r": donation.receipt_number}
                )
            return redirect("funds:donation", pk=donation.pk)
    return render(request, "funds/donation_form.html", {"form": form})


@scoped("funds.view")
def donation_detail(request, pk: int):
    donation = selectors.get_donation_for(fetched_by=request.user, pk=pk)
    form = forms.DonationUseForm(
        request.POST or None,
        initial={
            "used_on": timezone.localdate(),
            "purpose": donation.restricted_purpose or None,
            "beneficiary_region": donation.restricted_region or donation.region_code[:6],
            "beneficiary_group": donation.restricted_group,
        },
    )
    if request.method == "POST":
        if not has_perm(request.user, "funds.donation_edit"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                request,
                lambda: services.donation_use(
                    acting_user=request.user,
                    donation=donation,
                    amount=services.parse_yuan(data["amount"]),
                    **{k: v for k, v in data.items() if k != "amount"},
                ),
                form=form,
                success=_("已登记捐赠使用。"),
            )
            if outcome:
                return redirect("funds:donation", pk=donation.pk)
    return render(
        request,
        "funds/donation_detail.html",
        {
            "donation": donation,
            "trace": selectors.donation_trace(donation),
            "form": form,
            "history": history_of(donation),
        },
    )


@public
def transparency(request, org_id: int):
    """The public charity disclosure of one organisation (no login), computed from the ledger."""
    org = selectors.public_organisation(org_id)
    figures = selectors.transparency_of(org)
    return render(request, "funds/public_transparency.html", {"org": org, "t": figures})


# ---- reports -----------------------------------------------------------------------------------


@scoped("funds.report")
def report(request):
    prefix = request.GET.get("region", "").strip()
    rows = selectors.execution_report(
        fetched_by=request.user, region_prefix=prefix if prefix.isdigit() else None
    )
    totals = {
        k: sum(getattr(r, k) for r in rows)
        for k in ("allocated", "disbursed", "confirmed", "spent")
    }
    flows = selectors.sankey(fetched_by=request.user)
    return render(
        request,
        "funds/report.html",
        {
            "rows": rows,
            "totals": {k: yuan(v) for k, v in totals.items()},
            "sankey": flows,
            "has_flows": bool(flows["links"]),
        },
    )


@scoped("funds.export")
def report_export(request):
    prefix = request.GET.get("region", "").strip()
    rows = selectors.execution_report(
        fetched_by=request.user, region_prefix=prefix if prefix.isdigit() else None
    )
    return excel_response(
        request,
        filename="budget-execution.xlsx",
        title=_("预算执行"),
        headers=[
            _("区划代码"),
            _("区划"),
            _("资金来源"),
            _("已分配（元）"),
            _("已拨付（元）"),
            _("已确认到账（元）"),
            _("已支出（元）"),
        ],
        rows=(
            [
                r.region_code,
                r.region_name,
                r.source_label,
                r.allocated / 100,
                r.disbursed / 100,
                r.confirmed / 100,
                r.spent / 100,
            ]
            for r in rows
        ),
        audit_detail={"list": "funds_execution", "region": prefix},
    )

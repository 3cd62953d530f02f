"""Allocation plans: drafted from need indicators, edited and recomputed, copied."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.scoping import jurisdiction_of
from shegong.core.validation import check_planned_year
from shegong.funds import optimiser, selectors, workflow
from shegong.funds.amounts import check_fen
from shegong.funds.models import (
    AllocationPlan,
    FundSource,
    Method,
    PlanIndicator,
    PlanRecipient,
    PlanStatusChange,
    Resource,
)
from shegong.funds.services.accounts import account_for
from shegong.orgs.models import Kind, Organisation

# Reasons are declared in each module that reads unscoped (tests/core/test_unscoped_reads.py).
LEDGER = (
    "Ledger internals on rows the caller already read through its scope (locks in "
    "primary-key order, running totals, reversals, the accounts of an authorised "
    "organisation); a transfer touches both sides."
)

RECIPIENTS = (
    "Public bodies that receive money: the departments and stations of a plan's child regions "
    "(inside the planner's jurisdiction), or a paired region's department (paired assistance "
    "crosses jurisdictions by design); found by region code."
)

# Reasons are declared in each module that reads unscoped (tests/core/test_unscoped_reads.py).


def _require_department(user: Any) -> Organisation:
    membership = getattr(user, "active_membership", None)
    if membership is None or membership.organisation.kind != Kind.SOCIAL_WORK_DEPARTMENT:
        raise ValidationError({"organisation": _("只有社会工作部门可以编制分配方案。")})
    return membership.organisation


@transaction.atomic
def plan_create(
    *,
    acting_user: Any,
    title: str,
    period: int,
    pot: int,
    resource: str = Resource.MONEY,
    source: str = FundSource.LOCAL,
    equity_bound: int = 50,
    weights: dict[str, float] | None = None,
) -> AllocationPlan:
    """A draft over the units one level below the department, with every available indicator."""
    from shegong.funds.indicators import collect_values

    organisation = _require_department(acting_user)
    region = organisation.region
    if region.level >= 4:
        raise ValidationError({"organisation": _("乡镇（街道）一级没有下级分配单位。")})
    check_planned_year(period, field="period")
    _check_equity_bound(equity_bound)
    if resource not in Resource.values:
        raise ValidationError({"resource": _("未知的分配对象。")})
    if source not in FundSource.values:
        raise ValidationError({"source": _("未知的资金来源。")})
    if resource == Resource.MONEY:
        check_fen(pot, field="pot")
    elif not isinstance(pot, int) or pot <= 0:
        raise ValidationError({"pot": _("岗位数必须是正整数。")})
    children = selectors.child_regions(region)
    if not children:
        raise ValidationError({"organisation": _("本辖区没有下级区划，无法编制方案。")})
    plan = AllocationPlan(
        organisation=organisation,
        region_code=region.code,
        title=title.strip() or _("%(y)s年度资金分配方案") % {"y": period},
        period=period,
        resource=resource,
        pot=pot,
        equity_bound=equity_bound,
        created_by=acting_user,
        source_account=(
            account_for(organisation=organisation, source=source)
            if resource == Resource.MONEY
            else None
        ),
    )
    plan._history_user = acting_user
    plan.save()
    values = collect_values(region, children)
    weights = weights or {}
    PlanIndicator.objects.bulk_create(
        [
            PlanIndicator(
                plan=plan,
                key=p.key,
                label=str(p.label),
                weight=float(weights.get(p.key, p.default_weight)),
                source=str(p.source),
            )
            for p, _v in values
        ]
    )
    orgs = {}
    if children[0].level < 4:
        for org in (
            Organisation.objects.unscoped(reason=RECIPIENTS)
            .filter(
                region_id__in=[c.code for c in children],
                kind=Kind.SOCIAL_WORK_DEPARTMENT,
                is_active=True,
            )
            .order_by("-id")
        ):
            orgs[org.region_id] = org
    last = _last_period_amounts(plan)
    PlanRecipient.objects.bulk_create(
        [
            PlanRecipient(
                plan=plan,
                region_code=c.code,
                region_name=c.name,
                organisation=orgs.get(c.code)
                if c.level < 4
                else selectors.recipient_organisation(c),
                indicators={p.key: vals.get(c.code, 0) for p, vals in values},
                last_period_amount=last.get(c.code),
            )
            for c in children
        ]
    )
    _record(plan, "", workflow.DRAFT, "create", acting_user, _("新建方案"))
    plan_compute(plan=plan, acting_user=acting_user)
    return plan


def _last_period_amounts(plan: AllocationPlan) -> dict[str, int]:
    previous = (
        AllocationPlan.objects.unscoped(reason=LEDGER)
        .filter(
            organisation=plan.organisation,
            resource=plan.resource,
            period__lt=plan.period,
            status__in=[workflow.APPROVED, workflow.DISBURSED, workflow.CONFIRMED],
        )
        .order_by("-period", "-id")
        .first()
    )
    if previous is None:
        return {}
    return dict(previous.recipients.values_list("region_code", "amount"))


def _record(plan, source, target, action, user, note="") -> None:
    PlanStatusChange.objects.create(
        plan=plan,
        from_status=source,
        to_status=target,
        action=action,
        note=note,
        by=user if getattr(user, "pk", None) else None,
    )


def _ensure_editable(plan: AllocationPlan) -> None:
    if plan.status not in workflow.EDITABLE:
        raise ValidationError({"status": _("方案已提交，不能再修改。")})


def _check_equity_bound(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        raise ValidationError({"equity_bound": _("公平性约束应在 0–1000% 之间。")})


@transaction.atomic
def plan_update_inputs(
    *,
    plan: AllocationPlan,
    acting_user: Any,
    pot: int | None = None,
    equity_bound: int | None = None,
    weights: dict[str, float] | None = None,
    bounds: dict[int, dict[str, int | None]] | None = None,
    indicator_values: dict[int, dict[str, float]] | None = None,
    method: str | None = None,
) -> AllocationPlan:
    """Change the pot, weights, floors/caps/committed or indicator figures; recompute."""
    _ensure_editable(plan)
    if pot is not None:
        if plan.is_money:
            check_fen(pot, field="pot")
        elif not isinstance(pot, int) or pot <= 0:
            raise ValidationError({"pot": _("岗位数必须是正整数。")})
        plan.pot = pot
    if equity_bound is not None:
        _check_equity_bound(equity_bound)
        plan.equity_bound = equity_bound
    if method is not None:
        if method not in Method.values:
            raise ValidationError({"method": _("未知的分配方法。")})
        plan.method = method
    plan._history_user = acting_user
    plan.save()
    for indicator in plan.indicators.all():
        if weights and indicator.key in weights:
            weight = float(weights[indicator.key])
            if weight < 0:
                raise ValidationError({"weights": _("权重不能为负数。")})
            indicator.weight = weight
            indicator.save(update_fields=["weight"])
    recipients = {r.pk: r for r in plan.recipients.all()}
    changed = []
    for pk, values in (bounds or {}).items():
        r = recipients.get(pk)
        if r is None:
            continue
        for name in ("floor", "cap", "committed"):
            if name in values:
                v = values[name]
                if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                    raise ValidationError(
                        {name: _("%(n)s：请输入不小于零的金额。") % {"n": r.region_name}}
                    )
                if name != "cap" and v is None:
                    v = 0
                setattr(r, name, v)
        changed.append(r)
    for pk, values in (indicator_values or {}).items():
        r = recipients.get(pk)
        if r is None:
            continue
        r.indicators = {**r.indicators, **{k: float(v) for k, v in values.items()}}
        changed.append(r)
    if changed:
        PlanRecipient.objects.bulk_update(
            list({r.pk: r for r in changed}.values()), ["floor", "cap", "committed", "indicators"]
        )
    plan_compute(plan=plan, acting_user=acting_user)
    return plan


def plan_units(plan: AllocationPlan, recipients: list[PlanRecipient]) -> list[optimiser.Unit]:
    weights = {i.key: i.weight for i in plan.indicators.all()}
    needs = optimiser.need_indices([r.indicators for r in recipients], weights)
    return [
        optimiser.Unit(
            key=r.region_code,
            name=r.region_name,
            need=n,
            floor=r.floor,
            cap=r.cap,
            committed=r.committed,
        )
        for r, n in zip(recipients, needs, strict=True)
    ]


@transaction.atomic
def plan_compute(*, plan: AllocationPlan, acting_user: Any) -> optimiser.Outcome:
    """Run both methods and store per recipient: amounts, binding constraints, explanations."""
    _ensure_editable(plan)
    recipients = list(plan.recipients.order_by("region_code"))
    units = plan_units(plan, recipients)
    proportional = optimiser.proportional(plan.pot, units)
    outcome = optimiser.optimise(
        plan.pot, units, plan.equity_bound, integer=not plan.is_money, fmt=plan.fmt
    )
    bounds = optimiser.bounds_of(plan.pot, units, plan.equity_bound)
    for i, (r, u) in enumerate(zip(recipients, units, strict=True)):
        r.need_index = u.need
        r.amount_proportional = proportional[i]
        if outcome.status == "optimal":
            r.amount_optimised = outcome.amounts[i]
            r.binding = outcome.binding[i]
            r.marginal_value = outcome.reduced_costs[i]
            r.explanation = optimiser.explain_unit(
                outcome.reduced_costs[i], outcome.binding[i], money=plan.is_money
            )
        else:
            r.amount_optimised = None
            r.binding = []
            r.marginal_value = None
            r.explanation = ""
        r.amount = r.amount_optimised if plan.method == Method.OPTIMISED else r.amount_proportional
    PlanRecipient.objects.bulk_update(
        recipients,
        [
            "need_index",
            "amount_proportional",
            "amount_optimised",
            "amount",
            "binding",
            "marginal_value",
            "explanation",
        ],
        batch_size=500,
    )
    violations = []
    for r, b in zip(recipients, bounds, strict=True):
        p = r.amount_proportional
        if p < b.lo or (b.hi is not None and p > b.hi):
            violations.append(r.region_name)
    plan.solver_status = outcome.status
    plan.solver_message = {
        "conflicts": outcome.conflicts,
        "marginal": (
            optimiser.explain_marginal(
                outcome.pot_dual, units, outcome.amounts, bounds, money=plan.is_money
            )
            if outcome.status == "optimal"
            else ""
        ),
        "pot_dual": outcome.pot_dual,
        "objective": outcome.objective,
        "objective_proportional": sum(u.need * a for u, a in zip(units, proportional, strict=True)),
        "proportional_violations": violations,
        "solve_seconds": round(outcome.solve_seconds, 4),
    }
    plan.computed_at = timezone.now()
    plan.save(update_fields=["solver_status", "solver_message", "computed_at", "updated_at"])
    return outcome


@transaction.atomic
def plan_copy(
    *, plan: AllocationPlan, acting_user: Any, period: int | None = None
) -> AllocationPlan:
    """A new draft for the next period with the same pot, weights and bounds; fresh indicators."""
    if not jurisdiction_of(acting_user).contains(plan.region_code):
        raise ValidationError({"plan": _("该方案不在您的辖区范围内。")})
    period = period or plan.period + 1
    weights = {i.key: i.weight for i in plan.indicators.all()}
    source = plan.source_account.source if plan.source_account else FundSource.LOCAL
    new = plan_create(
        acting_user=acting_user,
        title=plan.title.replace(str(plan.period), str(period)),
        period=period,
        pot=plan.pot,
        resource=plan.resource,
        source=source,
        equity_bound=plan.equity_bound,
        weights=weights,
    )
    new.copied_from = plan
    new.method = plan.method
    new.save(update_fields=["copied_from", "method"])
    old = {r.region_code: r for r in plan.recipients.all()}
    fresh = list(new.recipients.all())
    for r in fresh:
        o = old.get(r.region_code)
        if o is not None:
            r.floor, r.cap, r.committed = o.floor, o.cap, 0
            if r.last_period_amount is None:
                r.last_period_amount = o.amount
    PlanRecipient.objects.bulk_update(fresh, ["floor", "cap", "committed", "last_period_amount"])
    plan_compute(plan=new, acting_user=acting_user)
    return new

"""Funds API: accounts, entries (postings with idempotency keys), plans, paired assistance,
donations.

Amounts are integers in fen. A posting accepts an `Idempotency-Key` header (or the
`idempotency_key` field): a retried request with the same key returns the first entry (200)
instead of posting again (201)."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import (
    Choice,
    Count,
    Digits,
    Id,
    ModelText,
    Pagination,
    PastDate,
    PlannedYear,
    Search,
    Text,
)
from shegong.core.workflow.api import action_route
from shegong.funds import selectors, services, workflow
from shegong.funds.models import (
    AccountKind,
    AllocationPlan,
    Donation,
    DonationUse,
    Donor,
    EntryKind,
    FundSource,
    JournalEntry,
    Method,
    Pairing,
    PlanIndicator,
    Purpose,
    Resource,
)
from shegong.funds.workflow import PLAN, RECEIPT
from shegong.regions.schemas import RegionText
from shegong.regions.selectors import region_resolve

Fen = Count(0, services.MAX_FEN)  # an amount in fen
PositiveFen = Count(1, services.MAX_FEN)
IdempotencyKey = Text(64)
Weights = dict[ModelText(PlanIndicator, "key"), Annotated[float, Field(ge=0, le=1000)]]

router = Router(tags=["funds 资金与资源"])


class AccountOut(Schema):
    id: int
    name: str
    organisation_id: int
    region_code: str
    kind: str
    source: str
    purpose: str
    balance: int
    allow_negative: bool

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region_id


class LineOut(Schema):
    account_id: int
    debit: int
    credit: int
    balance_after: int


class EntryOut(Schema):
    id: int
    number: str
    kind: str
    memo: str
    amount: int
    region_code: str
    target_region: str
    posted_at: datetime
    reverses_id: int | None = None
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.order_by("id"))


class LineIn(Schema):
    account_id: Id
    debit: Fen = 0
    credit: Fen = 0


class EntryIn(Schema):
    memo: ModelText(JournalEntry, "memo", min_length=1)
    lines: list[LineIn] = Field(min_length=2, max_length=100)
    idempotency_key: IdempotencyKey | None = None


class ReverseIn(Schema):
    reason: Text(200, min_length=1)


class AccountFilters(Schema):
    kind: Choice(AccountKind, blank=True) = ""
    source: Choice(FundSource, blank=True) = ""
    q: Search = ""


class VerificationOut(Schema):
    account_id: int
    stored: int
    from_lines: int
    last_running: int
    ok: bool


@router.get("/accounts", response=list[AccountOut], summary="Accounts in the jurisdiction")
@scoped("funds.view")
@paginate(Pagination, page_size=50)
def account_list(request, filters: Query[AccountFilters]):
    return selectors.account_list(
        fetched_by=request.user, kind=filters.kind, source=filters.source, q=filters.q
    ).order_by("region_id", "id")


@router.get("/accounts/{int:account_id}", response=AccountOut)
@scoped("funds.view")
def account_detail(request, account_id: int):
    return selectors.get_account_for(fetched_by=request.user, pk=account_id)


@router.get(
    "/accounts/{int:account_id}/verify",
    response=VerificationOut,
    summary="Balance = sum of lines = last running total",
)
@scoped("funds.view")
def account_verify(request, account_id: int):
    check = selectors.account_verify(
        selectors.get_account_for(fetched_by=request.user, pk=account_id)
    )
    return {
        "account_id": account_id,
        "stored": check.stored,
        "from_lines": check.from_lines,
        "last_running": check.last_running,
        "ok": check.ok,
    }


@router.get("/entries", response=list[EntryOut])
@scoped("funds.view")
@paginate(Pagination, page_size=50)
def entry_list(request, kind: Choice(EntryKind, blank=True) = ""):
    return selectors.entry_list(fetched_by=request.user, kind=kind).prefetch_related("lines")


@router.get("/entries/{int:entry_id}", response=EntryOut)
@scoped("funds.view")
def entry_detail(request, entry_id: int):
    return selectors.get_entry_for(fetched_by=request.user, pk=entry_id)


@router.post(
    "/entries",
    response={200: EntryOut, 201: EntryOut},
    summary="Post a balanced entry (amounts in fen); Idempotency-Key makes retries safe",
)
@scoped("funds.post")
def entry_create(request, payload: EntryIn):
    key = request.headers.get("Idempotency-Key") or payload.idempotency_key
    ids = {ln.account_id for ln in payload.lines}
    accounts = {a.pk: a for a in selectors.account_list(fetched_by=request.user).filter(pk__in=ids)}
    missing = ids - set(accounts)
    if missing:
        raise ValidationError({"lines": f"账户不存在或不在您的辖区范围内：{sorted(missing)}"})
    entry = services.entry_post(
        acting_user=request.user,
        lines=[
            services.Line(accounts[ln.account_id], debit=ln.debit, credit=ln.credit)
            for ln in payload.lines
        ],
        memo=payload.memo,
        kind=EntryKind.TRANSFER,
        idempotency_key=key,
    )
    return Status(200 if getattr(entry, "replayed", False) else 201, entry)


@router.post("/entries/{int:entry_id}/reverse", response={201: EntryOut})
@scoped("funds.reverse")
def entry_reverse(request, entry_id: int, payload: ReverseIn):
    entry = selectors.get_entry_for(fetched_by=request.user, pk=entry_id)
    reversal = services.entry_reverse(entry=entry, acting_user=request.user, reason=payload.reason)
    return Status(201, reversal)


class RecipientOut(Schema):
    id: int
    region_code: str
    region_name: str
    indicators: dict
    need_index: float
    floor: int
    cap: int | None
    committed: int
    amount_proportional: int | None
    amount_optimised: int | None
    amount: int | None
    last_period_amount: int | None
    binding: list
    explanation: str
    confirmed_at: datetime | None


class IndicatorOut(Schema):
    key: str
    label: str
    weight: float
    source: str


class AllocationPlanOut(Schema):
    id: int
    title: str
    period: int
    resource: str
    pot: int
    region_code: str
    equity_bound: int
    method: str
    status: str
    solver_status: str
    solver_message: dict


class PlanDetailOut(AllocationPlanOut):
    indicators: list[IndicatorOut]
    recipients: list[RecipientOut]

    @staticmethod
    def resolve_indicators(obj):
        return list(obj.indicators.all())

    @staticmethod
    def resolve_recipients(obj):
        return list(obj.recipients.order_by("region_code"))


EquityBound = Count(0, 1000)  # per cent


class PlanIn(Schema):
    title: ModelText(AllocationPlan, "title")
    period: PlannedYear
    pot: PositiveFen
    resource: Choice(Resource) = "money"
    source: Choice(FundSource) = "local"
    equity_bound: EquityBound = 50
    weights: Weights | None = None


class BoundIn(Schema):
    recipient_id: Id
    floor: Fen | None = None
    cap: Fen | None = None
    committed: Fen | None = None


class PlanInputsIn(Schema):
    pot: PositiveFen | None = None
    equity_bound: EquityBound | None = None
    method: Choice(Method) | None = None
    weights: Weights | None = None
    bounds: list[BoundIn] = Field([], max_length=1000)


class ActionIn(Schema):
    action: Literal[PLAN.offered_names]
    note: Text(300) = ""


@router.get("/plans", response=list[AllocationPlanOut])
@scoped("funds.view")
@paginate(Pagination, page_size=25)
def plan_list(request, status: Literal[("", *workflow.STATES)] = ""):
    return selectors.plan_list(fetched_by=request.user, status=status)


@router.get("/plans/{int:plan_id}", response=PlanDetailOut)
@scoped("funds.view")
def plan_detail(request, plan_id: int):
    return selectors.get_plan_for(fetched_by=request.user, pk=plan_id)


@router.post("/plans", response={201: PlanDetailOut})
@scoped("funds.plan_edit")
def plan_create(request, payload: PlanIn):
    return Status(201, services.plan_create(acting_user=request.user, **payload.dict()))


@router.patch(
    "/plans/{int:plan_id}",
    response=PlanDetailOut,
    summary="Change pot, weights, floors/caps/committed or method; recomputes",
)
@scoped("funds.plan_edit")
def plan_update(request, plan_id: int, payload: PlanInputsIn):
    plan = selectors.get_plan_for(fetched_by=request.user, pk=plan_id)
    bounds = {
        b.recipient_id: {
            k: v for k, v in b.dict().items() if k != "recipient_id" and k in b.model_fields_set
        }
        for b in payload.bounds
    }
    services.plan_update_inputs(
        plan=plan,
        acting_user=request.user,
        pot=payload.pot,
        equity_bound=payload.equity_bound,
        weights=payload.weights,
        bounds=bounds,
        method=payload.method,
    )
    return selectors.get_plan_for(fetched_by=request.user, pk=plan_id)


action_route(router, PLAN, path="/plans", response=PlanDetailOut)


@router.post(
    "/plans/{int:plan_id}/actions",
    response=PlanDetailOut,
    summary="submit / return / approve / disburse (the action in the body; the same as "
    "POST /plans/{pk}/actions/{action})",
)
@scoped("funds.view")
def plan_action(request, plan_id: int, payload: ActionIn):
    plan = selectors.get_plan_for(fetched_by=request.user, pk=plan_id)
    PLAN.perform(payload.action, obj=plan, acting_user=request.user, data={"note": payload.note})
    return selectors.get_plan_for(fetched_by=request.user, pk=plan_id)


action_route(router, RECEIPT, path="/receipts", response=RecipientOut)


@router.post(
    "/receipts/{int:recipient_id}/confirm",
    response=RecipientOut,
    summary="Confirm the money arrived (the same as POST /receipts/{pk}/actions/confirm)",
)
@scoped("funds.confirm_receipt")
def receipt_confirm(request, recipient_id: int):
    recipient = selectors.get_recipient_for(fetched_by=request.user, pk=recipient_id)
    RECEIPT.perform("confirm", obj=recipient, acting_user=request.user)
    return selectors.get_recipient_for(fetched_by=request.user, pk=recipient_id)


class DonationOut(Schema):
    id: int
    receipt_number: str
    organisation_id: int
    donor_name: str
    kind: str
    amount: int
    restricted_purpose: str
    restricted_region: str
    restricted_group: str
    received_on: date

    @staticmethod
    def resolve_donor_name(obj) -> str:
        return obj.donor.name


class UseOut(Schema):
    id: int
    target: str
    purpose: str
    beneficiary_region: str
    beneficiary_group: str
    description: str
    amount: int
    used_on: date
    entry_id: int | None


class TraceOut(Schema):
    donation: DonationOut
    uses: list[UseOut]
    used: int
    remaining: int
    entries: list[int]


class DonationIn(Schema):
    donor_kind: Choice(Donor.Kind) = "person"
    donor_name: ModelText(Donor, "name", min_length=1)
    donor_credit_code: ModelText(Donor, "credit_code") = ""
    kind: Choice(Donation.Kind) = "money"
    amount: PositiveFen
    received_on: PastDate
    restricted_purpose: Choice(Purpose, blank=True) = ""
    restricted_region: Digits = ""
    restricted_group: ModelText(Donation, "restricted_group") = ""
    goods_description: ModelText(Donation, "goods_description") = ""
    idempotency_key: IdempotencyKey | None = None


class UseIn(Schema):
    target: Choice(DonationUse.Target)
    purpose: Choice(Purpose)
    # A code (resolved by regions.selectors.region_resolve in the service). RegionText would take
    # a name too, but it does not refuse control characters yet (tests/api/test_openapi.py).
    beneficiary_region: Digits
    beneficiary_group: ModelText(DonationUse, "beneficiary_group") = ""
    beneficiary_name: ModelText(DonationUse, "beneficiary_name") = ""
    record_ref: ModelText(DonationUse, "record_ref") = ""
    description: ModelText(DonationUse, "description", min_length=1)
    amount: PositiveFen
    used_on: PastDate


@router.get("/donations", response=list[DonationOut])
@scoped("funds.view")
@paginate(Pagination, page_size=25)
def donation_list(request):
    return selectors.donation_list(fetched_by=request.user)


@router.get("/donations/{int:donation_id}/trace", response=TraceOut)
@scoped("funds.view")
def donation_trace(request, donation_id: int):
    trace = selectors.donation_trace(
        selectors.get_donation_for(fetched_by=request.user, pk=donation_id)
    )
    return {
        "donation": trace.donation,
        "uses": trace.uses,
        "used": trace.used,
        "remaining": trace.remaining,
        "entries": [e.pk for e in trace.entries],
    }


@router.post("/donations", response={200: DonationOut, 201: DonationOut})
@scoped("funds.donation_edit")
def donation_create(request, payload: DonationIn):
    donation = services.donation_register(
        acting_user=request.user,
        organisation=request.user.active_membership.organisation,
        donor_kind=payload.donor_kind,
        donor_name=payload.donor_name,
        donor_credit_code=payload.donor_credit_code,
        kind=payload.kind,
        amount=payload.amount,
        received_on=payload.received_on,
        restricted_purpose=payload.restricted_purpose,
        restricted_region=payload.restricted_region,
        restricted_group=payload.restricted_group,
        goods_description=payload.goods_description,
        idempotency_key=request.headers.get("Idempotency-Key") or payload.idempotency_key,
    )
    return Status(200 if donation.replayed else 201, donation)


@router.post("/donations/{int:donation_id}/uses", response={201: UseOut})
@scoped("funds.donation_edit")
def donation_use(request, donation_id: int, payload: UseIn):
    donation = selectors.get_donation_for(fetched_by=request.user, pk=donation_id)
    use = services.donation_use(acting_user=request.user, donation=donation, **payload.dict())
    return Status(201, use)


# ---- paired assistance (对口协作/对口支援) -----------------------------------------------------
# Both sides see a pairing and its transfers; the giver's department agrees and pays (the same
# services as the pages: funds.services.pairing_agree / pairing_transfer).


class PairingOut(Schema):
    id: int
    title: str
    year: int
    giver_id: int
    giver_name: str
    receiver_id: int
    receiver_name: str
    region_code: str = Field(description="支援方区划")
    partner_region: str = Field(description="受援方区划")
    agreed_amount: int
    delivered: int
    remaining: int
    note: str

    @staticmethod
    def resolve_giver_name(obj) -> str:
        return obj.giver.name

    @staticmethod
    def resolve_receiver_name(obj) -> str:
        return obj.receiver.name

    @staticmethod
    def resolve_delivered(obj) -> int:
        return selectors.pairing_delivered(obj)

    @staticmethod
    def resolve_remaining(obj) -> int:
        return obj.agreed_amount - selectors.pairing_delivered(obj)


class PairingDetailOut(PairingOut):
    entries: list[EntryOut]

    @staticmethod
    def resolve_entries(obj) -> list:
        return list(selectors.pairing_entries(obj).prefetch_related("lines"))


class PairingIn(Schema):
    receiver_region: RegionText = Field(
        description="受援方区划（代码或名称，全国范围）：其社会工作部门为受援方"
    )
    year: PlannedYear
    agreed_amount: PositiveFen
    title: ModelText(Pairing, "title") = ""
    note: Text(2000) = ""


class PairingTransferIn(Schema):
    amount: PositiveFen
    memo: ModelText(JournalEntry, "memo") = ""
    source: Choice(FundSource) = "local"
    idempotency_key: IdempotencyKey | None = None


@router.get("/pairings", response=list[PairingOut], summary="Pairings on either side")
@scoped("funds.view")
@paginate(Pagination, page_size=25)
def pairing_list(request):
    return selectors.pairing_list(fetched_by=request.user).order_by("-year", "id")


@router.get("/pairings/{int:pairing_id}", response=PairingDetailOut)
@scoped("funds.view")
def pairing_detail(request, pairing_id: int):
    return selectors.get_pairing_for(fetched_by=request.user, pk=pairing_id)


@router.post(
    "/pairings",
    response={201: PairingDetailOut},
    summary="Agree paired assistance from your department to a region's department",
)
@scoped("funds.pairing_edit")
def pairing_create(request, payload: PairingIn):
    data = payload.dict()
    # The partner is found nationwide, as on the page (PairingForm): the other side is elsewhere.
    region = region_resolve(data.pop("receiver_region"), field="receiver_region")
    pairing = services.pairing_agree(acting_user=request.user, receiver_region=region, **data)
    return Status(201, selectors.get_pairing_for(fetched_by=request.user, pk=pairing.pk))


@router.post(
    "/pairings/{int:pairing_id}/transfers",
    response={200: EntryOut, 201: EntryOut},
    summary="Transfer against the agreement (giver only); Idempotency-Key makes retries safe",
)
@scoped("funds.pairing_edit")
def pairing_transfer(request, pairing_id: int, payload: PairingTransferIn):
    pairing = selectors.get_pairing_for(fetched_by=request.user, pk=pairing_id)
    entry = services.pairing_transfer(
        pairing=pairing,
        acting_user=request.user,
        amount=payload.amount,
        memo=payload.memo,
        source=payload.source,
        idempotency_key=request.headers.get("Idempotency-Key") or payload.idempotency_key,
    )
    return Status(200 if getattr(entry, "replayed", False) else 201, entry)

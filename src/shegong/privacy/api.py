"""Consent records, the processing log and the retention policy over the API (the same selectors
and services as the pages)."""

from datetime import date, datetime

from ninja import Router, Schema

from shegong.core.api_schema import ModelText, PastDate
from shegong.core.api_utils import require_perm
from shegong.people.selectors import get_resident_for
from shegong.privacy import retention, selectors, services
from shegong.privacy.models import (
    Basis,
    Consent,
    GivenBy,
    GuardianRelation,
    Method,
    Purpose,
    Statute,
)

router = Router(tags=["privacy 个人信息保护"])


class ConsentOut(Schema):
    id: int
    resident_id: int
    purpose: str
    basis: str
    statute: str
    given_by: str
    lacks_capacity: bool
    guardian_name: str
    guardian_relation: str
    method: str
    given_on: date
    note: str
    recorded_at: datetime
    in_effect: bool
    withdrawn_on: date | None
    withdrawn_by_name: str


class ConsentIn(Schema):
    purpose: Purpose
    basis: Basis
    given_on: PastDate
    method: Method | None = None
    given_by: GivenBy | None = None
    lacks_capacity: bool = False
    guardian_name: ModelText(Consent, "guardian_name") = ""
    guardian_relation: GuardianRelation | None = None
    statute: Statute | None = None
    note: ModelText(Consent, "note") = ""


class ConsentWithdrawIn(Schema):
    withdrawn_on: PastDate
    withdrawn_by_name: ModelText(Consent, "withdrawn_by_name", min_length=1)


class PurposeRuleOut(Schema):
    purpose: str
    label: str
    requires_basis: bool
    statutory_allowed: bool
    enforced_at: str
    on_withdrawal: str


class ProcessingLogEntryOut(Schema):
    at: datetime
    category: str
    category_label: str
    what: str
    actor: str
    detail: str


class RetentionKindOut(Schema):
    key: str
    label: str
    years: int
    default_years: int
    starts: str
    cleared: str
    cutoff: date


@router.get("/residents/{int:resident_id}/consents", response=list[ConsentOut])
def consent_list(request, resident_id: int):
    require_perm(request, "people.view")
    resident = get_resident_for(fetched_by=request.user, pk=resident_id)
    return list(selectors.consents_of(fetched_by=request.user, resident=resident))


@router.post("/residents/{int:resident_id}/consents", response={201: ConsentOut})
def consent_create(request, resident_id: int, payload: ConsentIn):
    require_perm(request, "privacy.record_consent")
    resident = get_resident_for(fetched_by=request.user, pk=resident_id)
    data = {k: ("" if v is None else v) for k, v in payload.dict().items()}
    consent = services.consent_record(
        acting_user=request.user, resident=resident, request=request, **data
    )
    return 201, consent


@router.post("/consents/{int:consent_id}/withdraw", response=ConsentOut)
def consent_withdraw(request, consent_id: int, payload: ConsentWithdrawIn):
    require_perm(request, "privacy.record_consent")
    consent = selectors.get_consent_for(request.user, consent_id)
    return services.consent_withdraw(
        acting_user=request.user, consent=consent, request=request, **payload.dict()
    )


@router.get("/purposes", response=list[PurposeRuleOut], summary="Processing purposes and rules")
def purpose_list(request):
    require_perm(request, "people.view")
    return [
        {
            **r,
            "label": str(r["label"]),
            "enforced_at": str(r["enforced_at"]),
            "on_withdrawal": str(r["on_withdrawal"]),
        }
        for r in selectors.purpose_rules()
    ]


@router.get(
    "/residents/{int:resident_id}/processing-log",
    response=list[ProcessingLogEntryOut],
    summary="Everything done with one resident's personal information, oldest first",
)
def processing_log(request, resident_id: int):
    require_perm(request, "privacy.processing_log")
    _resident, entries = selectors.processing_log(fetched_by=request.user, resident_id=resident_id)
    return entries


@router.get("/retention", response=list[RetentionKindOut], summary="The retention policy")
def retention_policy(request):
    require_perm(request, "privacy.retention")
    return [
        {
            **row,
            "label": str(row["label"]),
            "starts": str(row["starts"]),
            "cleared": str(row["cleared"]),
        }
        for row in retention.policy()
    ]

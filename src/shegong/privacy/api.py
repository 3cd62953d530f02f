"""Consent records, the processing log and the retention policy over the API (the same selectors
and services as the pages)."""

from shegong.core.api_access import Router, scoped
from shegong.people.selectors import get_resident_for
from shegong.privacy import retention, selectors, services
from shegong.privacy.schemas import (
    ConsentIn,
    ConsentOut,
    ConsentWithdrawIn,
    ProcessingLogEntryOut,
    PurposeRuleOut,
    RetentionKindOut,
)

router = Router(tags=["privacy 个人信息保护"])


@router.get("/residents/{int:resident_id}/consents", response=list[ConsentOut])
@scoped("people.view")
def consent_list(request, resident_id: int):
    resident = get_resident_for(fetched_by=request.user, pk=resident_id)
    return list(selectors.consents_of(fetched_by=request.user, resident=resident))


@router.post("/residents/{int:resident_id}/consents", response={201: ConsentOut})
@scoped("privacy.record_consent")
def consent_create(request, resident_id: int, payload: ConsentIn):
    resident = get_resident_for(fetched_by=request.user, pk=resident_id)
    data = {k: ("" if v is None else v) for k, v in payload.dict().items()}
    consent = services.consent_record(
        acting_user=request.user, resident=resident, request=request, **data
    )
    return 201, consent


@router.post("/consents/{int:consent_id}/withdraw", response=ConsentOut)
@scoped("privacy.record_consent")
def consent_withdraw(request, consent_id: int, payload: ConsentWithdrawIn):
    consent = selectors.get_consent_for(fetched_by=request.user, pk=consent_id)
    return services.consent_withdraw(
        acting_user=request.user, consent=consent, request=request, **payload.dict()
    )


@router.get("/purposes", response=list[PurposeRuleOut], summary="Processing purposes and rules")
@scoped("people.view")
def purpose_list(request):
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
@scoped("privacy.processing_log")
def processing_log(request, resident_id: int):
    _resident, entries = selectors.processing_log(fetched_by=request.user, resident_id=resident_id)
    return entries


@router.get("/retention", response=list[RetentionKindOut], summary="The retention policy")
@scoped("privacy.retention")
def retention_policy(request):
    return [
        {
            **row,
            "label": str(row["label"]),
            "starts": str(row["starts"]),
            "cleared": str(row["cleared"]),
        }
        for row in retention.policy()
    ]

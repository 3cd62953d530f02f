"""Referring a case to another organisation (转介) and the answer of the one receiving it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import Case, CaseTransition, Referral
from shegong.cases.selectors import default_supervisor
from shegong.cases.services.intake import _org_of
from shegong.cases.services.plan import _ensure_open
from shegong.cases.workflow import (
    ReferralStatus,
)
from shegong.core.errors import ApplicationError
from shegong.inbox import selectors as inbox_selectors
from shegong.inbox import services as inbox
from shegong.orgs.models import Organisation
from shegong.privacy.selectors import ensure_sharing_allowed

LOCKED_ROW = (
    "Locks (and re-reads) a case the caller already read through its scope, or the one a "
    "pending referral offers to the caller's organisation."
)


@transaction.atomic
def referral_create(
    *, case: Case, acting_user: User, to_organisation: Organisation, reason: str
) -> Referral:
    _ensure_open(case)
    if to_organisation.pk == case.organisation_id:
        raise ValidationError({"to_organisation": _("不能转介给本机构。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写转介原因。")})
    if case.referrals.filter(status=ReferralStatus.PENDING).exists():
        raise ApplicationError(_("该个案已有待接收的转介。"))
    # Providing the resident's information to an organisation outside the public administration
    # needs their (or their guardian's) consent or a statutory basis (PIPL Arts. 13, 23).
    ensure_sharing_allowed(case.resident, to_organisation, field="to_organisation")
    referral = Referral(
        case=case,
        from_organisation=case.organisation,
        to_organisation=to_organisation,
        reason=reason.strip(),
        referred_by=acting_user,
    )
    referral._history_user = acting_user
    referral.save()
    inbox.notify(
        recipient_ids=inbox_selectors.members_who_may(
            [to_organisation.pk], "cases.respond_referral"
        ).get(to_organisation.pk, []),
        region_code=to_organisation.region_id,
        kind="case_referred",
        params={"number": case.number, "reason": referral.reason[:100]},
        url=reverse("cases:referrals"),
        key=f"case-referral:{referral.pk}",
    )
    return referral


@transaction.atomic
def referral_respond(
    *, referral: Referral, acting_user: User, accept: bool, reason: str = ""
) -> Referral:
    """The receiving organisation answers; on acceptance the case moves to it."""
    if referral.status != ReferralStatus.PENDING:
        raise ApplicationError(_("该转介已答复。"))
    if _org_of(acting_user).pk != referral.to_organisation_id:
        raise ApplicationError(_("只有接收机构可以答复转介。"))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("拒绝转介时请说明原因。")})
    if accept:  # the consent may have been withdrawn while the referral waited
        ensure_sharing_allowed(
            referral.case.resident, referral.to_organisation, field="to_organisation"
        )
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.response_reason = reason.strip()[:300]
    referral.responded_by = acting_user
    referral.responded_at = timezone.now()
    referral._history_user = acting_user
    referral.save()
    if accept:
        case = Case.objects.unscoped(reason=LOCKED_ROW).select_for_update().get(pk=referral.case_id)
        org = referral.to_organisation
        case.organisation = org
        case.region_code = org.region_id
        case.worker = acting_user
        case.supervisor = default_supervisor(org)
        case._history_user = acting_user
        case.save(
            update_fields=["organisation", "region_code", "worker", "supervisor", "updated_at"]
        )
        CaseTransition.objects.create(
            case=case,
            from_status=case.status,
            to_status=case.status,
            by=acting_user,
            note=_("转介至 %(o)s，已接收") % {"o": org.name},
        )
    return referral

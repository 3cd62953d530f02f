"""Charity donations: donors, receipts posted to restricted accounts, and their uses."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.regioncode import RegionCode
from shegong.core.scoping import jurisdiction_of
from shegong.core.validation import check_past_event_date, not_before
from shegong.funds import selectors
from shegong.funds.amounts import check_fen
from shegong.funds.models import (
    AccountKind,
    Donation,
    DonationUse,
    Donor,
    EntryKind,
    FundSource,
    JournalEntry,
    Purpose,
    yuan,
)
from shegong.funds.services.accounts import account_for, spend_post
from shegong.funds.services.ledger import Line, entry_post
from shegong.orgs.models import Organisation
from shegong.regions.selectors import region_resolve

# Reasons are declared in each module that reads unscoped (tests/core/test_unscoped_reads.py).
LEDGER = (
    "Ledger internals on rows the caller already read through its scope (locks in "
    "primary-key order, running totals, reversals, the accounts of an authorised "
    "organisation); a transfer touches both sides."
)

RECEIPT_NUMBERS = (
    "Receipt numbers run per organisation and year: counting that organisation's receipts "
    "gives the next number; nothing else is read."
)


def donor_create(
    *,
    acting_user: Any,
    kind: str,
    name: str,
    credit_code: str = "",
    phone: str = "",
    is_anonymous: bool = False,
    region_code: str = "",
) -> Donor:
    from shegong.orgs.validators import check_credit_code_kind, clean_credit_code

    if not name.strip():
        raise ValidationError({"name": _("请填写捐赠人名称。")})
    if kind not in Donor.Kind.values:
        raise ValidationError({"kind": _("未知的捐赠人类型。")})
    if kind == Donor.Kind.ORGANISATION and credit_code:
        # A donor may be any body (an enterprise, a foundation…): only GB 32100's table applies.
        try:
            credit_code = clean_credit_code(credit_code)
            check_credit_code_kind(credit_code, kind="")
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages})
    region_code = region_code or jurisdiction_of(acting_user).region_code
    donor = Donor(
        kind=kind,
        name=name.strip(),
        credit_code=credit_code.upper(),
        phone=phone,
        is_anonymous=is_anonymous,
        region_code=region_code,
    )
    donor._history_user = acting_user
    donor.save()
    return donor


def _receipt_number(organisation: Organisation, year: int) -> str:
    prefix = f"JZ{year}-{organisation.region_id[:6]}-{organisation.pk:04d}-"
    count = (
        Donation.objects.unscoped(reason=RECEIPT_NUMBERS)
        .filter(receipt_number__startswith=prefix)
        .count()
    )
    return f"{prefix}{count + 1:05d}"


@transaction.atomic
def donation_receive(
    *,
    acting_user: Any,
    organisation: Organisation,
    donor: Donor,
    kind: str,
    amount: int,
    received_on: date,
    restricted_purpose: str = "",
    restricted_region: str = "",
    restricted_group: str = "",
    goods_description: str = "",
    idempotency_key: str | None = None,
) -> Donation:
    """Record a donation, issue its receipt number and post it to the restricted charity account
    (money and goods alike, goods at their estimated value)."""
    if acting_user is not None and not jurisdiction_of(acting_user).contains(
        organisation.region_id
    ):
        raise ValidationError({"organisation": _("受赠单位不在您的辖区范围内。")})
    if idempotency_key:
        existing = selectors.donation_by_key(
            fetched_by=acting_user, idempotency_key=idempotency_key
        )
        if existing is not None:
            return existing
    check_fen(amount)
    check_past_event_date(received_on, field="received_on")
    if kind not in Donation.Kind.values:
        raise ValidationError({"kind": _("未知的捐赠类型。")})
    if restricted_purpose not in Purpose.values:
        raise ValidationError({"restricted_purpose": _("未知的用途。")})
    if restricted_region:
        # Anywhere in the country (a donor may restrict a gift to another province's area).
        region = region_resolve(restricted_region, field="restricted_region")
        if not RegionCode.looks_like(restricted_region):
            restricted_region = RegionCode(region.code).prefix
    if kind == Donation.Kind.GOODS and not goods_description.strip():
        raise ValidationError({"goods_description": _("物资捐赠请填写物资明细。")})
    account = account_for(
        organisation=organisation, source=FundSource.CHARITY, purpose=restricted_purpose
    )
    donation = Donation(
        organisation=organisation,
        region_code=organisation.region_id,
        donor=donor,
        kind=kind,
        amount=amount,
        goods_description=goods_description,
        restricted_purpose=restricted_purpose,
        restricted_region=restricted_region,
        restricted_group=restricted_group.strip(),
        receipt_number=_receipt_number(organisation, received_on.year),
        received_on=received_on,
        account=account,
        recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    donation._history_user = acting_user
    donation.save()
    income = account_for(
        organisation=organisation, source=FundSource.CHARITY, kind=AccountKind.FUNDING
    )
    entry_post(
        acting_user=acting_user,
        lines=[Line(account, debit=amount), Line(income, credit=amount)],
        memo=_("接收捐赠 %(r)s（%(d)s）") % {"r": donation.receipt_number, "d": donor.public_name},
        kind=EntryKind.DONATION,
        donation=donation,
        idempotency_key=idempotency_key,
    )
    return donation


@transaction.atomic
def donation_register(
    *,
    acting_user: Any,
    organisation: Organisation,
    donor_kind: str,
    donor_name: str,
    kind: str,
    amount: int,
    received_on: date,
    donor_credit_code: str = "",
    donor_phone: str = "",
    is_anonymous: bool = False,
    restricted_purpose: str = "",
    restricted_region: str = "",
    restricted_group: str = "",
    goods_description: str = "",
    idempotency_key: str | None = None,
) -> Donation:
    """Register a donor and their donation in one step (the donation form and the API). A retry
    with the same idempotency key returns the first donation, marked `replayed`, and writes
    nothing."""
    if idempotency_key:
        existing = selectors.donation_by_key(
            fetched_by=acting_user, idempotency_key=idempotency_key
        )
        if existing is not None:
            existing.replayed = True
            return existing
    donor = donor_create(
        acting_user=acting_user,
        kind=donor_kind,
        name=donor_name,
        credit_code=donor_credit_code,
        phone=donor_phone,
        is_anonymous=is_anonymous,
        region_code=organisation.region_id,
    )
    donation = donation_receive(
        acting_user=acting_user,
        organisation=organisation,
        donor=donor,
        kind=kind,
        amount=amount,
        received_on=received_on,
        restricted_purpose=restricted_purpose,
        restricted_region=restricted_region,
        restricted_group=restricted_group,
        goods_description=goods_description,
        idempotency_key=idempotency_key,
    )
    donation.replayed = False
    return donation


@transaction.atomic
def donation_use(
    *,
    acting_user: Any,
    donation: Donation,
    target: str,
    purpose: str,
    beneficiary_region: str,
    amount: int,
    description: str,
    used_on: date,
    beneficiary_group: str = "",
    beneficiary_name: str = "",
    record_ref: str = "",
) -> DonationUse:
    """Apply part of a donation; never beyond its restriction (purpose, region, group) or its
    remaining amount. The donation row is locked so concurrent uses cannot overspend it."""
    donation = Donation.objects.unscoped(reason=LEDGER).select_for_update().get(pk=donation.pk)
    if acting_user is not None and not jurisdiction_of(acting_user).contains(donation.region_code):
        raise ValidationError({"donation": _("该捐赠不在您的辖区范围内。")})
    fen = check_fen(amount)
    check_past_event_date(used_on, field="used_on")
    not_before(
        used_on,
        donation.received_on,
        field="used_on",
        message=_("使用日期不能早于捐赠收到日期（%(d)s）。") % {"d": donation.received_on},
    )
    if target not in DonationUse.Target.values:
        raise ValidationError({"target": _("未知的使用去向。")})
    if purpose not in Purpose.values or not purpose:
        raise ValidationError({"purpose": _("请选择用途。")})
    if donation.restricted_purpose and purpose != donation.restricted_purpose:
        raise ValidationError(
            {
                "purpose": _("该捐赠限定用于“%(p)s”，不能用于“%(q)s”。")
                % {"p": donation.get_restricted_purpose_display(), "q": Purpose(purpose).label}
            }
        )
    beneficiary_region = region_resolve(beneficiary_region, field="beneficiary_region").code
    if donation.restricted_region and not beneficiary_region.startswith(
        donation.restricted_region.rstrip("0") or donation.restricted_region
    ):
        raise ValidationError(
            {
                "beneficiary_region": _("该捐赠限定用于区划 %(r)s，受益地区 %(b)s 不在其中。")
                % {"r": donation.restricted_region, "b": beneficiary_region}
            }
        )
    if donation.restricted_group and beneficiary_group.strip() != donation.restricted_group:
        raise ValidationError(
            {
                "beneficiary_group": _("该捐赠限定受益人群为“%(g)s”。")
                % {"g": donation.restricted_group}
            }
        )
    remaining = donation.amount - selectors.donation_used(donation)
    if fen > remaining:
        raise ValidationError(
            {
                "amount": _("超出捐赠余额：剩余 %(r)s 元，本次 %(n)s 元。")
                % {"r": yuan(remaining), "n": yuan(fen)}
            }
        )
    entry = spend_post(
        acting_user=acting_user,
        account=donation.account,
        amount=fen,
        memo=_("捐赠 %(r)s 使用：%(d)s") % {"r": donation.receipt_number, "d": description},
    )
    JournalEntry.objects.unscoped(reason=LEDGER).filter(pk=entry.pk).update(donation=donation)
    use = DonationUse.objects.create(
        donation=donation,
        region_code=donation.region_code,
        target=target,
        purpose=purpose,
        beneficiary_region=beneficiary_region,
        beneficiary_group=beneficiary_group.strip(),
        description=description.strip(),
        beneficiary_name=beneficiary_name.strip(),
        record_ref=record_ref.strip(),
        amount=fen,
        used_on=used_on,
        entry=entry,
        recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    return use

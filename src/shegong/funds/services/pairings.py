"""Paired assistance (对口协作/对口支援): agreements and the transfers made against them.

A pairing crosses jurisdictions by design: the giver (the acting user's own department) agrees
with the department of a region anywhere in the country; both sides see the pairing and its
transfers (`PairingQuerySet.in_subtree`), only the giver's side pays into it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.scoping import jurisdiction_of
from shegong.funds import selectors
from shegong.funds.amounts import check_fen
from shegong.funds.models import (
    EntryKind,
    FundSource,
    JournalEntry,
    Pairing,
    yuan,
)
from shegong.funds.services.accounts import account_for
from shegong.funds.services.ledger import Line, entry_post
from shegong.orgs.models import Organisation


@transaction.atomic
def pairing_create(
    *,
    acting_user: Any,
    giver: Organisation,
    receiver: Organisation,
    year: int,
    agreed_amount: int,
    title: str = "",
    note: str = "",
) -> Pairing:
    if acting_user is not None and not jurisdiction_of(acting_user).contains(giver.region_id):
        raise ValidationError({"giver": _("支援方不在您的辖区范围内。")})
    if giver.pk == receiver.pk:
        raise ValidationError({"receiver": _("支援方和受援方不能相同。")})
    check_fen(agreed_amount, field="agreed_amount")
    pairing = Pairing(
        giver=giver,
        receiver=receiver,
        region_code=giver.region_id,
        partner_region=receiver.region_id,
        year=year,
        agreed_amount=agreed_amount,
        title=title or f"{giver.region.name}—{receiver.region.name}对口协作（{year}年）",
        note=note,
    )
    pairing._history_user = acting_user
    pairing.save()
    return pairing


@transaction.atomic
def pairing_agree(
    *,
    acting_user: Any,
    receiver_region: Any,
    year: int,
    agreed_amount: int,
    title: str = "",
    note: str = "",
) -> Pairing:
    """The acting user's department agrees to support the department of `receiver_region` (a
    region resolved nationwide: the partner is elsewhere by design)."""
    membership = getattr(acting_user, "active_membership", None)
    giver = getattr(membership, "organisation", None)
    if giver is None:
        raise ValidationError({"giver": _("支援方不在您的辖区范围内。")})
    receiver = selectors.department_of(receiver_region.code)
    if receiver is None:
        raise ValidationError({"receiver_region": _("该区划没有社会工作部门。")})
    if (
        Pairing.objects.visible_to(acting_user)
        .filter(giver=giver, receiver=receiver, year=year)
        .exists()
    ):
        raise ValidationError({"year": _("与该受援方本年度的对口协作已经登记。")})
    return pairing_create(
        acting_user=acting_user,
        giver=giver,
        receiver=receiver,
        year=year,
        agreed_amount=agreed_amount,
        title=title,
        note=note,
    )


@transaction.atomic
def pairing_transfer(
    *,
    pairing: Pairing,
    acting_user: Any,
    amount: Any,
    memo: str,
    source: str = FundSource.LOCAL,
    idempotency_key: str | None = None,
    posted_at=None,
) -> JournalEntry:
    """A horizontal transfer from the giver's account to the receiver's pairing account."""
    if acting_user is not None and not jurisdiction_of(acting_user).contains(pairing.region_code):
        raise ValidationError({"pairing": _("只有支援方可以拨付协作资金。")})
    # Two transfers at once must not together pass the agreed amount: lock the agreement first.
    agreements = (
        Pairing.objects.visible_to(acting_user)
        if acting_user is not None
        else Pairing.objects.unscoped(reason="A transfer posted by the system (demo seeding).")
    )
    list(agreements.select_for_update().filter(pk=pairing.pk).values_list("pk", flat=True))
    fen = check_fen(amount)
    delivered = selectors.pairing_delivered(pairing)
    if delivered + fen > pairing.agreed_amount:
        raise ValidationError(
            {
                "amount": _("超出协议年度资金：协议 %(a)s 元，已拨付 %(d)s 元，本次 %(n)s 元。")
                % {"a": yuan(pairing.agreed_amount), "d": yuan(delivered), "n": yuan(fen)}
            }
        )
    from_account = account_for(organisation=pairing.giver, source=source)
    to_account = account_for(organisation=pairing.receiver, source=FundSource.OTHER)
    return entry_post(
        acting_user=acting_user,
        lines=[Line(to_account, debit=fen), Line(from_account, credit=fen)],
        memo=memo or pairing.title,
        kind=EntryKind.PAIRING,
        idempotency_key=idempotency_key,
        receiver_outside_ok=True,
        pairing=pairing,
        posted_at=posted_at,
    )

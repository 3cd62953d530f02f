"""Paired assistance (对口协作): agreements and the transfers made against them."""

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

"""Writes of the funds app, split by subdomain (reads are in `funds.selectors`):

- `ledger`: balanced, immutable entries; transfers and reversals;
- `accounts`: accounts opened on first use, appropriations, spending;
- `plans`: allocation plans drafted, edited, recomputed and copied;
- `population`: the population figures uploaded as a need indicator;
- `plan_flow`: the plan's lifecycle (submit, return, approve, disburse) and receipts;
- `pairings`: paired assistance and its transfers;
- `donations`: donors, donations and their uses.

`from shegong.funds import services; services.plan_create(...)` keeps working: each service is
re-exported here.
"""

from shegong.funds import optimiser
from shegong.funds.amounts import MAX_FEN, check_fen, parse_yuan
from shegong.funds.services.accounts import (
    account_for,
    appropriation_post,
    source_for_transfer,
    spend_post,
)
from shegong.funds.services.donations import (
    donation_receive,
    donation_register,
    donation_use,
    donor_create,
)
from shegong.funds.services.ledger import Line, entry_post, entry_reverse, transfer_post
from shegong.funds.services.pairings import pairing_agree, pairing_create, pairing_transfer
from shegong.funds.services.plan_flow import (
    plan_approve,
    plan_disburse,
    plan_return,
    plan_submit,
    receipt_confirm,
)
from shegong.funds.services.plans import (
    plan_compute,
    plan_copy,
    plan_create,
    plan_units,
    plan_update_inputs,
)
from shegong.funds.services.population import population_save

__all__ = [
    "MAX_FEN",
    "Line",
    "account_for",
    "appropriation_post",
    "check_fen",
    "donation_receive",
    "donation_register",
    "donation_use",
    "donor_create",
    "entry_post",
    "entry_reverse",
    "optimiser",
    "pairing_agree",
    "pairing_create",
    "pairing_transfer",
    "parse_yuan",
    "plan_approve",
    "plan_compute",
    "plan_copy",
    "plan_create",
    "plan_disburse",
    "plan_return",
    "plan_submit",
    "plan_units",
    "plan_update_inputs",
    "population_save",
    "receipt_confirm",
    "source_for_transfer",
    "spend_post",
    "transfer_post",
]

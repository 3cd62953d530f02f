"""Reads of the funds app, split by subdomain: what a user may see, balances, traces, reports.

- `ledger`: accounts, entries, lines, verification;
- `plans`: plans, recipients and receipts, population figures, the units a plan pays;
- `donations`: pairings, donations, traces, the public charity disclosure;
- `reports`: budget execution, flows between regions, home figures.

`from shegong.funds import selectors; selectors.get_plan_for(...)` keeps working: each read is
re-exported here.
"""

from shegong.funds.selectors.donations import (
    IDEMPOTENCY,
    PUBLIC_DISCLOSURE,
    Trace,
    Transparency,
    donation_by_key,
    donation_list,
    donation_trace,
    donation_used,
    get_donation_for,
    get_pairing_for,
    pairing_delivered,
    pairing_entries,
    pairing_list,
    public_disclosures,
    public_organisation,
    trace_back,
    transparency_of,
)
from shegong.funds.selectors.ledger import (
    OWN_ROWS,
    Verification,
    account_balance,
    account_lines,
    account_list,
    account_verify,
    entry_lines,
    entry_list,
    get_account_for,
    get_entry_for,
    postable_accounts,
)
from shegong.funds.selectors.plans import (
    RECIPIENTS,
    child_regions,
    department_of,
    get_plan_for,
    get_recipient_for,
    plan_changes,
    plan_list,
    population_figures,
    receipts_for,
    recipient_organisation,
)
from shegong.funds.selectors.reports import (
    ExecutionRow,
    execution_report,
    home_figures,
    sankey,
)

__all__ = [
    "ExecutionRow",
    "IDEMPOTENCY",
    "OWN_ROWS",
    "PUBLIC_DISCLOSURE",
    "RECIPIENTS",
    "Trace",
    "Transparency",
    "Verification",
    "account_balance",
    "account_lines",
    "account_list",
    "account_verify",
    "child_regions",
    "department_of",
    "donation_by_key",
    "donation_list",
    "donation_trace",
    "donation_used",
    "entry_lines",
    "entry_list",
    "execution_report",
    "get_account_for",
    "get_donation_for",
    "get_entry_for",
    "get_pairing_for",
    "get_plan_for",
    "get_recipient_for",
    "home_figures",
    "pairing_delivered",
    "pairing_entries",
    "pairing_list",
    "public_disclosures",
    "plan_changes",
    "plan_list",
    "population_figures",
    "postable_accounts",
    "public_organisation",
    "receipts_for",
    "recipient_organisation",
    "sankey",
    "trace_back",
    "transparency_of",
]

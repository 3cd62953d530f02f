"""Consent records, the processing log and the retention policy as the API shows them."""

from datetime import date, datetime

from ninja import Schema

from shegong.core.api_schema import ModelText, PastDate
from shegong.privacy.models import (
    Basis,
    Consent,
    GivenBy,
    GuardianRelation,
    Method,
    Purpose,
    Statute,
)


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

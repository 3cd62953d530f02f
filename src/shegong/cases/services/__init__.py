"""Writes for cases (个案), by subdomain; `from shegong.cases import services;
services.case_open(...)` keeps working through these re-exports."""

from shegong.cases.selectors import (
    ORG_MEMBERS,
    default_supervisor,
)
from shegong.cases.services.intake import (
    _org_of,
    case_from_visit,
    case_open,
)
from shegong.cases.services.plan import (
    _ensure_open,
    goal_add,
    record_add,
    task_add,
    task_done,
)
from shegong.cases.services.referrals import (
    referral_create,
    referral_respond,
)
from shegong.cases.services.reviews import (
    REVIEW_DAYS,
    review_decide,
    review_request,
)
from shegong.cases.services.transitions import (
    LOCKED_ROW,
    _check,
    case_move,
    case_transition,
    case_update_notes,
)

__all__ = [
    "_org_of",
    "case_open",
    "case_from_visit",
    "LOCKED_ROW",
    "_check",
    "case_transition",
    "case_move",
    "case_update_notes",
    "_ensure_open",
    "goal_add",
    "task_add",
    "task_done",
    "record_add",
    "REVIEW_DAYS",
    "review_request",
    "review_decide",
    "referral_create",
    "referral_respond",
    "ORG_MEMBERS",
    "default_supervisor",
]

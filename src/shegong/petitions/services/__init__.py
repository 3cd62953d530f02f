"""Writes of petitions, by subdomain: every action on a matter is one atomic service that checks
the transition declared in `workflow.MATTER`, saves, and writes the timeline event (who, when)
and, where it matters, audit. Reads live in `selectors` (and repeat detection in `repeats`).

`from shegong.petitions import services; services.matter_route(...)` keeps working: the names
below are re-exported from their modules."""

from shegong.petitions.repeats import (
    find_repeat,
    id_number_keys,
    phone_index_text,
    phone_key,
    phone_keys,
    similar,
)
from shegong.petitions.selectors import routing_proposal, routing_rule_for
from shegong.petitions.services.handling import (
    followup_record,
    matter_accept,
    matter_assign_leader,
    matter_close,
    matter_extend,
    matter_note,
    matter_rate_public,
    matter_reply,
    matter_supervise,
)
from shegong.petitions.services.intake import (
    MAX_REPRESENTATIVES,
    ReviewChoice,
    ReviewOffered,
    _clean_petitioners,
    attachment_add,
    matter_create_from_finding,
    matter_register,
)
from shegong.petitions.services.mediation import (
    agreement_record_confirmation,
    mediation_add_session,
    mediation_conclude,
    mediation_record_consent,
    mediation_start,
)
from shegong.petitions.services.ratings import rating_review_close, rating_review_open
from shegong.petitions.services.review import (
    matter_answer_review,
    matter_hearing,
    matter_request_review,
    review_request_record,
)
from shegong.petitions.services.routing import (
    matter_escalate_tier,
    matter_merge,
    matter_object,
    matter_route,
    matter_route_out,
    routing_rule_delete,
    routing_rule_save,
)

__all__ = [
    "MAX_REPRESENTATIVES",
    "ReviewChoice",
    "ReviewOffered",
    "_clean_petitioners",
    "agreement_record_confirmation",
    "attachment_add",
    "find_repeat",
    "followup_record",
    "id_number_keys",
    "matter_accept",
    "matter_answer_review",
    "matter_assign_leader",
    "matter_close",
    "matter_create_from_finding",
    "matter_escalate_tier",
    "matter_extend",
    "matter_hearing",
    "matter_merge",
    "matter_note",
    "matter_object",
    "matter_rate_public",
    "matter_register",
    "matter_reply",
    "matter_request_review",
    "matter_route",
    "matter_route_out",
    "matter_supervise",
    "mediation_add_session",
    "mediation_conclude",
    "mediation_start",
    "mediation_record_consent",
    "phone_index_text",
    "phone_key",
    "phone_keys",
    "rating_review_close",
    "rating_review_open",
    "routing_proposal",
    "routing_rule_delete",
    "routing_rule_for",
    "routing_rule_save",
    "review_request_record",
    "similar",
]

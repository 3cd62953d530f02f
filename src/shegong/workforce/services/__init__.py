"""The workforce services (writes), by subdomain: profiles, imports, training (registration,
courses, external hours, the daily sweep) and mentoring."""

from shegong.workforce.services.imports import workers_import
from shegong.workforce.services.mentoring import (
    max_mentees,
    pair_close,
    pair_create,
    session_record,
)
from shegong.workforce.services.profiles import (
    certificate_record,
    worker_change_post,
    worker_create,
    worker_leave,
    worker_prepare,
    worker_update,
)
from shegong.workforce.services.training import (
    course_create,
    enrolment_attend,
    enrolment_create,
    external_approve,
    external_reject,
    external_submit,
    registration_record,
    registration_renew,
    registrations_lapse,
    registrations_notify_at_risk,
    registrations_sweep,
)

__all__ = [
    "certificate_record",
    "course_create",
    "enrolment_attend",
    "enrolment_create",
    "external_approve",
    "external_reject",
    "external_submit",
    "max_mentees",
    "pair_close",
    "pair_create",
    "registration_record",
    "registration_renew",
    "registrations_lapse",
    "registrations_notify_at_risk",
    "registrations_sweep",
    "session_record",
    "worker_change_post",
    "worker_create",
    "worker_leave",
    "worker_prepare",
    "worker_update",
    "workers_import",
]

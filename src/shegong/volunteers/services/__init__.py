"""Writes for volunteers, teams, activities, sign-ups, service records and certificates, split by
subdomain. Each write is atomic and keeps its own history rows (django-simple-history);
security-relevant acts (imports, exports, reveals) go to the audit log. Reads are in
`volunteers.selectors`.

`from shegong.volunteers import services; services.signup_create(...)` keeps working: every
service is re-exported here."""

from shegong.volunteers.services.activities import (
    activity_cancel,
    activity_create,
    activity_publish,
    new_checkin_code,
    shift_add,
)
from shegong.volunteers.services.beneficiaries import (
    record_link_resident,
    record_unlink_resident,
)
from shegong.volunteers.services.certificates import (
    certificate_issue,
)
from shegong.volunteers.services.imports import (
    RECORD_COLUMNS,
    VOLUNTEER_COLUMNS,
    YES,
    records_import,
    volunteers_import,
)
from shegong.volunteers.services.records import (
    check_in_out_by_code,
    code_window,
    recompute_certified_hours,
    record_confirm,
    record_correct,
    record_set_rating,
    signup_check_in,
    signup_check_out,
)
from shegong.volunteers.services.registration import (
    _next_volunteer_number,
    volunteer_account_create,
    volunteer_person,
    volunteer_register,
    volunteer_update,
)
from shegong.volunteers.services.signups import (
    proposal_invite,
    reminders_send,
    signup_accept,
    signup_create,
    signup_decide,
    signup_invite,
    signup_reject,
    signup_withdraw,
)
from shegong.volunteers.services.teams import (
    team_add_member,
    team_create,
    team_member_leave,
    team_set_leader,
)

__all__ = [
    "record_link_resident",
    "record_unlink_resident",
    "_next_volunteer_number",
    "volunteer_person",
    "volunteer_register",
    "volunteer_account_create",
    "volunteer_update",
    "team_create",
    "team_add_member",
    "team_member_leave",
    "team_set_leader",
    "new_checkin_code",
    "activity_create",
    "shift_add",
    "activity_publish",
    "activity_cancel",
    "signup_create",
    "signup_withdraw",
    "signup_decide",
    "signup_accept",
    "signup_reject",
    "signup_invite",
    "proposal_invite",
    "reminders_send",
    "signup_check_in",
    "signup_check_out",
    "code_window",
    "check_in_out_by_code",
    "recompute_certified_hours",
    "record_confirm",
    "record_correct",
    "record_set_rating",
    "certificate_issue",
    "VOLUNTEER_COLUMNS",
    "RECORD_COLUMNS",
    "YES",
    "volunteers_import",
    "records_import",
]

from shegong.accounts.models import Role

STAFF = {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF}
DEPARTMENT = {Role.DEPT_LEADER, Role.DEPT_STAFF}

GRANTS = {
    # Read the practices of the jurisdiction and the library.
    "practices.view": STAFF,
    # Write and submit the department's own practices (and their documents).
    "practices.submit": DEPARTMENT,
    # Review, recommend and recommend upward as the department of a level.
    "practices.review": DEPARTMENT,
    # Record that the department adopted or adapted a published practice.
    "practices.adopt": DEPARTMENT,
}

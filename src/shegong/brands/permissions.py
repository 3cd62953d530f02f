from shegong.accounts.models import Role

STAFF = {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF}
DEPARTMENT = {Role.DEPT_LEADER, Role.DEPT_STAFF}

GRANTS = {
    # Read the brand register of the jurisdiction.
    "brands.view": STAFF,
    # Register brands, link activities, declare targets, apply for a recognition.
    "brands.manage": DEPARTMENT | {Role.STATION_WORKER},
    # Evaluate a year against the targets (the department).
    "brands.evaluate": DEPARTMENT,
    # Recommend, award or decline a recognition as the department of a level.
    "brands.award": DEPARTMENT,
}

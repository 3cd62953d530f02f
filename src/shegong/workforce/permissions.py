from shegong.accounts.models import Role

STAFF = {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF}
DEPARTMENT = {Role.DEPT_LEADER, Role.DEPT_STAFF}

GRANTS = {
    "workforce.view": STAFF,
    "workforce.edit": DEPARTMENT,
    "workforce.import": DEPARTMENT,
    "workforce.reveal": DEPARTMENT,
    # courses, enrolments and attendance; external hours submitted
    "workforce.train": {*DEPARTMENT, Role.ORG_STAFF, Role.STATION_WORKER},
    # external hours approved or refused
    "workforce.approve": DEPARTMENT,
    "workforce.mentor": {*DEPARTMENT, Role.SUPERVISOR},
}

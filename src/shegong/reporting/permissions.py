from shegong.accounts.models import Role

DEPARTMENT = {Role.DEPT_LEADER, Role.DEPT_STAFF}

GRANTS = {
    "reporting.view": DEPARTMENT | {Role.STATION_WORKER, Role.SUPERVISOR},
    "reporting.define": DEPARTMENT,
    "reporting.fill": DEPARTMENT | {Role.STATION_WORKER},
    "reporting.review": DEPARTMENT,
    "reporting.export": DEPARTMENT | {Role.STATION_WORKER},
}

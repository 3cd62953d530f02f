from shegong.accounts.models import Role

STAFF = {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF}
DEPARTMENT = {Role.DEPT_LEADER, Role.DEPT_STAFF}

GRANTS = {
    "careers.view": STAFF,
    # A candidate applies (a worker with an account), or staff apply for them.
    "careers.title_apply": {Role.STATION_WORKER, Role.ORG_STAFF, Role.SUPERVISOR, *DEPARTMENT},
    # The employer confirms its worker's application (as the employer: actor "employer").
    "careers.title_confirm": {Role.ORG_STAFF, Role.STATION_WORKER, *DEPARTMENT},
    # The department opens rounds; its panel scores, decides and publishes.
    "careers.title_manage": DEPARTMENT,
    "careers.title_decide": {Role.DEPT_LEADER},
    "careers.appraise": DEPARTMENT | {Role.SUPERVISOR},
    "careers.grade": DEPARTMENT,
    "careers.conduct": DEPARTMENT,
    "careers.staffing": STAFF,
    "careers.pay": DEPARTMENT,
}

from shegong.accounts.models import Role

DEPARTMENT = {Role.DEPT_LEADER, Role.DEPT_STAFF}

GRANTS = {
    "funds.view": DEPARTMENT | {Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF},
    "funds.post": DEPARTMENT,
    "funds.reverse": {Role.DEPT_LEADER},
    "funds.plan_edit": DEPARTMENT,
    "funds.plan_submit": DEPARTMENT,
    "funds.plan_approve": {Role.DEPT_LEADER},
    "funds.plan_disburse": {Role.DEPT_LEADER},
    "funds.confirm_receipt": DEPARTMENT | {Role.STATION_WORKER},
    "funds.pairing_edit": DEPARTMENT,
    "funds.donation_edit": DEPARTMENT | {Role.ORG_STAFF},
    "funds.report": DEPARTMENT | {Role.SUPERVISOR},
    "funds.export": DEPARTMENT,
}

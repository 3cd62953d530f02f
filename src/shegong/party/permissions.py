from shegong.accounts.models import Role

STAFF = {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF}
DEPARTMENT = {Role.DEPT_LEADER, Role.DEPT_STAFF}

GRANTS = {
    # Who may read the register and the coverage figures of their jurisdiction.
    "party.view": STAFF,
    # The department (组织工作) keeps the register; a station registers the one it hosts.
    "party.manage": DEPARTMENT | {Role.STATION_WORKER},
}

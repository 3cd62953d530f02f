from shegong.accounts.models import Role

GRANTS = {
    "cases.view": {
        Role.STATION_WORKER,
        Role.SUPERVISOR,
        Role.ORG_STAFF,
        Role.DEPT_STAFF,
        Role.DEPT_LEADER,
    },
    "cases.edit": {Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF},
    "cases.review": {Role.SUPERVISOR},
    "cases.respond_referral": {Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF},
}

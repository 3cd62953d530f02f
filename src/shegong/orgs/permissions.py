from shegong.accounts.models import Role

GRANTS = {
    "orgs.view": set(Role.values) - {Role.VOLUNTEER, Role.SECURITY_AUDITOR},
    "orgs.edit": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    "orgs.import": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    "orgs.export": {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER},
    "regions.view": set(Role.values) - {Role.VOLUNTEER, Role.SECURITY_AUDITOR},
}

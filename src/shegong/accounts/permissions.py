from shegong.accounts.models import Role

GRANTS = {
    "accounts.view_users": {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.SUPERVISOR},
    "accounts.export_users": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    "accounts.view_audit": {Role.DEPT_LEADER},
    "api.use": set(Role.values),
}

from shegong.accounts.models import Role

AUDIT_READERS = {Role.DEPT_LEADER, Role.SECURITY_AUDITOR}

GRANTS = {
    "accounts.view_users": {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.SUPERVISOR},
    "accounts.export_users": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    # The audit log and its verification result; the security auditor holds nothing else.
    "accounts.view_audit": AUDIT_READERS,
    "accounts.export_audit": {Role.SECURITY_AUDITOR},
    "api.use": set(Role.values) - {Role.SECURITY_AUDITOR},
}

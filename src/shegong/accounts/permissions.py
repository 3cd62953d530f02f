from shegong.accounts.models import Role

AUDIT_READERS = {Role.DEPT_LEADER, Role.SECURITY_AUDITOR}

GRANTS = {
    "accounts.view_users": {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.SUPERVISOR},
    "accounts.export_users": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    # The audit log and its verification result; the security auditor holds nothing else.
    "accounts.view_audit": AUDIT_READERS,
    "accounts.export_audit": {Role.SECURITY_AUDITOR},
    "api.use": set(Role.values) - {Role.SECURITY_AUDITOR},
    # Sign-in security: unlock locked accounts and reset a lost authenticator, for the users of
    # the jurisdiction (system administrators: everyone). The 2FA policy: administrators only.
    "accounts.unlock": {Role.DEPT_LEADER},
    "accounts.reset_otp": {Role.DEPT_LEADER},
    "accounts.configure_otp": set(),
}

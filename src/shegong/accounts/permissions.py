from shegong.accounts.models import Role

GRANTS = {
    "accounts.view_users": {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.SUPERVISOR},
    "accounts.export_users": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    "accounts.view_audit": {Role.DEPT_LEADER},
    "api.use": set(Role.values),
    # Sign-in security: unlock locked accounts and reset a lost authenticator, for the users of
    # the jurisdiction (system administrators: everyone). The 2FA policy: administrators only.
    "accounts.unlock": {Role.DEPT_LEADER},
    "accounts.reset_otp": {Role.DEPT_LEADER},
    "accounts.configure_otp": set(),
}

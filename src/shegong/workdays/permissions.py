from shegong.accounts.models import Role

GRANTS = {
    # Anyone at work may see the calendar; only system administrators load a year's schedule.
    "workdays.view": set(Role.values) - {Role.VOLUNTEER, Role.SECURITY_AUDITOR},
    "workdays.manage": {Role.SYSADMIN},
}

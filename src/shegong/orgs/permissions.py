from shegong.accounts.models import Role

GRANTS = {
    "orgs.view": set(Role.values) - {Role.VOLUNTEER, Role.SECURITY_AUDITOR},
    "orgs.edit": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    "orgs.import": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    "orgs.export": {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER},
    # The staffing standard of stations: set by a department leader (or the system
    # administrator) whose jurisdiction covers the region (orgs.services.staffing_standard_set).
    "orgs.standards_edit": {Role.DEPT_LEADER, Role.SYSADMIN},
    # The duty list (职责清单) of a unit: edited and published by the unit's own staff only
    # (orgs.duties.may_edit_duties also requires the membership to be in that organisation).
    "orgs.duties_edit": {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER, Role.ORG_STAFF},
    "regions.view": set(Role.values) - {Role.VOLUNTEER, Role.SECURITY_AUDITOR},
}

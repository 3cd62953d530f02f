from shegong.accounts.models import Role

STAFF = {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF}

GRANTS = {
    "indicators.view": STAFF,
    # A department defines its own indicators (a province's or the nation's only: the services
    # refuse a lower level) and refreshes the cached values.
    "indicators.define": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    "indicators.refresh": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    # A department subscribes to weekly or monthly reports of a chosen set of indicators.
    "indicators.subscribe": {Role.DEPT_LEADER, Role.DEPT_STAFF},
}

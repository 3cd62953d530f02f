from shegong.accounts.models import Role

GRANTS = {
    # download a route and sync from a phone: those who visit residents
    "field.sync": {Role.STATION_WORKER, Role.SUPERVISOR},
    # see and acknowledge the conflicts and devices of the workers in the jurisdiction
    "field.supervise": {Role.SUPERVISOR, Role.DEPT_LEADER},
}

from shegong.accounts.models import Role

STAFF = {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER, Role.SUPERVISOR, Role.ORG_STAFF}
ORGANISERS = {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER, Role.ORG_STAFF}

GRANTS = {
    "volunteers.view": STAFF,
    "volunteers.edit": ORGANISERS,
    "volunteers.reveal": {Role.DEPT_LEADER, Role.DEPT_STAFF},
    "volunteers.import": {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER},
    "volunteers.export": {Role.DEPT_LEADER, Role.DEPT_STAFF, Role.STATION_WORKER},
    "volunteers.organise": ORGANISERS,
    "volunteers.stats": STAFF,
    "volunteers.self": {Role.VOLUNTEER},
}

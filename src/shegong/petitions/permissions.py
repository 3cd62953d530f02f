from shegong.accounts.models import Role

R = Role
GRANTS = {
    "petitions.view": {
        R.DEPT_LEADER,
        R.DEPT_STAFF,
        R.STATION_WORKER,
        R.SUPERVISOR,
        R.ORG_STAFF,
        R.MEDIATOR,
    },
    "petitions.register": {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER, R.ORG_STAFF, R.MEDIATOR},
    "petitions.route": {R.DEPT_LEADER, R.DEPT_STAFF},
    "petitions.handle": {R.DEPT_LEADER, R.DEPT_STAFF, R.ORG_STAFF, R.STATION_WORKER, R.MEDIATOR},
    "petitions.approve_extension": {R.DEPT_LEADER},
    "petitions.review": {R.DEPT_LEADER, R.DEPT_STAFF},
    "petitions.supervise": {R.DEPT_LEADER, R.DEPT_STAFF},
    "petitions.mediate": {R.MEDIATOR, R.DEPT_LEADER, R.DEPT_STAFF},
    "petitions.followup": {
        R.DEPT_LEADER,
        R.DEPT_STAFF,
        R.STATION_WORKER,
        R.ORG_STAFF,
        R.SUPERVISOR,
    },
    "petitions.analyse": {R.DEPT_LEADER, R.DEPT_STAFF, R.SUPERVISOR},
    "petitions.export": {R.DEPT_LEADER, R.DEPT_STAFF},
    "petitions.configure": {R.DEPT_LEADER},
}
